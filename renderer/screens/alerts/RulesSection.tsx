// The alert rules, and a form to add one: what to watch (a day's or a month's spend, one
// call, a day far above its week), for one number or every number, in one currency.
import { useState } from 'react';
import type { AppError } from '../../../shared/contract.ts';
import type { AlertKind } from '../../../shared/alerts.ts';
import { useApi } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { useQuery } from '../../hooks/useQuery.ts';

const KINDS: Record<AlertKind, string> = {
  daily_spend: 'Spend in a day above',
  monthly_spend: 'Spend in a month above',
  call_cost: 'One call costing more than',
  spend_spike: 'A day above N times its 7-day average (and at least)',
};

export function RulesSection({ onChanged }: { onChanged(): void }) {
  const api = useApi();
  const rules = useQuery('alerts.rules', {});
  const [kind, setKind] = useState<AlertKind>('daily_spend');
  const [number, setNumber] = useState('');
  const [threshold, setThreshold] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [factor, setFactor] = useState('3');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const add = async () => {
    setBusy(true);
    const res = await api.call('alerts.addRule', {
      kind,
      currency: currency.trim().toUpperCase(),
      threshold: threshold.trim(),
      ...(number ? { number } : {}),
      ...(kind === 'spend_spike' ? { factor: factor.trim() } : {}),
    });
    setBusy(false);
    if (!res.ok) return setError(res.error);
    setError(null);
    setThreshold('');
    await rules.reload();
    onChanged();
  };

  const remove = async (id: number) => {
    setBusy(true);
    const res = await api.call('alerts.removeRule', { id });
    setBusy(false);
    if (!res.ok) return setError(res.error);
    await rules.reload();
    onChanged();
  };

  return (
    <section className="card" aria-labelledby="alerts-rules-title" data-testid="alerts-rules">
      <h2 id="alerts-rules-title">Rules</h2>
      {rules.data && rules.data.rules.length === 0 && <p className="muted">No rules yet: add one below.</p>}
      <ul className="plain-list">
        {rules.data?.rules.map((r) => (
          <li key={r.id} data-testid="alert-rule">
            {KINDS[r.kind]} {r.kind === 'spend_spike' ? `${r.factor} times, ` : ''}
            <span className="money">
              {r.threshold} {r.currency}
            </span>{' '}
            · {r.number ?? 'every number'}{' '}
            <button type="button" className="btn btn-small" onClick={() => void remove(r.id)} disabled={busy} aria-label={`Remove rule ${r.id}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="toolbar"
        aria-label="Add a rule"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <div className="field">
          <label htmlFor="rule-kind">Alert when</label>
          <select id="rule-kind" value={kind} onChange={(e) => setKind(e.target.value as AlertKind)} data-testid="rule-kind">
            {Object.entries(KINDS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {kind === 'spend_spike' && (
          <div className="field">
            <label htmlFor="rule-factor">Times (N)</label>
            <input id="rule-factor" inputMode="decimal" value={factor} onChange={(e) => setFactor(e.target.value)} data-testid="rule-factor" />
          </div>
        )}
        <div className="field">
          <label htmlFor="rule-threshold">Amount</label>
          <input id="rule-threshold" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="rule-threshold" />
        </div>
        <div className="field">
          <label htmlFor="rule-currency">Currency</label>
          <input id="rule-currency" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} data-testid="rule-currency" />
        </div>
        <NumberSelect value={number} onChange={setNumber} label="Number" testId="rule-number" />
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rule-add">
          Add rule
        </button>
      </form>
      {error && <ErrorNotice error={error} testId="rule-error" />}
    </section>
  );
}
