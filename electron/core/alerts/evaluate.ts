// Spend alerts, evaluated as costs land: at the end of every write transaction of the ledger
// (ledger.onCallsWritten), for exactly the (number, day) pairs whose calls it wrote. Each
// such day's booked spend is first recomputed from its rows (alert_day_spend per number,
// alert_scope_day_spend per billing group, tag or country some rule watches), then every
// enabled rule whose calls the day holds is checked. A firing is a row with the one cause
// behind it (UNIQUE (rule_id, cause)), so the same cause never fires twice, however often the
// day is written again. It commits or rolls back with the costs that caused it.
import type { Db } from '../ledger/open.ts';
import type { TouchedDays } from '../ledger/index.ts';
import { alertFacts, type Subject } from '../ledger/alert-facts.ts';
import { alertsRepo, type AlertRuleRow as RuleRow } from '../ledger/alerts.ts';
import { ruleChecks } from './checks.ts';

const scopeKey = (r: RuleRow) => `${r.scope_kind}\u0000${r.scope_value ?? ''}`;
const isScoped = (r: RuleRow) => r.scope_kind !== 'all' && r.scope_kind !== 'number';
/** The billing group, tag or country a scoped rule watches. */
const scopeOf = (r: RuleRow): Subject => ({ kind: r.scope_kind as Subject['kind'], value: r.scope_value! });

export function alertEvaluator(db: Db, now: () => number) {
  const facts = alertFacts(db);
  const alerts = alertsRepo(db);
  const check = ruleChecks(alerts, facts, now);

  /**
   * The hook: recompute the touched days, then check the rules that watch their calls.
   * Without an enabled rule it does nothing (an import pays nothing for alerts nobody set);
   * adding a rule rebuilds what it reads first (rebuildAlertFacts).
   */
  return (touched: TouchedDays): number => {
    if (!alerts.anyEnabled()) return 0;
    const rules = alerts.enabledRules();
    const days = [...new Set(touched.map((t) => Number(t.day)))];
    for (const t of touched) facts.refreshNumberDay(t.number, Number(t.day));
    const scopes = new Map<string, Subject>();
    for (const r of rules) if (isScoped(r) && r.kind !== 'new_country') scopes.set(scopeKey(r), scopeOf(r));
    for (const s of scopes.values()) for (const d of days) facts.refreshScopeDay(s, d);
    if (rules.some((r) => r.kind === 'new_country')) for (const t of touched) facts.noteCountries(t.number, Number(t.day));

    let n = 0;
    for (const t of touched) {
      const number: Subject = { kind: 'number', value: t.number };
      for (const r of rules) {
        if (r.scope_kind === 'all' || (r.scope_kind === 'number' && r.scope_value === t.number)) n += check(r, number, Number(t.day));
        // A new country is the number's; a group or tag rule only keeps the calls in it.
        else if (r.kind === 'new_country') n += check(r, number, Number(t.day), scopeOf(r));
      }
    }
    for (const r of rules) {
      if (!isScoped(r) || r.kind === 'new_country') continue;
      for (const d of days) n += check(r, scopeOf(r), d);
    }
    return n;
  };
}

/** What the rules read, from every call row: run when a rule is added, before it is checked. */
export function rebuildAlertFacts(db: Db): void {
  const facts = alertFacts(db);
  const alerts = alertsRepo(db);
  facts.rebuildNumberDays();
  for (const s of alerts.watchedScopes()) facts.rebuildScope(s);
  if (alerts.anyCountryRule()) facts.rebuildCountries();
}
/** The name it had before scoped rules. */
export const rebuildDaySpend = rebuildAlertFacts;
