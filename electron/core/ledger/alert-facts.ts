// What spend alerts scoped to a billing group, a tag or a destination country read from the
// calls rows, and the two small tables kept for them (migration 11): booked spend per scope
// and day (alert_scope_day_spend), and each number's first outbound call per destination
// country (alert_number_countries). Both are recomputed from rows inside the writing
// transaction for the days it touched, like alert_day_spend, never kept as running numbers.
import { bookedSql } from './booked.ts';
import type { Db } from './open.ts';

const DAY = 86_400_000;
// The booked rule (ledger/booked.ts) over bare calls columns.
const BOOKED_CURRENCY = bookedSql('').currency;
const BOOKED = bookedSql('').nanos;
/** A call with a booked amount and currency. */
const PRICED = `${BOOKED} IS NOT NULL AND ${BOOKED_CURRENCY} IS NOT NULL`;

/** Whom a rule's calls belong to: one number, or the calls of a group, a tag or a country. */
export type SubjectKind = 'number' | 'billing_group' | 'tag' | 'country';
export interface Subject {
  kind: SubjectKind;
  value: string;
}

/** The calls of a subject, as a condition on `calls` with the parameter @sv. */
function subjectWhere(kind: SubjectKind): string {
  if (kind === 'number') return 'our_number = @sv';
  if (kind === 'billing_group') return 'billing_group_id = @sv';
  if (kind === 'country') return 'country_code = @sv';
  // calls.tags is a JSON array of strings (telnyx/schemas.ts tagsText), or NULL.
  return "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(calls.tags) THEN calls.tags ELSE '[]' END) WHERE value = @sv)";
}

export interface StreakCall {
  id: number;
  startedAt: number;
  callSec: number;
}

export function alertFacts(db: Db) {
  const cache = new Map<string, ReturnType<Db['prepare']>>();
  const stmt: Stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql).safeIntegers(true)));
    return s;
  };
  const inDay = inDayOf;
  const isScope = (s: Subject) => s.kind !== 'number';

  return {
    /** Recomputes one scope's booked spend of one UTC day from its rows. */
    refreshScopeDay(s: Subject, day: number): void {
      stmt('DELETE FROM alert_scope_day_spend WHERE scope_kind = @kind AND scope_value = @sv AND day = @day').run({ kind: s.kind, sv: s.value, day });
      stmt(`INSERT INTO alert_scope_day_spend (scope_kind, scope_value, day, currency, calls, booked)
        SELECT @kind, @sv, @day, ${BOOKED_CURRENCY}, COUNT(*), SUM(${BOOKED}) FROM calls
        WHERE ${inDay} AND ${PRICED} AND ${subjectWhere(s.kind)} GROUP BY 4`).run({ kind: s.kind, sv: s.value, day });
    },
    /** One scope's spend per day from every call row (a rule was added). */
    rebuildScope(s: Subject): void {
      stmt('DELETE FROM alert_scope_day_spend WHERE scope_kind = @kind AND scope_value = @sv').run({ kind: s.kind, sv: s.value });
      stmt(`INSERT INTO alert_scope_day_spend (scope_kind, scope_value, day, currency, calls, booked)
        SELECT @kind, @sv, started_at / ${DAY}, ${BOOKED_CURRENCY}, COUNT(*), SUM(${BOOKED}) FROM calls
        WHERE started_at IS NOT NULL AND ${PRICED} AND ${subjectWhere(s.kind)} GROUP BY 3, 4`).run({ kind: s.kind, sv: s.value });
    },
    /** Booked spend of a subject in one currency over the days [from, to). */
    spend(s: Subject, currency: string, from: number, to: number): bigint {
      const sql = isScope(s)
        ? 'SELECT COALESCE(SUM(booked), 0) FROM alert_scope_day_spend WHERE scope_kind = @kind AND scope_value = @sv AND currency = @currency AND day >= @from AND day < @to'
        : 'SELECT COALESCE(SUM(booked), 0) FROM alert_day_spend WHERE our_number = @sv AND currency = @currency AND day >= @from AND day < @to';
      return stmt(sql).pluck().get({ kind: s.kind, sv: s.value, currency, from, to }) as bigint;
    },
    /** Whether the subject had any spend in the currency on or before `day`. */
    hasSpendBy(s: Subject, currency: string, day: number): boolean {
      const sql = isScope(s)
        ? 'SELECT EXISTS (SELECT 1 FROM alert_scope_day_spend WHERE scope_kind = @kind AND scope_value = @sv AND currency = @currency AND day <= @day)'
        : 'SELECT EXISTS (SELECT 1 FROM alert_day_spend WHERE our_number = @sv AND currency = @currency AND day <= @day)';
      return (stmt(sql).pluck().get({ kind: s.kind, sv: s.value, currency, day }) as bigint) === 1n;
    },
    /** The subject's calls of one day booked above `threshold` in the currency. */
    costlyCalls(s: Subject, day: number, currency: string, threshold: bigint): Array<{ id: bigint; booked: bigint; number: string }> {
      return stmt(`SELECT id, ${BOOKED} AS booked, our_number AS number FROM calls
        WHERE ${inDay} AND ${subjectWhere(s.kind)} AND ${BOOKED_CURRENCY} = @currency AND ${BOOKED} > @threshold ORDER BY id`).all({
        sv: s.value,
        day,
        currency,
        threshold,
      }) as Array<{ id: bigint; booked: bigint; number: string }>;
    },

    ...numberDayFacts(db, stmt),
    ...countryFacts(db, stmt),
    /** Whether call `id` belongs to the subject (a new_country rule per group or tag). */
    callIn(s: Subject, id: bigint): boolean {
      return (
        (stmt(`SELECT EXISTS (SELECT 1 FROM calls WHERE id = @id AND ${subjectWhere(s.kind)})`)
          .pluck()
          .get({ id, sv: s.value }) as bigint) === 1n
      );
    },

    ...streakFacts(stmt),
  };
}
export type AlertFacts = ReturnType<typeof alertFacts>;

/** A cached statement (integers as bigints) for a SQL text. */
type Stmt = (sql: string) => ReturnType<Db['prepare']>;

const inDayOf = 'started_at >= @day * 86400000 AND started_at < (@day + 1) * 86400000';

/** Each number's booked spend per UTC day (alert_day_spend), and the days that have calls. */
function numberDayFacts(db: Db, stmt: Stmt) {
  return {
    /** Recomputes one number's booked spend of one UTC day from its rows. */
    refreshNumberDay(number: string, day: number): void {
      stmt('DELETE FROM alert_day_spend WHERE our_number = @number AND day = @day').run({ number, day });
      stmt(`INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
        SELECT our_number, @day, ${BOOKED_CURRENCY}, COUNT(*), SUM(${BOOKED})
        FROM calls WHERE our_number = @number AND ${inDayOf} AND ${PRICED}
        GROUP BY 1, 2, 3`).run({ number, day });
    },
    /** Every number's spend per day from every call row (a rule was added). */
    rebuildNumberDays(): void {
      db.prepare('DELETE FROM alert_day_spend').run();
      db.prepare(
        `INSERT INTO alert_day_spend (our_number, day, currency, calls, booked)
        SELECT our_number, started_at / ${DAY}, ${BOOKED_CURRENCY}, COUNT(*), SUM(${BOOKED})
        FROM calls WHERE started_at IS NOT NULL AND ${PRICED}
        GROUP BY 1, 2, 3`,
      ).run();
    },
    /** Every (number, UTC day) with a call started at or after `sinceMs`, by day then number. */
    callDays(sinceMs: number): Array<{ number: string; day: number }> {
      const rows = stmt(`SELECT DISTINCT our_number AS number, started_at / ${DAY} AS day FROM calls WHERE started_at >= ? ORDER BY 2, 1`).all(
        sinceMs,
      ) as Array<{
        number: string;
        day: bigint;
      }>;
      return rows.map((r) => ({ number: r.number, day: Number(r.day) }));
    },
  };
}

/** Each number's first outbound call per destination country (the new_country rule). */
function countryFacts(db: Db, stmt: Stmt) {
  const inDay = inDayOf;
  return {
    /** Each number's first outbound call per destination country, from one day's rows. */
    noteCountries(number: string, day: number): void {
      stmt(`INSERT INTO alert_number_countries (our_number, country_code, first_at, first_call_id)
        SELECT our_number, country_code, started_at, id FROM calls
        WHERE our_number = @sv AND ${inDay} AND direction = 'outbound' AND country_code IS NOT NULL AND country_code <> ''
        ORDER BY started_at, id
        ON CONFLICT (our_number, country_code) DO UPDATE SET first_at = excluded.first_at, first_call_id = excluded.first_call_id
        WHERE excluded.first_at < first_at OR (excluded.first_at = first_at AND excluded.first_call_id < first_call_id)`).run({ sv: number, day });
    },
    rebuildCountries(): void {
      db.prepare('DELETE FROM alert_number_countries').run();
      db.prepare(
        `INSERT INTO alert_number_countries (our_number, country_code, first_at, first_call_id)
        SELECT our_number, country_code, started_at, id FROM (
          SELECT our_number, country_code, started_at, id, ROW_NUMBER() OVER (PARTITION BY our_number, country_code ORDER BY started_at, id) AS rank
          FROM calls WHERE direction = 'outbound' AND country_code IS NOT NULL AND country_code <> '' AND started_at IS NOT NULL)
        WHERE rank = 1`,
      ).run();
    },
    /**
     * The countries a number first called on or after `fromDay` that were not its first
     * country (a number's first calls set what is usual for it), with the call that did.
     */
    newCountries(number: string, fromDay: number): Array<{ country: string; firstAt: bigint; callId: bigint }> {
      return stmt(`SELECT country_code AS country, first_at AS firstAt, first_call_id AS callId FROM alert_number_countries
        WHERE our_number = @sv AND first_at >= @day * ${DAY}
          AND first_at > (SELECT MIN(first_at) FROM alert_number_countries WHERE our_number = @sv) ORDER BY first_at`).all({
        sv: number,
        day: fromDay,
      }) as Array<{ country: string; firstAt: bigint; callId: bigint }>;
    },
  };
}

/** Runs of failed or very short calls (the failed_calls rule). */
function streakFacts(stmt: Stmt) {
  return {
    /**
     * The subject's ended calls around one day, in order, from just after the last call
     * before the day that talked `shortSec` or more to just before the first such call after
     * it: every run of failed or very short calls that reaches into the day lies inside.
     */
    streakWindow(s: Subject, day: number, shortSec: number): StreakCall[] {
      const where = `${subjectWhere(s.kind)} AND call_sec IS NOT NULL AND started_at IS NOT NULL`;
      const p = { sv: s.value, start: day * DAY, end: (day + 1) * DAY, short: shortSec };
      const lo = stmt(`SELECT started_at FROM calls WHERE ${where} AND call_sec >= @short AND started_at < @start ORDER BY started_at DESC LIMIT 1`)
        .pluck()
        .get(p) as bigint | undefined;
      const hi = stmt(`SELECT started_at FROM calls WHERE ${where} AND call_sec >= @short AND started_at >= @end ORDER BY started_at LIMIT 1`)
        .pluck()
        .get(p) as bigint | undefined;
      const rows = stmt(`SELECT id, started_at, call_sec FROM calls WHERE ${where} AND started_at > @lo AND started_at < @hi ORDER BY started_at, id`).all({
        ...p,
        lo: lo ?? -1n,
        hi: hi ?? 9_000_000_000_000_000n,
      }) as Array<{ id: bigint; started_at: bigint; call_sec: bigint }>;
      return rows.map((r) => ({ id: Number(r.id), startedAt: Number(r.started_at), callSec: Number(r.call_sec) }));
    },
    /** Whether the rule already fired for a run of the subject overlapping [fromMs, toMs]. */
    streakFired(ruleId: number, subject: string, fromMs: number, toMs: number): boolean {
      return (
        (stmt(`SELECT EXISTS (SELECT 1 FROM alert_firings WHERE rule_id = @rule AND subject = @subject AND cause LIKE 'streak:%'
        AND json_extract(detail, '$.fromMs') <= @to AND json_extract(detail, '$.toMs') >= @from)`)
          .pluck()
          .get({ rule: ruleId, subject, from: fromMs, to: toMs }) as bigint) === 1n
      );
    },
  };
}
