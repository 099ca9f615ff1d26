// Import: backfill a date range of detail records, with live progress (import.progress
// events), cancel, an end-of-run summary, and the list of past imports.
import { useEffect, useId, useState } from 'react';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import type { AppError, ImportProgress } from '../../../shared/contract.ts';
import type { RecordType } from '../../../shared/domain.ts';
import { useData } from '../../data/context.ts';
import { Badge } from '../../components/Badge.tsx';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { right, TableHead } from '../../components/TableHead.tsx';
import { useEvent } from '../../hooks/useEvent.ts';
import { useQuery } from '../../hooks/useQuery.ts';
import { useStickyState } from '../../hooks/useStickyState.ts';
import { dateTimeText, durationText, intText, rangeText } from '../../lib/format.ts';
import { choosePreset, type RangeChoice } from '../../lib/ranges.ts';
import { submitWith } from '../../lib/submit.ts';

const RECORD_TYPES: ReadonlyArray<{ id: RecordType; label: string }> = [
  { id: 'call-control', label: 'Call Control calls' },
  { id: 'sip-trunking', label: 'SIP trunking calls' },
  { id: 'webrtc', label: 'WebRTC calls' },
  { id: 'messaging', label: 'Messaging (SMS/MMS)' },
];

/** Billed call features: parts of the call they name (not asked for unless ticked; README, "Per part"). */
const FEATURE_TYPES: ReadonlyArray<{ id: RecordType; label: string }> = [
  { id: 'recording', label: 'Call recording' },
  { id: 'amd', label: 'Answering machine detection' },
  { id: 'tts', label: 'Text to speech' },
  { id: 'stt', label: 'Speech to text' },
  { id: 'media-streaming', label: 'Media streaming' },
  { id: 'noise-suppression', label: 'Noise suppression' },
  { id: 'ai-voice-assistant', label: 'AI voice assistant' },
  { id: 'conference-participant', label: 'Conference participants' },
];

export function ImportScreen() {
  const data = useData();
  const typesId = useId();
  const [range, setRange] = useStickyState<RangeChoice>('import.range', () => choosePreset('yesterday'));
  const [types, setTypes] = useStickyState<RecordType[]>('import.types', () => RECORD_TYPES.map((t) => t.id));
  const [current, setCurrent] = useState<ImportProgress | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useQuery('import.list', {});

  // Pick up an import already running (started before this screen, or from the CLI).
  useEffect(() => {
    if (current || !list.data) return;
    const running = list.data.imports.find((i) => i.status === 'running');
    if (running) setCurrent(running);
  }, [list.data, current]);

  useEvent('import.progress', (p) => {
    // (A finished import: the data layer refreshes the list.)
    setCurrent((c) => (!c || c.importId === p.importId || c.status !== 'running' ? p : c));
  });

  const running = current?.status === 'running';

  const start = async () => {
    setError(null);
    if (types.length === 0) {
      setError({ code: 'invalid_input', message: 'Choose at least one record type to import.' });
      return;
    }
    setBusy(true);
    const res = await data.write('import.start', { range: { from: range.from, to: range.to }, recordTypes: types });
    setBusy(false);
    if (res.ok) setCurrent(res.value);
    else setError(res.error);
  };

  const cancel = async () => {
    if (!current) return;
    setBusy(true);
    const res = await data.write('import.cancel', { importId: current.importId });
    setBusy(false);
    if (res.ok) setCurrent(res.value);
    else setError(res.error);
  };

  const toggle = (t: RecordType, on: boolean) => setTypes(on ? [...new Set([...types, t])] : types.filter((x) => x !== t));

  return (
    <ScreenPage route="import">
      <p className="lede">
        Fetch Telnyx detail records for a period: every call and message in it gets its exact cost, including ones that happened before Cost Desk was running.
      </p>
      <form className="card form-card" aria-labelledby="import-form-title" data-testid="import-form" onSubmit={submitWith(start)}>
        <h2 id="import-form-title">New import</h2>
        <DateRangeFilter value={range} onChange={(v) => v && setRange(v)} testId="import-range" />
        <TypeChecks legend="Record types" legendId={typesId} types={RECORD_TYPES} chosen={types} onToggle={toggle} />
        <TypeChecks legend="Billed call features (added to their call's cost)" types={FEATURE_TYPES} chosen={types} onToggle={toggle} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || running} data-testid="import-start">
            Start import
          </button>
          <span className="muted">{rangeText(range)}</span>
        </div>
        {error && <ErrorNotice error={error} testId="import-error" />}
      </form>

      {current && <ProgressCard p={current} onCancel={cancel} busy={busy} />}

      <h2 className="section-title">Past imports</h2>
      {list.error && <ErrorNotice error={list.error} />}
      {list.data && list.data.imports.length === 0 && (
        <p className="muted" data-testid="import-history-empty">
          No imports yet.
        </p>
      )}
      {list.data && list.data.imports.length > 0 && (
        <ScrollRegion label="Past imports">
          <table className="data-table" data-testid="import-history">
            <caption className="sr-only">Past imports, newest first</caption>
            <TableHead columns={['Started', 'Period', 'Types', 'Status', right('Pages'), right('Records'), right('Rejected'), right('Took'), 'Error']} />
            <tbody>
              {[...list.data.imports]
                .sort((a, b) => b.startedAt - a.startedAt)
                .map((i) => (
                  <tr key={i.importId} data-testid={`import-row-${i.importId}`}>
                    <td>{dateTimeText(i.startedAt)}</td>
                    <td>{rangeText(i.range)}</td>
                    <td>{i.recordTypes.join(', ')}</td>
                    <td>
                      <Badge value={i.status} />
                    </td>
                    <td className="align-right">{intText(i.pagesDone)}</td>
                    <td className="align-right">{intText(i.records)}</td>
                    <td className="align-right">{intText(i.rejected)}</td>
                    <td className="align-right">{i.finishedAt ? durationText(i.finishedAt - i.startedAt) : '—'}</td>
                    <td className="break">{i.error ?? ''}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </ScreenPage>
  );
}

/** A fieldset of record types to tick. */
function TypeChecks(p: {
  legend: string;
  legendId?: string;
  types: ReadonlyArray<{ id: RecordType; label: string }>;
  chosen: readonly RecordType[];
  onToggle(t: RecordType, on: boolean): void;
}) {
  return (
    <fieldset className="checks">
      <legend id={p.legendId}>{p.legend}</legend>
      {p.types.map((t) => (
        <label key={t.id} className="check">
          <input type="checkbox" checked={p.chosen.includes(t.id)} onChange={(e) => p.onToggle(t.id, e.target.checked)} data-testid={`import-type-${t.id}`} />
          {t.label}
        </label>
      ))}
    </fieldset>
  );
}

function ProgressCard({ p, onCancel, busy }: { p: ImportProgress; onCancel(): void; busy: boolean }) {
  const running = p.status === 'running';
  const pages = p.pagesTotal !== null ? `page ${intText(p.pagesDone)} of ${intText(p.pagesTotal)}` : `${intText(p.pagesDone)} pages`;
  const eta = running && p.etaMs !== null ? ` · about ${durationText(p.etaMs)} left` : '';
  return (
    <section className="card progress-card" aria-labelledby="import-progress-title" data-testid="import-progress" data-status={p.status}>
      <div className="card-head">
        <h2 id="import-progress-title">
          {running ? 'Importing' : 'Import finished'} · {rangeText(p.range)}
        </h2>
        <Badge value={p.status} testId="import-status" />
      </div>
      <progress
        className="progress"
        aria-label="Import progress"
        max={p.pagesTotal ?? undefined}
        value={p.pagesTotal !== null ? Math.min(p.pagesDone, p.pagesTotal) : running ? undefined : 1}
        data-testid="import-progress-bar"
      />
      <p role="status" aria-live="polite" data-testid="import-progress-text">
        {running
          ? `${reportsBusy(p) ? 'Reading Telnyx reports' : `Fetching ${pages}`} · ${intText(p.records)} records · ${intText(p.rejected)} rejected${eta}`
          : summaryText(p)}
      </p>
      {p.reports && <ReportPhases reports={p.reports} />}
      {p.error && (
        <p className="text-bad" data-testid="import-progress-error">
          {p.error}
        </p>
      )}
      {running && (
        <button type="button" className="btn btn-danger" onClick={onCancel} disabled={busy} data-testid="import-cancel">
          Cancel import
        </button>
      )}
      {!running && (
        <dl className="kv kv-inline" data-testid="import-summary">
          <dt>Records</dt>
          <dd>{intText(p.records)}</dd>
          <dt>Rejected</dt>
          <dd>{intText(p.rejected)}</dd>
          <dt>Pages</dt>
          <dd>{intText(p.pagesDone)}</dd>
          <dt>Took</dt>
          <dd>{p.finishedAt ? durationText(p.finishedAt - p.startedAt) : '—'}</dd>
        </dl>
      )}
    </section>
  );
}

type ReportView = NonNullable<ImportProgress['reports']>[number];

const reportsBusy = (p: ImportProgress) => (p.reports ?? []).some((r) => r.phase !== 'done' && r.phase !== 'fallback');
const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);

function phaseText(r: ReportView): string {
  switch (r.phase) {
    case 'requested':
      return 'requested from Telnyx';
    case 'preparing':
      return 'Telnyx is preparing it';
    case 'downloading':
      return `downloading ${mb(r.bytes)}${r.totalBytes !== null ? ` of ${mb(r.totalBytes)}` : ''} MB`;
    case 'ingesting':
      return `ingesting: ${intText(r.rows)} rows · ${mb(r.bytes)}${r.totalBytes !== null ? ` of ${mb(r.totalBytes)}` : ''} MB`;
    case 'done':
      return `done: ${intText(r.rows)} rows (${mb(r.bytes)} MB)`;
    case 'fallback':
      return r.note ?? 'not used; this range is read page by page instead';
  }
}

/** Telnyx's batch reports of this import (long ranges), one line per record type. */
function ReportPhases({ reports }: { reports: readonly ReportView[] }) {
  return (
    <ul className="report-phases" data-testid="import-reports">
      {reports.map((r) => (
        <li key={r.recordType} data-phase={r.phase}>
          {RECORD_TYPES.find((t) => t.id === r.recordType)?.label ?? r.recordType} report ({rangeText(r.range)}): {phaseText(r)}
        </li>
      ))}
    </ul>
  );
}

function summaryText(p: ImportProgress): string {
  const took = p.finishedAt ? ` in ${durationText(p.finishedAt - p.startedAt)}` : '';
  switch (p.status) {
    case 'completed':
      return `Import completed: ${intText(p.records)} records from ${intText(p.pagesDone)} pages${took}; ${intText(p.rejected)} rejected.`;
    case 'completed_with_problems':
      return `Import completed with problems: ${intText(p.records)} records from ${intText(p.pagesDone)} pages${took}; ${intText(p.rejected)} rows could not be read after retries. They are kept as received; import the same range again to read their pages again.`;
    case 'cancelled':
      return `Import cancelled after ${intText(p.pagesDone)} pages; the ${intText(p.records)} records already fetched are kept.`;
    case 'failed':
      return `Import failed after ${intText(p.pagesDone)} pages (${intText(p.records)} records kept).`;
    case 'interrupted':
      return `Import interrupted (the app closed) after ${intText(p.pagesDone)} pages; start it again to finish.`;
    default:
      return '';
  }
}
