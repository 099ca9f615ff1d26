// Statements: one calendar month (UTC) per number or for every number; the figures per
// currency as the files will hold them, and "Export .xlsx" / "Export PDF" writing the file
// (into the statements folder of the data folder; the path is shown).
import { useState } from 'react';
import type { AppError } from '../../../shared/contract.ts';
import type { StatementFormat } from '../../../shared/data.ts';
import { useApi } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { lastUtcMonth } from '../../lib/ranges.ts';
import { StatementTables } from './StatementTables.tsx';

export function Statements() {
  const api = useApi();
  const [month, setMonth] = useState(() => lastUtcMonth());
  const [number, setNumber] = useState('');
  // Asking Telnyx is a request per product: only when the user wants the check.
  const [check, setCheck] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const query = { month, ...(number ? { number } : {}), ...(check ? { checkWithTelnyx: true } : {}) };
  const statement = useQuery('statements.get', valid ? query : null);

  const exportAs = async (format: StatementFormat) => {
    setBusy(true);
    setSaved(null);
    setError(null);
    const res = await api.call('statements.export', { ...query, format });
    setBusy(false);
    if (res.ok) setSaved(`Saved ${format === 'pdf' ? 'PDF' : 'spreadsheet'} to ${res.value.file}`);
    else setError(res.error);
  };

  return (
    <ScreenPage route="statements">
      <div className="toolbar" role="group" aria-label="Statement">
        <div className="field">
          <label htmlFor="statement-month">Month (UTC)</label>
          <input id="statement-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} data-testid="statement-month" />
        </div>
        <NumberSelect value={number} onChange={setNumber} testId="statement-number" />
        <label className="check">
          <input type="checkbox" checked={check} onChange={(e) => setCheck(e.target.checked)} data-testid="statement-check" /> Check against Telnyx's usage
          report
        </label>
        <button type="button" className="btn btn-primary" onClick={() => void exportAs('xlsx')} disabled={busy || !valid} data-testid="statement-export-xlsx">
          Export .xlsx
        </button>
        <button type="button" className="btn" onClick={() => void exportAs('pdf')} disabled={busy || !valid} data-testid="statement-export-pdf">
          Export PDF
        </button>
      </div>
      <p role="status" aria-live="polite" className="mono break" data-testid="statement-saved">
        {busy ? 'Writing the statement…' : saved}
      </p>
      {error && <ErrorNotice error={error} testId="statement-error" />}
      {statement.error && <ErrorNotice error={statement.error} testId="statement-load-error" />}
      {statement.data && <StatementTables statement={statement.data} />}
    </ScreenPage>
  );
}
