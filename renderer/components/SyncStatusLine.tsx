// The status line shown on every screen: last/next sync, running, pending/failed cost jobs,
// errors (with what to do) and a paused cost fetcher.
import { useState } from 'react';
import { useAppState } from '../app/context.ts';
import { useData } from '../data/context.ts';
import { whenText } from '../lib/format.ts';
import { setSticky } from '../hooks/useStickyState.ts';
import { JOBS_FILTER_KEY } from '../lib/jobs-filter.ts';
import { errorLine } from '../lib/error-line.ts';
import type { AppError } from '../../shared/contract.ts';

export function SyncStatusLine() {
  const data = useData();
  const { sync, info, navigate, route } = useAppState();
  const [busy, setBusy] = useState(false);
  const [nowError, setNowError] = useState<AppError | null>(null);

  const mode = sync?.mode ?? info?.mode;
  const syncNow = async () => {
    setBusy(true);
    setNowError(null);
    // sync.status is refreshed by the data layer (sync.now writes sync).
    const res = await data.write('sync.now', {});
    if (!res.ok) setNowError(res.error);
    setBusy(false);
  };

  let summary: string;
  if (!sync) summary = 'Sync status not known yet';
  else if (mode === 'unconfigured') summary = 'Not syncing: add an API key in Settings, or explore demo data';
  else if (sync.running || busy) summary = 'Syncing…';
  else {
    const last = sync.lastSyncAt ? `Last sync ${whenText(sync.lastSyncAt)}` : 'Not synced yet';
    const next = sync.pollingEnabled ? (sync.nextSyncAt ? `next ${whenText(sync.nextSyncAt)}` : 'next soon') : 'automatic sync off';
    summary = `${last} · ${next}`;
  }
  const error = nowError ?? sync?.lastError ?? null;
  const keyProblem = error && (error.code === 'auth' || error.code === 'no_key') && route !== 'settings';

  return (
    <div className="sync-line" data-testid="sync-status" data-running={sync?.running ? 'true' : 'false'}>
      <div className="sync-main" role="status" aria-live="polite">
        <span className={`sync-dot${sync?.running || busy ? ' sync-dot-running' : error ? ' sync-dot-error' : ''}`} aria-hidden="true" />
        <span data-testid="sync-summary">{summary}</span>
        {sync && mode !== 'unconfigured' && (sync.pendingJobs > 0 || sync.failedJobs > 0) && (
          <button
            type="button"
            className="btn btn-link sync-jobs"
            // Exactly these jobs: the Jobs screen opens filtered to pending (running too) or failed.
            onClick={() => {
              setSticky(JOBS_FILTER_KEY, 'attention');
              navigate('jobs');
            }}
            data-testid="sync-jobs"
          >
            {sync.pendingJobs} cost{sync.pendingJobs === 1 ? '' : 's'} pending
            {sync.failedJobs > 0 ? ` · ${sync.failedJobs} failed` : ''}
          </button>
        )}
        {sync && sync.unusableEvents.total > 0 && (
          <span className="sync-warn" data-testid="sync-unusable" title={sync.unusableEvents.reasons.map((r) => `${r.count} × ${r.reason}`).join('\n')}>
            {sync.unusableEvents.total} webhook event{sync.unusableEvents.total === 1 ? '' : 's'} could not be used
          </span>
        )}
        {sync && sync.unlinkedFeatureRecords > 0 && (
          <span
            className="sync-warn"
            data-testid="sync-unlinked"
            title="Records of billed call features (recording, AMD, ...) whose call is not in the ledger yet: kept, and added to the call's cost once its call is imported or synced."
          >
            {sync.unlinkedFeatureRecords} feature record{sync.unlinkedFeatureRecords === 1 ? '' : 's'} not linked to a call
          </span>
        )}
        {sync?.fetcherPaused && (
          <span className="sync-warn" data-testid="fetcher-paused">
            Cost fetcher paused{sync.fetcherPauseReason ? `: ${sync.fetcherPauseReason}` : ''}
          </span>
        )}
        {error && (
          <span className="sync-error" data-testid="sync-error" data-error-code={error.code} title={errorLine(error).detail}>
            {errorLine(error).text}
            {keyProblem && (
              <>
                {' '}
                <button type="button" className="btn btn-link" onClick={() => navigate('settings')}>
                  Fix in Settings
                </button>
              </>
            )}
          </span>
        )}
      </div>
      <button type="button" className="btn btn-small" onClick={syncNow} disabled={busy || sync?.running || mode === 'unconfigured'} data-testid="sync-now">
        Sync now
      </button>
    </div>
  );
}
