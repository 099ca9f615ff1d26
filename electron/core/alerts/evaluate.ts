// Spend alerts, evaluated as costs land: at the end of every write transaction of the ledger
// (ledger.onCallsWritten), for exactly the (number, day) pairs whose calls it wrote. Each
// such day's booked spend is first recomputed from its rows (alert_day_spend per number,
// alert_scope_day_spend per billing group, tag or country some rule watches), then every
// enabled rule whose calls the day holds is checked. A firing is a row with the one cause
// behind it (UNIQUE (rule_id, cause)), so the same cause never fires twice, however often the
// day is written again. It commits or rolls back with the costs that caused it.
import type { Db } from '../ledger/open.ts';
import { bookedSql } from '../ledger/booked.ts';
import type { TouchedDays } from '../ledger/index.ts';
import { alertFacts, type Subject } from '../ledger/alert-facts.ts';
import { ruleChecks, type RuleRow } from './checks.ts';

const DAY = 86_400_000;
// The booked rule (ledger/booked.ts) over bare calls columns.
const BOOKED_CURRENCY = bookedSql('').currency;
const BOOKED = bookedSql('').nanos;

export type { RuleRow } from './checks.ts';

const scopeKey = (r: RuleRow) => `${r.scope_kind}\u0000${r.scope_value ?? ''}`;
const isScoped = (r: RuleRow) => r.scope_kind !== 'all' && r.scope_kind !== 'number';

export function alertEvaluator(db: Db, now: () => number) {
  const facts = alertFacts(db);
  const clearDay = db.prepare('DELETE FROM alert_day_spend WHERE our_number = ? AND day = ?');
  const fillDay = db.prepare(`INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
    SELECT our_number, @day, ${BOOKED_CURRENCY}, COUNT(*), SUM(${BOOKED})
    FROM calls WHERE our_number = @number AND started_at >= @day * ${DAY} AND started_at < (@day + 1) * ${DAY}
      AND ${BOOKED} IS NOT NULL AND ${BOOKED_CURRENCY} IS NOT NULL
    GROUP BY 1, 2, 3`);
  const enabledRules = db
    .prepare('SELECT id, kind, scope_kind, scope_value, currency, threshold_nanos, factor, min_calls, short_sec FROM alert_rules WHERE enabled = 1 ORDER BY id')
    .safeIntegers(true);
  const anyRule = db.prepare('SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled = 1)').pluck();
  const check = ruleChecks(db, facts, now);

  /**
   * The hook: recompute the touched days, then check the rules that watch their calls.
   * Without an enabled rule it does nothing (an import pays nothing for alerts nobody set);
   * adding a rule rebuilds what it reads first (rebuildAlertFacts).
   */
  return (touched: TouchedDays): number => {
    if (!anyRule.get()) return 0;
    const rules = (enabledRules.all() as Array<RuleRow & { id: bigint }>).map((r) => ({ ...r, id: Number(r.id) }));
    const days = [...new Set(touched.map((t) => Number(t.day)))];
    for (const t of touched) {
      clearDay.run(t.number, t.day);
      fillDay.run({ number: t.number, day: t.day });
    }
    const scopes = new Map<string, Subject>();
    for (const r of rules)
      if (isScoped(r) && r.kind !== 'new_country') scopes.set(scopeKey(r), { kind: r.scope_kind as Subject['kind'], value: r.scope_value! });
    for (const s of scopes.values()) for (const d of days) facts.refreshScopeDay(s, d);
    if (rules.some((r) => r.kind === 'new_country')) for (const t of touched) facts.noteCountries(t.number, Number(t.day));

    let n = 0;
    for (const t of touched) {
      const number: Subject = { kind: 'number', value: t.number };
      for (const r of rules) {
        if (r.scope_kind === 'all' || (r.scope_kind === 'number' && r.scope_value === t.number)) n += check(r, number, Number(t.day));
        // A new country is the number's; a group or tag rule only keeps the calls in it.
        else if (r.kind === 'new_country') n += check(r, number, Number(t.day), { kind: r.scope_kind as Subject['kind'], value: r.scope_value! });
      }
    }
    for (const r of rules) {
      if (!isScoped(r) || r.kind === 'new_country') continue;
      for (const d of days) n += check(r, { kind: r.scope_kind as Subject['kind'], value: r.scope_value! }, d);
    }
    return n;
  };
}

/** What the rules read, from every call row: run when a rule is added, before it is checked. */
export function rebuildAlertFacts(db: Db): void {
  db.prepare('DELETE FROM alert_day_spend').run();
  db.prepare(
    `INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
    SELECT our_number, started_at / ${DAY}, ${BOOKED_CURRENCY}, COUNT(*), SUM(${BOOKED})
    FROM calls WHERE started_at IS NOT NULL AND ${BOOKED} IS NOT NULL AND ${BOOKED_CURRENCY} IS NOT NULL
    GROUP BY 1, 2, 3`,
  ).run();
  const facts = alertFacts(db);
  const scopes = db
    .prepare(
      "SELECT DISTINCT scope_kind AS kind, scope_value AS value FROM alert_rules WHERE enabled = 1 AND scope_kind IN ('billing_group','tag','country') AND kind <> 'new_country'",
    )
    .all() as Subject[];
  for (const s of scopes) facts.rebuildScope(s);
  if (db.prepare("SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled = 1 AND kind = 'new_country')").pluck().get()) facts.rebuildCountries();
}
/** The name it had before scoped rules. */
export const rebuildDaySpend = rebuildAlertFacts;
