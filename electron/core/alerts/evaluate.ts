// Spend alerts, evaluated as costs land: at the end of every write transaction of the ledger
// (ledger.onCallsWritten), for exactly the (number, day) pairs whose calls it wrote. Each
// such day's booked spend is first recomputed from its rows (alert_day_spend), then every
// enabled rule that watches the number is checked against it. A firing is a row with the one
// cause behind it (UNIQUE (rule_id, cause)), so the same cause never fires twice, however
// often the day is written again. It commits or rolls back with the costs that caused it.
import { parseMoney } from '../../../shared/money.ts';
import { bookedSql } from '../ledger/booked.ts';
import type { Db } from '../ledger/open.ts';
import type { TouchedDays } from '../ledger/index.ts';

const DAY = 86_400_000;
// The booked rule (ledger/booked.ts) over bare calls columns.
const B = bookedSql('');
const BOOKED_CURRENCY = B.currency;

export interface RuleRow {
  id: number;
  kind: 'daily_spend' | 'monthly_spend' | 'call_cost' | 'spend_spike';
  scope_number: string | null;
  currency: string;
  threshold_nanos: bigint | null;
  factor: string | null;
}

const dayText = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

export function alertEvaluator(db: Db, now: () => number) {
  const q = (sql: string) => db.prepare(sql).safeIntegers(true);
  const clearDay = db.prepare('DELETE FROM alert_day_spend WHERE our_number = ? AND day = ?');
  const fillDay = db.prepare(`INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
    SELECT our_number, @day, ${BOOKED_CURRENCY}, COUNT(*), SUM(${B.nanos})
    FROM calls WHERE our_number = @number AND started_at >= @day * ${DAY} AND started_at < (@day + 1) * ${DAY}
      AND ${B.nanos} IS NOT NULL AND ${BOOKED_CURRENCY} IS NOT NULL
    GROUP BY 1, 2, 3`);
  const rulesFor = q('SELECT id, kind, scope_number, currency, threshold_nanos, factor FROM alert_rules WHERE enabled = 1 AND (scope_number IS NULL OR scope_number = ?)');
  const anyRule = db.prepare('SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled = 1)').pluck();
  const spend = q('SELECT COALESCE(SUM(booked), 0) FROM alert_day_spend WHERE our_number = ? AND currency = ? AND day >= ? AND day < ?').pluck();
  const costlyCalls = q(`SELECT id, ${B.nanos} AS booked FROM calls
    WHERE our_number = @number AND started_at >= @day * ${DAY} AND started_at < (@day + 1) * ${DAY}
      AND ${BOOKED_CURRENCY} = @currency AND ${B.nanos} > @threshold`);
  const hasWeekBefore = db.prepare('SELECT EXISTS (SELECT 1 FROM alert_day_spend WHERE our_number = ? AND currency = ? AND day <= ?)').pluck();
  const fire = db.prepare(`INSERT OR IGNORE INTO alert_firings (rule_id, cause, our_number, period, call_id, amount_nanos, currency, detail, fired_at)
    VALUES (@rule, @cause, @number, @period, @call, @amount, @currency, @detail, @at)`);

  const fired = (r: RuleRow, number: string, cause: string, period: string, amount: bigint, detail: Record<string, unknown>, call: number | null = null) =>
    fire.run({ rule: r.id, cause, number, period, call, amount, currency: r.currency, detail: JSON.stringify(detail), at: now() }).changes;

  function check(r: RuleRow, number: string, day: number): number {
    const threshold = r.threshold_nanos ?? 0n;
    const date = dayText(day);
    if (r.kind === 'daily_spend') {
      const booked = spend.get(number, r.currency, day, day + 1) as bigint;
      return booked > threshold ? fired(r, number, `day:${number}:${date}`, date, booked, { threshold: String(threshold) }) : 0;
    }
    if (r.kind === 'monthly_spend') {
      const d = new Date(day * DAY);
      const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY;
      const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY;
      const booked = spend.get(number, r.currency, first, next) as bigint;
      const month = date.slice(0, 7);
      return booked > threshold ? fired(r, number, `month:${number}:${month}`, month, booked, { threshold: String(threshold) }) : 0;
    }
    if (r.kind === 'call_cost') {
      let n = 0;
      for (const c of costlyCalls.all({ number, day, currency: r.currency, threshold }) as Array<{ id: bigint; booked: bigint }>) {
        n += fired(r, number, `call:${c.id}`, date, c.booked, { threshold: String(threshold) }, Number(c.id));
      }
      return n;
    }
    // spend_spike: the day's spend above `factor` times the average of the 7 days before it,
    // once the number has a week of history (a new number's second day is not a spike).
    if (!hasWeekBefore.get(number, r.currency, day - 7)) return 0;
    const booked = spend.get(number, r.currency, day, day + 1) as bigint;
    const week = spend.get(number, r.currency, day - 7, day) as bigint;
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
    if (!anyRule.get()) return 0;
    for (const t of touched) {
      clearDay.run(t.number, t.day);
      fillDay.run({ number: t.number, day: t.day });
    }
    let n = 0;
    for (const t of touched) {
      for (const r of rulesFor.all(t.number) as RuleRow[]) n += check(r, t.number, Number(t.day));
    }
    return n;
  };
}

/** alert_day_spend from every call row: run when a rule is added, before it is checked. */
export function rebuildDaySpend(db: Db): void {
  db.prepare('DELETE FROM alert_day_spend').run();
  db.prepare(`INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
    SELECT our_number, started_at / ${DAY}, ${BOOKED_CURRENCY}, COUNT(*), SUM(${B.nanos})
    FROM calls WHERE started_at IS NOT NULL AND ${B.nanos} IS NOT NULL AND ${BOOKED_CURRENCY} IS NOT NULL
    GROUP BY 1, 2, 3`).run();
}
