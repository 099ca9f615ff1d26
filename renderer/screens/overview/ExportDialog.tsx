// Export a report (CSV) for a period and optionally one number. Desktop: the core shows a
// native save dialog and answers savedTo. Browser host: it answers a one-time downloadUrl,
// which we follow with an <a download>.
import { useEffect, useId, useRef, useState } from 'react';
import type { AppError, ReportKind } from '../../../shared/contract.ts';
import { useApi } from '../../app/context.ts';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { intText } from '../../lib/format.ts';
import type { RangeChoice } from '../../lib/ranges.ts';

const REPORTS: ReadonlyArray<{ id: ReportKind; label: string }> = [
  { id: 'calls', label: 'Calls (one row per call)' },
  { id: 'messages', label: 'Messages (one row per message)' },
  { id: 'summary', label: 'Per-number summary' },
  { id: 'history', label: 'Cost history (every change)' },
];

type Outcome =
  | { kind: 'saved'; path: string; rows: number | null }
  | { kind: 'download'; url: string; rows: number | null }
  | { kind: 'cancelled' };

export function ExportDialog({ range: initialRange, number: initialNumber, onClose }: { range: RangeChoice; number: string; onClose(): void }) {
  const api = useApi();
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [report, setReport] = useState<ReportKind>('calls');
  const [range, setRange] = useState<RangeChoice>(initialRange);
  const [number, setNumber] = useState(initialNumber);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const run = async () => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    const res = await api.call('export.run', {
      report,
      range: { from: range.from, to: range.to },
      ...(number ? { number } : {}),
    });
    setBusy(false);
    if (!res.ok) return setError(res.error);
    const v = res.value;
    if (v.cancelled) return setOutcome({ kind: 'cancelled' });
    if (v.downloadUrl) {
      const a = document.createElement('a');
      a.href = v.downloadUrl;
      a.download = '';
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
      return setOutcome({ kind: 'download', url: v.downloadUrl, rows: v.rows });
    }
    if (v.savedTo) return setOutcome({ kind: 'saved', path: v.savedTo, rows: v.rows });
    setOutcome({ kind: 'cancelled' });
  };

  const rowsText = (rows: number | null) => (rows === null ? '' : ` (${intText(rows)} row${rows === 1 ? '' : 's'})`);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} onClose={onClose} data-testid="export-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <h2 id={`${id}-title`}>Export a report</h2>
        <div className="field">
          <label htmlFor={`${id}-report`}>Report</label>
          <select id={`${id}-report`} value={report} onChange={(e) => setReport(e.target.value as ReportKind)} data-testid="export-report">
            {REPORTS.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <DateRangeFilter value={range} onChange={(v) => v && setRange(v)} testId="export-range" />
        <NumberSelect value={number} onChange={setNumber} label="Number (optional)" testId="export-number" />
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="export-run">
            {busy ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" className="btn" onClick={() => ref.current?.close()} data-testid="export-close">
            Close
          </button>
        </div>
        <div role="status" aria-live="polite" data-testid="export-outcome" data-outcome={outcome?.kind ?? (error ? 'error' : '')}>
          {outcome?.kind === 'saved' && (
            <p className="notice notice-ok">
              Saved{rowsText(outcome.rows)} to <span className="mono break">{outcome.path}</span>
            </p>
          )}
          {outcome?.kind === 'download' && (
            <p className="notice notice-ok">
              Download started{rowsText(outcome.rows)}; your browser saves the CSV. Nothing arrived?{' '}
              <a href={outcome.url} download data-testid="export-download-link">
                Download it here
              </a>{' '}
              (the link works once).
            </p>
          )}
          {outcome?.kind === 'cancelled' && <p className="notice">Export cancelled; nothing was saved.</p>}
        </div>
        {error && <ErrorNotice error={error} testId="export-error" />}
      </form>
    </dialog>
  );
}
