// Sums of calls over a time range, grouped, read from sources that never overlap:
//  - whole UTC days inside the range from the daily cache (call_day_totals);
//  - whole hours around them from the hourly cache (call_hour_totals);
//  - the partial hours at either end of the range from the calls rows.
// While any hour in the range is still marked dirty (a write outside ledger.tx, not yet
// recomputed), days are skipped: clean hours come from the hourly cache and dirty hours from
// their rows. So a 30-day overview reads a few hundred cached rows instead of a million calls
// and is still computed from the rows: the caches hold nothing but the same query's answers.
import { CALL_SUMS_SQL, CALL_SUM_COLUMNS, DAY_MS, HOUR_MS } from '../ledger/call-totals.ts';
import type { Db } from '../ledger/open.ts';
import { asBig, isOverflow, registerBigSum, withBigSums } from './big-sum.ts';

export type Range = { from: number; to: number };
export type SumRow = Record<(typeof CALL_SUM_COLUMNS)[number], bigint> & Record<string, unknown>;

/** How a caller groups: the same key expressions over a cache table (t) and over the rows (c). */
export interface Grouping {
  /** How many key columns there are (each source selects them first and groups by them). */
  keys: number;
  /** Select items naming the keys over a cache table t, given its UTC day number expression (currencies are '' there). */
  cached(day: string): string;
  /** The same keys over calls c. */
  rows: string;
  /** Extra condition on t / on c, with named parameters. */
  cachedWhere?: string;
  rowsWhere?: string;
  /** The cache tables read (default: the per-number ones of migration 3), same columns and keys. */
  tables?: { hour: string; day: string };
  /** A join after the cache table t / after calls c and their job j (e.g. json_each of the tags). */
  cachedJoin?: string;
  rowsJoin?: string;
}

const HOURS_PER_DAY = DAY_MS / HOUR_MS;

export function callSums(db: Db, g: Grouping) {
  const groupBy = Array.from({ length: g.keys }, (_, k) => k + 1).join(', ');
  const sums = CALL_SUM_COLUMNS.map((c) => `SUM(t.${c}) AS ${c}`).join(', ');
  const and = (cond: string | undefined) => (cond ? `AND ${cond}` : '');
  const tables = g.tables ?? { hour: 'call_hour_totals', day: 'call_day_totals' };
  // safeIntegers: sums of nano-units over a million calls can pass 2^53. Each statement has a
  // twin with exact big sums, read only when SQLite's SUM overflows (big-sum.ts).
  registerBigSum(db);
  const prepare = (sql: string) => ({ fast: db.prepare(sql).safeIntegers(true), big: db.prepare(withBigSums(sql)).safeIntegers(true) });
  const days = prepare(
    `SELECT ${g.cached('t.day')}, ${sums} FROM ${tables.day} t ${g.cachedJoin ?? ''}
     WHERE t.day >= @d0 AND t.day < @d1 ${and(g.cachedWhere)} GROUP BY ${groupBy}`,
  );
  const hours = prepare(
    `SELECT ${g.cached(`t.hour / ${HOURS_PER_DAY}`)}, ${sums} FROM ${tables.hour} t ${g.cachedJoin ?? ''}
     WHERE t.hour >= @h0 AND t.hour < @h1 ${and(g.cachedWhere)}
       AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = t.our_number AND d.hour = t.hour)
     GROUP BY ${groupBy}`,
  );
  const anyDirty = db.prepare('SELECT EXISTS (SELECT 1 FROM call_hours_dirty WHERE hour >= @h0 AND hour < @h1)').pluck();
  const all = (stmt: ReturnType<typeof prepare>, p: Record<string, unknown>): SumRow[] => {
    try {
      return stmt.fast.all(p) as SumRow[];
    } catch (err) {
      if (!isOverflow(err)) throw err;
      return (stmt.big.all(p) as Record<string, unknown>[]).map((r) => {
        for (const c of CALL_SUM_COLUMNS) r[c] = asBig(r[c]);
        return r as SumRow;
      });
    }
  };
  // Dirty hours first, then calls_number_time for their rows (CROSS JOIN keeps that order).
  const dirtyRows = prepare(
    `SELECT ${g.rows}, ${CALL_SUMS_SQL} FROM call_hours_dirty d
     CROSS JOIN calls c INDEXED BY calls_number_time ON c.our_number = d.our_number AND c.started_at >= d.hour * ${HOUR_MS} AND c.started_at < (d.hour + 1) * ${HOUR_MS}
     LEFT JOIN jobs j ON j.call_id = c.id ${g.rowsJoin ?? ''}
     WHERE d.hour >= @h0 AND d.hour < @h1 ${and(g.rowsWhere)}
     GROUP BY ${groupBy}`,
  );
  // Edges are under an hour each: calls_time reads just them.
  const rows = prepare(
    `SELECT ${g.rows}, ${CALL_SUMS_SQL} FROM calls c INDEXED BY calls_time
     LEFT JOIN jobs j ON j.call_id = c.id ${g.rowsJoin ?? ''}
     WHERE c.started_at >= @from AND c.started_at < @to ${and(g.rowsWhere)}
     GROUP BY ${groupBy}`,
  );

  /** Every group's sums over [from, to), in no particular order (a key may repeat: add them). */
  return (range: Range, params: Record<string, unknown> = {}): SumRow[] => {
    const out: SumRow[] = [];
    const read = (stmt: typeof rows, p: Record<string, unknown>) => out.push(...all(stmt, { ...params, ...p }));
    const h0 = Math.ceil(range.from / HOUR_MS);
    const h1 = Math.floor(range.to / HOUR_MS);
    if (h0 >= h1) {
      read(rows, range);
      return out;
    }
    if (range.from < h0 * HOUR_MS) read(rows, { from: range.from, to: h0 * HOUR_MS });
    if (h1 * HOUR_MS < range.to) read(rows, { from: h1 * HOUR_MS, to: range.to });
    const d0 = Math.ceil(h0 / HOURS_PER_DAY);
    const d1 = Math.floor(h1 / HOURS_PER_DAY);
    if (d0 >= d1 || anyDirty.get({ h0, h1 })) {
      read(hours, { h0, h1 });
      read(dirtyRows, { h0, h1 });
      return out;
    }
    read(days, { d0, d1 });
    if (h0 < d0 * HOURS_PER_DAY) read(hours, { h0, h1: d0 * HOURS_PER_DAY });
    if (d1 * HOURS_PER_DAY < h1) read(hours, { h0: d1 * HOURS_PER_DAY, h1 });
    return out;
  };
}
