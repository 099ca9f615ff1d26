// The hourly and daily call totals (migration 3): a cache of what the overview sums, recomputed
// from the calls rows of every hour a write touched (and a day from its hours). Triggers mark the hours; `refresh` runs inside
// the writing transaction (ledger.tx) so a committed ledger normally has no dirty hours, and
// readers (views/summary.ts) sum a dirty hour's rows themselves, so an answer never depends
// on the cache being fresh.
import { BOOKED } from './booked.ts';
import type { Db } from './open.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * The sums of one group of calls, as SQL select items over `c` (calls) and `j` (its job, LEFT
 * JOINed). The one definition of every overview figure: the cache and the readers that sum
 * rows directly both use it, so they cannot disagree.
 */
export const CALL_SUMS_SQL = `COUNT(*) AS calls,
  COALESCE(SUM(COALESCE(c.billed_sec, c.call_sec, 0)), 0) AS billed_sec,
  COALESCE(SUM(c.estimated_nanos), 0) AS estimated_all,
  COALESCE(SUM(CASE WHEN c.estimate_currency = COALESCE(c.currency, c.estimate_currency) THEN c.estimated_nanos END), 0) AS estimated,
  COALESCE(SUM(${BOOKED.exactNanos}), 0) AS exact,
  COALESCE(SUM(${BOOKED.nanos}), 0) AS booked,
  COALESCE(SUM(CASE WHEN ${BOOKED.isExact} AND c.exact_nanos IS NOT NULL AND c.estimated_nanos IS NOT NULL AND c.estimate_currency = c.currency
      THEN c.exact_nanos - c.estimated_nanos END), 0) AS variance,
  COALESCE(SUM(CASE WHEN ${BOOKED.isExact} AND c.exact_nanos IS NOT NULL AND c.estimated_nanos IS NOT NULL AND c.estimate_currency = c.currency
      THEN c.estimated_nanos END), 0) AS variance_base,
  COALESCE(SUM(c.cost_status IN ('exact','not_billable')), 0) AS exact_calls,
  COALESCE(SUM(j.status IN ('pending','running')), 0) AS pending,
  COALESCE(SUM(j.status = 'failed'), 0) AS failed`;

/** The summed columns, in CALL_SUMS_SQL's order. */
export const CALL_SUM_COLUMNS = [
  'calls',
  'billed_sec',
  'estimated_all',
  'estimated',
  'exact',
  'booked',
  'variance',
  'variance_base',
  'exact_calls',
  'pending',
  'failed',
] as const;

export function callTotalsRepo(db: Db) {
  const anyDirty = db.prepare('SELECT EXISTS (SELECT 1 FROM call_hours_dirty)').pluck();
  const dirtyCount = db.prepare('SELECT COUNT(*) FROM call_hours_dirty').pluck();
  // Each statement is written once over a set of dirty hours: all of them for the usual
  // refresh, one (number, day) of them for the fallback in refresh().
  const allDirty = 'call_hours_dirty';
  const oneDay = '(SELECT * FROM call_hours_dirty WHERE our_number = @number AND hour >= @day * 24 AND hour < (@day + 1) * 24)';
  const daysOf = (dirty: string) => `SELECT DISTINCT our_number, hour / 24 AS day FROM ${dirty}`;
  const sumHours = CALL_SUM_COLUMNS.map((c) => `SUM(t.${c})`).join(', ');
  const statements = (dirty: string) =>
    [
      `DELETE FROM call_hour_totals WHERE (hour, our_number) IN (SELECT hour, our_number FROM ${dirty})`,
      // Dirty hours first, then calls_number_time (our_number, started_at) for exactly their rows:
      // CROSS JOIN fixes that order (left to right, a planner that guesses would scan all calls).
      `INSERT INTO call_hour_totals (hour, our_number, currency, estimate_currency, ${CALL_SUM_COLUMNS.join(', ')})
       SELECT d.hour, d.our_number, COALESCE(c.currency, ''), COALESCE(c.estimate_currency, ''), ${CALL_SUMS_SQL}
       FROM ${dirty} d
       CROSS JOIN calls c INDEXED BY calls_number_time ON c.our_number = d.our_number AND c.started_at >= d.hour * ${HOUR_MS} AND c.started_at < (d.hour + 1) * ${HOUR_MS}
       LEFT JOIN jobs j ON j.call_id = c.id
       GROUP BY d.hour, d.our_number, COALESCE(c.currency, ''), COALESCE(c.estimate_currency, '')`,
      // Days from their (now fresh) hours.
      `DELETE FROM call_day_totals WHERE (our_number, day) IN (${daysOf(dirty)})`,
      `INSERT INTO call_day_totals (day, our_number, currency, estimate_currency, ${CALL_SUM_COLUMNS.join(', ')})
       SELECT dd.day, dd.our_number, t.currency, t.estimate_currency, ${sumHours}
       FROM (${daysOf(dirty)}) dd
       CROSS JOIN call_hour_totals t ON t.hour >= dd.day * 24 AND t.hour < (dd.day + 1) * 24 AND t.our_number = dd.our_number
       GROUP BY dd.day, dd.our_number, t.currency, t.estimate_currency`,
      ...groupStatements(dirty),
      `DELETE FROM call_hours_dirty WHERE (our_number, hour) IN (SELECT our_number, hour FROM ${dirty})`,
    ].map((sql) => db.prepare(sql));
  const refreshAll = statements(allDirty);
  const adding = addStatements(db);
  let addedDays: Array<{ number: string; day: number }> = [];
  const refreshOneDay = statements(oneDay);
  const daysToDo = db.prepare(daysOf(allDirty));

  return {
    /** Recomputes every dirty hour from its rows. Call inside a write transaction. */
    refresh(): number {
      if (!anyDirty.get()) return 0;
      const n = Number(dirtyCount.get());
      try {
        for (const st of refreshAll) st.run();
      } catch (err) {
        if (!isOverflow(err)) throw err;
        // Sums past int64 (absurd amounts, say a malformed record): a failed statement undoes
        // only itself, so go day by day and leave the days that overflow marked dirty. Their
        // readers sum the rows (and report the overflow), and every other write still commits:
        // a cache must never make the ledger refuse writes.
        for (const d of daysToDo.all() as { our_number: string; day: number | bigint }[]) {
          const params = { number: d.our_number, day: Number(d.day) };
          try {
            for (const st of refreshOneDay) st.run(params);
          } catch (e) {
            if (!isOverflow(e)) throw e;
          }
        }
      }
      return n;
    },
    dirtyHours: () => Number(dirtyCount.get()),
    /**
     * While on (inside a write transaction), a new call marks no hour: its writer hands its id
     * to addCalls before the transaction ends. Migration 15's flag row, never committed.
     */
    deferInserts(on: boolean): void {
      (on ? adding.defer : adding.undefer).run();
    },
    /**
     * Adds calls inserted while deferred (and not changed since: a change marks the hour) to
     * the hour and day caches, one summed upsert per table. The same sums refresh() would
     * compute: an hour marked dirty by another write is recomputed from its rows anyway.
     */
    addCalls(ids: readonly number[]): void {
      if (ids.length === 0) return;
      const json = JSON.stringify(ids);
      const st = (adding.summed ??= summedStatements(db));
      try {
        const days = db.transaction(() => {
          st.fill.run(json);
          for (const upsert of st.upserts) upsert.run();
          return st.days.all() as Array<{ number: string; day: number }>;
        })();
        addedDays.push(...days);
      } catch (err) {
        if (!isOverflow(err)) throw err;
        // A sum past int64: leave those hours to refresh(), which keeps such a day summed from the rows.
        for (const d of adding.days.all(json) as Array<{ number: string; day: number }>) addedDays.push(d);
        adding.markDirty.run(json);
      } finally {
        st.clear.run();
      }
    },
    /** The (number, UTC day) pairs addCalls touched since the last call (the writing transaction's). */
    takeAddedDays(): Array<{ number: string; day: number }> {
      const out = addedDays;
      addedDays = [];
      return out;
    },
  };
}
export type CallTotalsRepo = ReturnType<typeof callTotalsRepo>;

/** The attribution keys of call_group_*_totals (migration 11) over calls c, in the tables' key order. */
const GROUP_KEYS_SQL = `c.direction, COALESCE(c.country_code, ''), COALESCE(c.billing_group_id, c.billing_group_name, ''),
  COALESCE(c.connection_id, c.connection_name, ''), COALESCE(c.tags, '')`;
const GROUP_KEY_COLUMNS = 'direction, country, billing_group, connection, tags';

/**
 * The same recomputation for the totals by attribution (views/groups.ts reads them): the dirty
 * hours' rows grouped by number, currencies and attribution, then their days from those hours.
 */
function groupStatements(dirty: string): string[] {
  const daysOf = `SELECT DISTINCT our_number, hour / 24 AS day FROM ${dirty}`;
  const sumHours = CALL_SUM_COLUMNS.map((c) => `SUM(t.${c})`).join(', ');
  const columns = `our_number, currency, estimate_currency, ${GROUP_KEY_COLUMNS}, billing_group_name, connection_name, ${CALL_SUM_COLUMNS.join(', ')}`;
  return [
    `DELETE FROM call_group_hour_totals WHERE (hour, our_number) IN (SELECT hour, our_number FROM ${dirty})`,
    `INSERT INTO call_group_hour_totals (hour, ${columns})
     SELECT d.hour, d.our_number, COALESCE(c.currency, ''), COALESCE(c.estimate_currency, ''), ${GROUP_KEYS_SQL},
       MAX(c.billing_group_name), MAX(c.connection_name), ${CALL_SUMS_SQL}
     FROM ${dirty} d
     CROSS JOIN calls c INDEXED BY calls_number_time ON c.our_number = d.our_number AND c.started_at >= d.hour * ${HOUR_MS} AND c.started_at < (d.hour + 1) * ${HOUR_MS}
     LEFT JOIN jobs j ON j.call_id = c.id
     GROUP BY d.hour, d.our_number, COALESCE(c.currency, ''), COALESCE(c.estimate_currency, ''), ${GROUP_KEYS_SQL}`,
    `DELETE FROM call_group_day_totals WHERE (our_number, day) IN (${daysOf})`,
    `INSERT INTO call_group_day_totals (day, ${columns})
     SELECT dd.day, dd.our_number, t.currency, t.estimate_currency, t.direction, t.country, t.billing_group, t.connection, t.tags,
       MAX(t.billing_group_name), MAX(t.connection_name), ${sumHours}
     FROM (${daysOf}) dd
     CROSS JOIN call_group_hour_totals t ON t.hour >= dd.day * 24 AND t.hour < (dd.day + 1) * 24 AND t.our_number = dd.our_number
     GROUP BY dd.day, dd.our_number, t.currency, t.estimate_currency, t.direction, t.country, t.billing_group, t.connection, t.tags`,
  ];
}

/** The statements of addCalls over a list of call ids (JSON): the flag row, and the fallbacks. */
function addStatements(db: Db) {
  const ids = 'c.id IN (SELECT value FROM json_each(?)) AND c.started_at IS NOT NULL';
  const hour = `c.started_at / ${HOUR_MS}`;
  return {
    defer: db.prepare('INSERT OR IGNORE INTO call_totals_deferred (one) VALUES (1)'),
    undefer: db.prepare('DELETE FROM call_totals_deferred'),
    days: db.prepare(`SELECT DISTINCT c.our_number AS number, (${hour}) / 24 AS day FROM calls c WHERE ${ids}`),
    markDirty: db.prepare(
      `INSERT INTO call_hours_dirty SELECT DISTINCT c.our_number, ${hour} FROM calls c WHERE ${ids}
         AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = c.our_number AND d.hour = ${hour})`,
    ),
    /** Prepared on first use: its temp table is created then (a connection that never adds has none). */
    summed: undefined as ReturnType<typeof summedStatements> | undefined,
  };
}

/**
 * addCalls reads the calls rows once: their sums per hour and finest key (number, currencies,
 * attribution) into a temp table, from which each cache gets its rows. The sums add up to
 * what one pass over the rows per cache gives (COUNT and SUM of integers are additive, MAX of
 * the names is the MAX of the groups' MAX), at a quarter of the row reads.
 */
function summedStatements(db: Db) {
  const sums = CALL_SUM_COLUMNS.join(', ');
  const keys = 'our_number, currency, estimate_currency';
  const groupKeys = `${keys}, ${GROUP_KEY_COLUMNS}`;
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS added_call_sums (
    hour INTEGER NOT NULL, ${groupKeys}, billing_group_name, connection_name, ${CALL_SUM_COLUMNS.map((c) => `${c} INTEGER NOT NULL`).join(', ')})`);
  const sumOf = CALL_SUM_COLUMNS.map((c) => `SUM(${c})`).join(', ');
  const add = CALL_SUM_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
  // MAX over the group's rows, as the recomputation takes it (scalar max() is NULL if either is).
  const names = ['billing_group_name', 'connection_name'].map((c) => `${c} = COALESCE(max(${c}, excluded.${c}), ${c}, excluded.${c})`).join(', ');
  // WHERE true: an INSERT ... SELECT with an upsert clause needs a WHERE (SQLite's parsing rule).
  const upsert = (table: string, time: 'hour' | 'day', grouped: boolean) => {
    const by = `${time === 'hour' ? 'hour' : 'hour / 24'}, ${grouped ? groupKeys : keys}`;
    return db.prepare(
      `INSERT INTO ${table} (${time}, ${grouped ? `${groupKeys}, billing_group_name, connection_name` : keys}, ${sums})
       SELECT ${by}, ${grouped ? 'MAX(billing_group_name), MAX(connection_name), ' : ''}${sumOf}
       FROM temp.added_call_sums WHERE true GROUP BY ${by}
       ON CONFLICT (${time}, ${grouped ? groupKeys : keys}) DO UPDATE SET ${add}${grouped ? `, ${names}` : ''}`,
    );
  };
  return {
    fill: db.prepare(
      `INSERT INTO temp.added_call_sums (hour, ${groupKeys}, billing_group_name, connection_name, ${sums})
       SELECT c.started_at / ${HOUR_MS}, c.our_number, COALESCE(c.currency, ''), COALESCE(c.estimate_currency, ''), ${GROUP_KEYS_SQL},
         MAX(c.billing_group_name), MAX(c.connection_name), ${CALL_SUMS_SQL}
       FROM calls c LEFT JOIN jobs j ON j.call_id = c.id
       WHERE c.id IN (SELECT value FROM json_each(?)) AND c.started_at IS NOT NULL
       GROUP BY c.started_at / ${HOUR_MS}, c.our_number, COALESCE(c.currency, ''), COALESCE(c.estimate_currency, ''), ${GROUP_KEYS_SQL}`,
    ),
    days: db.prepare('SELECT DISTINCT our_number AS number, hour / 24 AS day FROM temp.added_call_sums'),
    upserts: [
      upsert('call_hour_totals', 'hour', false),
      upsert('call_day_totals', 'day', false),
      upsert('call_group_hour_totals', 'hour', true),
      upsert('call_group_day_totals', 'day', true),
    ],
    clear: db.prepare('DELETE FROM temp.added_call_sums'),
  };
}

function isOverflow(err: unknown): boolean {
  return err instanceof Error && /integer overflow/i.test(err.message);
}
