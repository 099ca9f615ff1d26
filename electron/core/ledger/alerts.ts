// Spend alerts in the ledger (migration 9): rules, firings, and the booked spend per number,
// UTC day and currency (alert_day_spend) they are checked against. Named statements only; what
// a rule means and how a firing reads live in core/alerts.
import type { AlertKind } from '../../../shared/alerts.ts';
import { bookedSql } from './booked.ts';
import type { Db } from './open.ts';

const DAY = 86_400_000;
// The booked rule (ledger/booked.ts) over bare calls columns.
const B = bookedSql('');

/** An enabled rule as the evaluator reads it (integers as bigints). */
export interface RuleRow {
  id: number;
  kind: AlertKind;
  scope_number: string | null;
  currency: string;
  threshold_nanos: bigint | null;
  factor: string | null;
}

/** The statements the evaluator runs inside the writing transaction. */
export function alertSpendRepo(db: Db) {
  const q = (sql: string) => db.prepare(sql).safeIntegers(true);
  const clearDay = db.prepare('DELETE FROM alert_day_spend WHERE our_number = ? AND day = ?');
  const fillDay = db.prepare(`INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
    SELECT our_number, @day, ${B.currency}, COUNT(*), SUM(${B.nanos})
    FROM calls WHERE our_number = @number AND started_at >= @day * ${DAY} AND started_at < (@day + 1) * ${DAY}
      AND ${B.nanos} IS NOT NULL AND ${B.currency} IS NOT NULL
    GROUP BY 1, 2, 3`);
  const rulesFor = q('SELECT id, kind, scope_number, currency, threshold_nanos, factor FROM alert_rules WHERE enabled = 1 AND (scope_number IS NULL OR scope_number = ?)');
  const anyRule = db.prepare('SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled = 1)').pluck();
  const spend = q('SELECT COALESCE(SUM(booked), 0) FROM alert_day_spend WHERE our_number = ? AND currency = ? AND day >= ? AND day < ?').pluck();
  const costlyCalls = q(`SELECT id, ${B.nanos} AS booked FROM calls
    WHERE our_number = @number AND started_at >= @day * ${DAY} AND started_at < (@day + 1) * ${DAY}
      AND ${B.currency} = @currency AND ${B.nanos} > @threshold`);
  const hasWeekBefore = db.prepare('SELECT EXISTS (SELECT 1 FROM alert_day_spend WHERE our_number = ? AND currency = ? AND day <= ?)').pluck();
  const fire = db.prepare(`INSERT OR IGNORE INTO alert_firings (rule_id, cause, our_number, period, call_id, amount_nanos, currency, detail, fired_at)
    VALUES (@rule, @cause, @number, @period, @call, @amount, @currency, @detail, @at)`);
  return {
    anyRule: () => Boolean(anyRule.get()),
    /** Recomputes one (number, day)'s booked spend from its calls rows. */
    refreshDay(number: string, day: number): void {
      clearDay.run(number, day);
      fillDay.run({ number, day });
    },
    rulesFor: (number: string) => rulesFor.all(number) as RuleRow[],
    /** Booked spend of a number in one currency over days [from, to). */
    spend: (number: string, currency: string, from: number, to: number) => spend.get(number, currency, from, to) as bigint,
    /** The number's calls that day in `currency` booked above `threshold`. */
    costlyCalls: (p: { number: string; day: number; currency: string; threshold: bigint }) => costlyCalls.all(p) as Array<{ id: bigint; booked: bigint }>,
    hasDayBy: (number: string, currency: string, day: number) => Boolean(hasWeekBefore.get(number, currency, day)),
    /** Records a firing; 1 when new, 0 when this rule already fired for this cause. */
    fire: (f: { rule: number; cause: string; number: string; period: string; call: number | null; amount: bigint; currency: string; detail: string; at: number }) =>
      fire.run(f).changes,
  };
}

/** alert_day_spend from every call row. */
export function rebuildDaySpend(db: Db): void {
  db.prepare('DELETE FROM alert_day_spend').run();
  db.prepare(`INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
    SELECT our_number, started_at / ${DAY}, ${B.currency}, COUNT(*), SUM(${B.nanos})
    FROM calls WHERE started_at IS NOT NULL AND ${B.nanos} IS NOT NULL AND ${B.currency} IS NOT NULL
    GROUP BY 1, 2, 3`).run();
}

/** The (number, day) pairs with booked spend since `sinceDay`, for one number or all. */
export function daySpendDays(db: Db, sinceDay: number, number: string | null): Array<{ number: string; day: number }> {
  return db
    .prepare('SELECT DISTINCT our_number AS number, day FROM alert_day_spend WHERE day >= ? AND (? IS NULL OR our_number = ?)')
    .all(sinceDay, number, number) as Array<{ number: string; day: number }>;
}

/** Rules and firings as stored (integers as bigints); core/alerts/store.ts turns them into views. */
export function alertRulesRepo(db: Db) {
  const q = (sql: string) => db.prepare(sql).safeIntegers(true);
  const rules = q('SELECT * FROM alert_rules ORDER BY id');
  const rule = q('SELECT * FROM alert_rules WHERE id = ?');
  const insert = db.prepare(`INSERT INTO alert_rules (kind, scope_number, currency, threshold_nanos, factor, enabled, created_at, updated_at)
    VALUES (@kind, @number, @currency, @threshold, @factor, @enabled, @now, @now)`);
  const remove = db.prepare('DELETE FROM alert_rules WHERE id = ?');
  const firings = q(`SELECT f.*, r.kind FROM alert_firings f JOIN alert_rules r ON r.id = f.rule_id
    WHERE (@open = 0 OR f.acknowledged_at IS NULL) ORDER BY f.fired_at DESC, f.id DESC LIMIT @limit`);
  const firing = q('SELECT f.*, r.kind FROM alert_firings f JOIN alert_rules r ON r.id = f.rule_id WHERE f.id = ?');
  const open = db.prepare('SELECT COUNT(*) FROM alert_firings WHERE acknowledged_at IS NULL').pluck();
  const ack = db.prepare('UPDATE alert_firings SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL');
  return {
    rules: () => rules.all() as unknown[],
    rule: (id: number | bigint) => rule.get(id),
    insert: (r: { kind: string; number: string | null; currency: string; threshold: bigint; factor: string | null; enabled: 0 | 1; now: number }) =>
      insert.run(r).lastInsertRowid,
    remove: (id: number) => remove.run(id).changes > 0,
    firings: (onlyOpen: boolean, limit: number) => firings.all({ open: onlyOpen ? 1 : 0, limit }) as unknown[],
    firing: (id: number) => firing.get(id),
    unacknowledged: () => Number(open.get()),
    acknowledge: (id: number, now: number) => ack.run(now, id).changes > 0,
  };
}
