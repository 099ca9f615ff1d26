// The alert rules, and a form to add one: what to watch (a day's or a month's spend, one
// call, a day far above its week, a new destination country, failed calls in a row), for
// every number, one number, or the calls of one billing group, tag or country.
import { useState } from 'react';
import type { AppError } from '../../../shared/contract.ts';
import { MONEY_KINDS, type AlertKind, type AlertRuleInput } from '../../../shared/alerts.ts';
import { useApi } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { choicesOf, SelectField } from '../../components/SelectField.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { submitWith } from '../../lib/submit.ts';

const KINDS: Record<AlertKind, string> = {
  daily_spend: 'Spend in a day above',
  monthly_spend: 'Spend in a month above',
  call_cost: 'One call costing more than',
  spend_spike: 'A day above N times its 7-day average (and at least)',
  new_country: 'A call to a country the number never called before',
  failed_calls: 'Failed or very short calls in a row',
};

type Watch = 'all' | 'number' | 'billingGroup' | 'tag' | 'country';
const WATCH: Record<Watch, string> = {
  all: 'Every number',
  number: 'One number',
  billingGroup: 'A billing group',
  tag: 'A tag',
  country: 'A destination country',
};

function ruleInput(
  kind: AlertKind,
  watch: Watch,
  value: string,
  f: { threshold: string; currency: string; factor: string; minCalls: string; shortSec: string },
): AlertRuleInput {
  const money = MONEY_KINDS.includes(kind);
  return {
    kind,
    ...(watch !== 'all' && value.trim() ? { [watch]: value.trim() } : {}),
    ...(money ? { currency: f.currency.trim().toUpperCase(), threshold: f.threshold.trim() } : {}),
    ...(kind === 'spend_spike' ? { factor: f.factor.trim() } : {}),
    ...(kind === 'failed_calls' ? { minCalls: Number(f.minCalls), shortSec: Number(f.shortSec) } : {}),
  };
}

export function RulesSection({ onChanged }: { onChanged(): void }) {
  const api = useApi();
  const rules = useQuery('alerts.rules', {});
  const [kind, setKind] = useState<AlertKind>('daily_spend');
  const [watch, setWatch] = useState<Watch>('all');
  const [value, setValue] = useState('');
  const [threshold, setThreshold] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [factor, setFactor] = useState('3');
  const [minCalls, setMinCalls] = useState('5');
  const [shortSec, setShortSec] = useState('10');
  const money = MONEY_KINDS.includes(kind);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const add = async () => {
    setBusy(true);
    const res = await api.call('alerts.addRule', ruleInput(kind, watch, value, { threshold, currency, factor, minCalls, shortSec }));
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
            {r.kind === 'failed_calls' ? `${r.minCalls} under ${r.shortSec} s ` : ''}
            {r.threshold !== null && (
              <span className="money">
                {r.threshold} {r.currency}
              </span>
            )}{' '}
            · {r.scopeLabel}{' '}
            <button type="button" className="btn btn-small" onClick={() => void remove(r.id)} disabled={busy} aria-label={`Remove rule ${r.id}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="toolbar" aria-label="Add a rule" onSubmit={submitWith(add)}>
        <SelectField id="rule-kind" label="Alert when" value={kind} onChange={setKind} choices={choicesOf(KINDS)} testId="rule-kind" />
        {kind === 'spend_spike' && (
          <div className="field">
            <label htmlFor="rule-factor">Times (N)</label>
            <input id="rule-factor" inputMode="decimal" value={factor} onChange={(e) => setFactor(e.target.value)} data-testid="rule-factor" />
          </div>
        )}
        {kind === 'failed_calls' && (
          <>
            <div className="field">
              <label htmlFor="rule-min-calls">Calls in a row</label>
              <input id="rule-min-calls" inputMode="numeric" value={minCalls} onChange={(e) => setMinCalls(e.target.value)} data-testid="rule-min-calls" />
            </div>
            <div className="field">
              <label htmlFor="rule-short-sec">Shorter than (s)</label>
              <input id="rule-short-sec" inputMode="numeric" value={shortSec} onChange={(e) => setShortSec(e.target.value)} data-testid="rule-short-sec" />
            </div>
          </>
        )}
        {money && (
          <>
            <div className="field">
              <label htmlFor="rule-threshold">Amount</label>
              <input id="rule-threshold" inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="rule-threshold" />
            </div>
            <div className="field">
              <label htmlFor="rule-currency">Currency</label>
              <input
                id="rule-currency"
                value={currency}
                maxLength={3}
                onChange={(e) => setCurrency(e.target.value.toUpperCase())}
                data-testid="rule-currency"
              />
            </div>
          </>
        )}
        <SelectField id="rule-watch" label="Watch" value={watch} onChange={(w) => (setWatch(w), setValue(''))} choices={choicesOf(WATCH)} testId="rule-watch" />
        {watch === 'number' && <NumberSelect value={value} onChange={setValue} label="Number" testId="rule-number" />}
        {(watch === 'billingGroup' || watch === 'tag' || watch === 'country') && (
          <div className="field">
            <label htmlFor="rule-scope-value">{watch === 'billingGroup' ? 'Billing group id' : watch === 'tag' ? 'Tag' : 'Country code'}</label>
            <input id="rule-scope-value" value={value} onChange={(e) => setValue(e.target.value)} data-testid="rule-scope-value" />
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rule-add">
          Add rule
        </button>
      </form>
      {error && <ErrorNotice error={error} testId="rule-error" />}
    </section>
  );
}
