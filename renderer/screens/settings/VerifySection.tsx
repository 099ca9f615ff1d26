// "Check against Telnyx": one month's exact totals in the ledger beside Telnyx's usage report
// (contract verify.month, the same as `cost-desk verify --month`), per product and currency.
import { useState } from 'react';
import { useApi } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { lastUtcMonth } from '../../lib/ranges.ts';
import { submitWith } from '../../lib/submit.ts';

export function VerifySection() {
  const api = useApi();
  const [month, setMonth] = useState(() => lastUtcMonth());
  const { busy, value: report, error, run } = useAction(() => api.call('verify.month', { month }));

  return (
    <section className="card" aria-labelledby="set-verify-title" data-testid="settings-verify">
      <h2 id="set-verify-title">Check against Telnyx</h2>
      <p className="muted">A month’s exact totals here beside Telnyx’s own usage report (UTC month).</p>
      <form className="inline-form" onSubmit={submitWith(run)}>
        <div className="field">
          <label htmlFor="verify-month">Month</label>
          <input id="verify-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} data-testid="verify-month" />
        </div>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={busy || !/^\d{4}-\d{2}$/.test(month)} data-testid="verify-run">
            {busy ? 'Comparing…' : 'Compare'}
          </button>
        </div>
      </form>
      {error && <ErrorNotice error={error} testId="verify-error" />}
      {report && (
        <>
          <table className="table" data-testid="verify-table" data-matches={report.matches ? 'true' : 'false'}>
            <thead>
              <tr>
                <th>Product</th>
                <th>Currency</th>
                <th className="num">Cost Desk</th>
                <th className="num">Telnyx</th>
                <th className="num">Difference</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.product}-${r.currency}`} data-matches={r.matches ? 'true' : 'false'}>
                  <td>{r.product}</td>
                  <td>{r.currency}</td>
                  <td className="num mono">{r.ledger}</td>
                  <td className="num mono">{r.telnyx}</td>
                  <td className="num mono">{r.difference}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="help" data-testid="verify-explain">
            {report.matches ? 'Every total matches.' : 'Totals differ.'} In {report.month}: {report.explain.callsEstimated} calls still estimated,{' '}
            {report.explain.callsNoRecord} without a record, {report.explain.callsPartial} partial, {report.explain.messagesWithoutCost} messages without an
            exact cost.
          </p>
        </>
      )}
    </section>
  );
}
