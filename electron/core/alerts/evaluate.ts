// Spend alerts, evaluated as costs land: at the end of every write transaction of the ledger
// (ledger.onCallsWritten), for exactly the (number, day) pairs whose calls it wrote. Each
// such day's booked spend is first recomputed from its rows (alert_day_spend), then every
// enabled rule that watches the number is checked against it. A firing is a row with the one
// cause behind it (UNIQUE (rule_id, cause)), so the same cause never fires twice, however
// often the day is written again. It commits or rolls back with the costs that caused it.
import { parseMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import type { TouchedDays } from '../ledger/index.ts';
import { alertSpendRepo, type RuleRow } from '../ledger/alerts.ts';

export { rebuildDaySpend } from '../ledger/alerts.ts';
export type { RuleRow } from '../ledger/alerts.ts';

const DAY = 86_400_000;

const dayText = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

export function alertEvaluator(db: Db, now: () => number) {
  const store = alertSpendRepo(db);

  const fired = (r: RuleRow, number: string, cause: string, period: string, amount: bigint, detail: Record<string, unknown>, call: number | null = null) =>
    store.fire({ rule: r.id, cause, number, period, call, amount, currency: r.currency, detail: JSON.stringify(detail), at: now() });

  function check(r: RuleRow, number: string, day: number): number {
    const threshold = r.threshold_nanos ?? 0n;
    const date = dayText(day);
    if (r.kind === 'daily_spend') {
      const booked = store.spend(number, r.currency, day, day + 1);
      return booked > threshold ? fired(r, number, `day:${number}:${date}`, date, booked, { threshold: String(threshold) }) : 0;
    }
    if (r.kind === 'monthly_spend') {
      const d = new Date(day * DAY);
      const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY;
      const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY;
      const booked = store.spend(number, r.currency, first, next);
      const month = date.slice(0, 7);
      return booked > threshold ? fired(r, number, `month:${number}:${month}`, month, booked, { threshold: String(threshold) }) : 0;
    }
    if (r.kind === 'call_cost') {
      let n = 0;
      for (const c of store.costlyCalls({ number, day, currency: r.currency, threshold })) {
        n += fired(r, number, `call:${c.id}`, date, c.booked, { threshold: String(threshold) }, Number(c.id));
      }
      return n;
    }
    // spend_spike: the day's spend above `factor` times the average of the 7 days before it,
    // once the number has a week of history (a new number's second day is not a spike).
    if (!store.hasDayBy(number, r.currency, day - 7)) return 0;
    const booked = store.spend(number, r.currency, day, day + 1);
    const week = store.spend(number, r.currency, day - 7, day);
    const factor = parseMoney(r.factor ?? '0'); // nano-units of the factor: exact, no float
    if (week <= 0n || booked <= threshold || booked * 7n * 1_000_000_000n <= week * factor) return 0;
    return fired(r, number, `spike:${number}:${date}`, date, booked, { factor: r.factor, trailing7Days: String(week), minimum: String(threshold) });
  }

  /**
   * The hook: recompute the touched days, then check the rules that watch their numbers.
   * Without an enabled rule it does nothing (an import pays nothing for alerts nobody set);
   * adding a rule rebuilds alert_day_spend whole first (rebuildDaySpend).
   */
  return (touched: TouchedDays): number => {
    if (!store.anyRule()) return 0;
    for (const t of touched) store.refreshDay(t.number, t.day);
    let n = 0;
    for (const t of touched) {
      for (const r of store.rulesFor(t.number)) n += check(r, t.number, Number(t.day));
    }
    return n;
  };
}
