// Export a report (CSV) for a period and optionally one number, its times in the user's time
// zone or in UTC (ISO 8601 with the offset). Desktop: the core shows a native save dialog,
// writes the file and answers savedTo and the rows written. Browser host: it answers a
// one-time downloadUrl; the page fetches the whole file (counting its rows, failing loudly if
// the transfer breaks) and then hands it to the browser to save.
import { useEffect, useId, useRef, useState } from 'react';
import type { AppError, ReportKind } from '../../../shared/contract.ts';
import { useApi } from '../../app/context.ts';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { SelectField, type Choices } from '../../components/SelectField.tsx';
import { intText } from '../../lib/format.ts';
import { fetchCsv, saveBlob } from '../../lib/csv-download.ts';
import type { RangeChoice } from '../../lib/ranges.ts';
import { submitWith } from '../../lib/submit.ts';

const REPORTS: Choices<ReportKind> = [
  ['calls', 'Calls (one row per call)'],
  ['messages', 'Messages (one row per message)'],
  ['summary', 'Per-number summary'],
  ['history', 'Cost history (every change)'],
];

type Outcome = { kind: 'saved'; path: string; rows: number | null } | { kind: 'download'; url: string; fileName: string; rows: number } | { kind: 'cancelled' };

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
  const [zone, setZone] = useState<'local' | 'utc'>('local');
  const local = localZone();

  // A saved download's object URL is let go with the dialog.
  const objectUrl = outcome?.kind === 'download' ? outcome.url : null;
  useEffect(() => () => void (objectUrl && URL.revokeObjectURL(objectUrl)), [objectUrl]);

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
      timeZone: zone === 'utc' ? 'UTC' : local.name,
    });
    if (!res.ok) return (setBusy(false), setError(res.error));
    const v = res.value;
    if (v.downloadUrl) {
      try {
        const file = await fetchCsv(v.downloadUrl);
        setOutcome({ kind: 'download', url: saveBlob(file.blob, file.fileName), fileName: file.fileName, rows: file.rows });
      } catch (err) {
        setError({
          code: 'internal',
          message: `The export stopped before the end (${err instanceof Error ? err.message : String(err)}); nothing was saved.`,
          action: 'Export again.',
        });
      }
      return setBusy(false);
    }
    setBusy(false);
    if (v.cancelled) return setOutcome({ kind: 'cancelled' });
    if (v.savedTo) return setOutcome({ kind: 'saved', path: v.savedTo, rows: v.rows });
    setOutcome({ kind: 'cancelled' });
  };

  const rowsText = (rows: number | null) => (rows === null ? '' : ` (${intText(rows)} row${rows === 1 ? '' : 's'})`);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} onClose={onClose} data-testid="export-dialog">
      <form className="dialog-body" onSubmit={submitWith(run)}>
        <h2 id={`${id}-title`}>Export a report</h2>
        <SelectField id={`${id}-report`} label="Report" value={report} onChange={setReport} choices={REPORTS} testId="export-report" />
        <DateRangeFilter value={range} onChange={(v) => v && setRange(v)} testId="export-range" />
        <NumberSelect value={number} onChange={setNumber} label="Number (optional)" testId="export-number" />
        <fieldset data-testid="export-zone">
          <legend>Times in the file</legend>
          <div>
            <label className="check">
              <input
                type="radio"
                name={`${id}-zone`}
                value="local"
                checked={zone === 'local'}
                onChange={() => setZone('local')}
                data-testid="export-zone-local"
              />
              Your time zone ({local.name === 'UTC' ? 'UTC' : `${local.name}, ${local.offset}`})
            </label>
            <label className="check">
              <input type="radio" name={`${id}-zone`} value="utc" checked={zone === 'utc'} onChange={() => setZone('utc')} data-testid="export-zone-utc" />
              UTC
            </label>
          </div>
          <p className="help">
            ISO 8601 with the offset, e.g. 2026-03-01T14:05:00{zone === 'utc' || local.offset === 'UTC' ? 'Z' : local.offset.replace('UTC', '')}
          </p>
        </fieldset>
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
            <p className="notice notice-ok" data-rows={outcome.rows ?? ''}>
              Saved{rowsText(outcome.rows)} to <span className="mono break">{outcome.path}</span>
            </p>
          )}
          {outcome?.kind === 'download' && (
            <p className="notice notice-ok" data-rows={outcome.rows}>
              Written{rowsText(outcome.rows)}: your browser saves <span className="mono break">{outcome.fileName}</span>. Nothing arrived?{' '}
              <a href={outcome.url} download={outcome.fileName} data-testid="export-download-link">
                Save it again
              </a>
              .
            </p>
          )}
          {outcome?.kind === 'cancelled' && <p className="notice">Export cancelled; nothing was saved.</p>}
        </div>
        {error && <ErrorNotice error={error} testId="export-error" />}
      </form>
    </dialog>
  );
}

/** The user's time zone (IANA name) and its current offset ("UTC+01:00"). */
function localZone(): { name: string; offset: string } {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const minutes = -new Date().getTimezoneOffset();
  if (minutes === 0) return { name, offset: 'UTC' };
  const abs = Math.abs(minutes);
  return { name, offset: `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}` };
}
