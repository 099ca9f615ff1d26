// Per-number totals, computed from the rows every time (indexed queries), never kept as a
// running number. Grouped by number AND currency: amounts in two currencies are never added.
import type { DailyPoint, NumberSummary } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import { percent } from './money-view.ts';

type Range = { from: number; to: number };

/** Columns of the calls and jobs queries that add up across their groups. */
const SUMMED = ['calls', 'billed_sec', 'estimated', 'exact', 'booked', 'variance', 'variance_base', 'exact_calls', 'pending', 'failed'];

export function summaryViews(db: Db) {
  // safeIntegers: sums of nano-units over a million calls can pass 2^53.
  //
  // Calls are grouped by their raw currency columns (the key of the calls_summary covering
  // index, migration 2) and merged into (number, currency) groups below: grouping by the
  // COALESCE directly made SQLite sort every row of the range (seconds at a million calls).
  // Two plans for the same SQL, chosen by how much of the ledger the range covers:
  //  - wide ranges scan calls_summary in index order (no table reads, no sort); the unary
  //    `+` keeps the planner from preferring the started_at range of calls_time instead;
  //  - narrow ranges (under a tenth of the ledger's span) read only the range via calls_time.
  const callColumns = `c.our_number AS number, c.currency AS currency, c.estimate_currency AS estimate_currency,
         COUNT(*) AS calls,
         SUM(COALESCE(c.billed_sec, c.call_sec, 0)) AS billed_sec,
         SUM(CASE WHEN c.estimate_currency = COALESCE(c.currency, c.estimate_currency) THEN c.estimated_nanos END) AS estimated,
         SUM(CASE WHEN c.cost_source IS NOT NULL AND c.cost_source <> 'estimate' THEN c.actual_nanos END) AS exact,
         SUM(CASE WHEN c.cost_source IS NOT NULL AND c.cost_source <> 'estimate' THEN c.actual_nanos ELSE c.estimated_nanos END) AS booked,
         SUM(CASE WHEN c.cost_source <> 'estimate' AND c.estimated_nanos IS NOT NULL AND c.estimate_currency = c.currency
             THEN c.actual_nanos - c.estimated_nanos END) AS variance,
         SUM(CASE WHEN c.cost_source <> 'estimate' AND c.estimated_nanos IS NOT NULL AND c.estimate_currency = c.currency
             THEN c.estimated_nanos END) AS variance_base,
         SUM(c.cost_status IN ('exact','not_billable')) AS exact_calls`;
  const callsWide = db
    .prepare(
      `SELECT ${callColumns} FROM calls c
       WHERE +c.started_at >= @from AND +c.started_at < @to
       GROUP BY c.our_number, c.currency, c.estimate_currency`,
    )
    .safeIntegers(true);
  const callsNarrow = db
    .prepare(
      `SELECT ${callColumns} FROM calls c
       WHERE c.started_at >= @from AND c.started_at < @to
       GROUP BY c.our_number, c.currency, c.estimate_currency`,
    )
    .safeIntegers(true);
  const span = db.prepare('SELECT (SELECT MIN(started_at) FROM calls) AS lo, (SELECT MAX(started_at) FROM calls) AS hi');
  // Job counts from the jobs still open (an index range on status), not a join per call.
  const jobs = db
    .prepare(
      `SELECT c.our_number AS number, COALESCE(c.currency, c.estimate_currency, 'USD') AS cur,
         SUM(j.status IN ('pending','running')) AS pending,
         SUM(j.status = 'failed') AS failed
       FROM jobs j JOIN calls c ON c.id = j.call_id
       WHERE j.status IN ('pending','running','failed') AND c.started_at >= @from AND c.started_at < @to
       GROUP BY 1, 2`,
    )
    .safeIntegers(true);
  const wide = (range: Range): boolean => {
    const s = span.get() as { lo: number | null; hi: number | null };
    if (s.lo === null || s.hi === null) return true;
    const overlap = Math.min(range.to, s.hi + 1) - Math.max(range.from, s.lo);
    return overlap * 10 >= Math.max(1, s.hi + 1 - s.lo);
  };
  const messages = db
    .prepare(
      `SELECT our_number AS number, COALESCE(currency, 'USD') AS cur, COUNT(*) AS messages, SUM(cost_nanos) AS total
       FROM messages WHERE sent_at >= @from AND sent_at < @to GROUP BY our_number, cur`,
    )
    .safeIntegers(true);
  const daily = db
    .prepare(
      `SELECT strftime('%Y-%m-%d', c.started_at / 1000, 'unixepoch') AS day, COALESCE(c.currency, c.estimate_currency, 'USD') AS cur,
         SUM(c.estimated_nanos) AS estimated,
         SUM(CASE WHEN c.cost_source <> 'estimate' THEN c.actual_nanos END) AS exact,
         SUM(CASE WHEN c.cost_source IS NOT NULL AND c.cost_source <> 'estimate' THEN c.actual_nanos ELSE c.estimated_nanos END) AS booked
       FROM calls c
       WHERE c.started_at >= @from AND c.started_at < @to AND (@number IS NULL OR c.our_number = @number)
       GROUP BY day, cur ORDER BY day, cur`,
    )
    .safeIntegers(true);
  const numbers = db.prepare('SELECT DISTINCT our_number FROM calls UNION SELECT DISTINCT our_number FROM messages ORDER BY 1').pluck();

  const big = (v: unknown) => (typeof v === 'bigint' ? v : 0n);

  return {
    summary(range: Range, only?: readonly string[]): NumberSummary[] {
      const filter = only && only.length ? new Set(only) : null;
      const rows = new Map<string, NumberSummary & { _v: bigint; _b: bigint }>();
      const key = (n: string, c: string) => `${n}\u0000${c}`;
      const blank = (number: string, currency: string): NumberSummary & { _v: bigint; _b: bigint } => {
        const zero = { amount: '0.00', currency };
        return {
          number, currency, calls: 0, minutes: '0.0', messages: 0,
          estimatedTotal: zero, exactTotal: zero, bookedTotal: zero, variance: zero, variancePct: null,
          messagesTotal: zero, pendingCalls: 0, failedCalls: 0, exactCalls: 0, _v: 0n, _b: 0n,
        };
      };
      const sums = new Map<string, { number: string; currency: string; n: Record<string, bigint> }>();
      const add = (number: string, currency: string, r: Record<string, unknown>) => {
        const k = key(number, currency);
        const t = sums.get(k) ?? { number, currency, n: {} };
        sums.set(k, t);
        for (const f of SUMMED) if (f in r) t.n[f] = (t.n[f] ?? 0n) + big(r[f]);
      };
      for (const r of (wide(range) ? callsWide : callsNarrow).all(range) as Record<string, unknown>[]) {
        const number = String(r.number);
        if (filter && !filter.has(number)) continue;
        // The call's currency: its exact cost's, else its estimate's (USD when neither).
        const currency = r.currency !== null ? String(r.currency) : r.estimate_currency !== null ? String(r.estimate_currency) : 'USD';
        add(number, currency, r);
      }
      for (const r of jobs.all(range) as Record<string, unknown>[]) {
        const number = String(r.number);
        if (filter && !filter.has(number)) continue;
        if (sums.has(key(number, String(r.cur)))) add(number, String(r.cur), r);
      }
      for (const { number, currency, n: t } of sums.values()) {
        const row = blank(number, currency);
        const billedSec = t.billed_sec ?? 0n;
        row.calls = Number(t.calls ?? 0n);
        row.minutes = `${billedSec / 60n}.${((billedSec % 60n) * 10n) / 60n}`;
        row.estimatedTotal = { amount: formatMoney(t.estimated ?? 0n), currency };
        row.exactTotal = { amount: formatMoney(t.exact ?? 0n), currency };
        row.bookedTotal = { amount: formatMoney(t.booked ?? 0n), currency };
        row._v = t.variance ?? 0n;
        row._b = t.variance_base ?? 0n;
        row.variance = { amount: formatMoney(row._v), currency };
        row.variancePct = percent(row._v, row._b);
        row.exactCalls = Number(t.exact_calls ?? 0n);
        row.pendingCalls = Number(t.pending ?? 0n);
        row.failedCalls = Number(t.failed ?? 0n);
        rows.set(key(number, currency), row);
      }
      for (const r of messages.all(range) as Record<string, unknown>[]) {
        const number = String(r.number);
        if (filter && !filter.has(number)) continue;
        const currency = r.cur === null ? 'USD' : String(r.cur);
        const row = rows.get(key(number, currency)) ?? blank(number, currency);
        row.messages = Number(r.messages);
        row.messagesTotal = { amount: formatMoney(big(r.total)), currency };
        rows.set(key(number, currency), row);
      }
      return [...rows.values()]
        .sort((a, b) => a.number.localeCompare(b.number) || a.currency.localeCompare(b.currency))
        .map(({ _v, _b, ...rest }) => rest);
    },

    daily(range: Range, number?: string): DailyPoint[] {
      return (daily.all({ ...range, number: number ?? null }) as Record<string, unknown>[]).map((r) => ({
        day: String(r.day),
        currency: r.cur === null ? 'USD' : String(r.cur),
        estimated: formatMoney(big(r.estimated)),
        exact: formatMoney(big(r.exact)),
        booked: formatMoney(big(r.booked)),
      }));
    },

    numbers: () => (numbers.all() as string[]).map(String),
  };
}
