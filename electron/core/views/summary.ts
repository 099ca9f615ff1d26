// Per-number totals, computed from the rows every time (indexed queries), never kept as a
// running number. Grouped by number AND currency: amounts in two currencies are never added.
import type { DailyPoint, NumberSummary } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import { percent } from './money-view.ts';

type Range = { from: number; to: number };

export function summaryViews(db: Db) {
  // safeIntegers: sums of nano-units over a million calls can pass 2^53.
  const calls = db
    .prepare(
      `SELECT c.our_number AS number, COALESCE(c.currency, c.estimate_currency, 'USD') AS cur,
         COUNT(*) AS calls,
         SUM(COALESCE(c.billed_sec, c.call_sec, 0)) AS billed_sec,
         SUM(CASE WHEN c.estimate_currency = COALESCE(c.currency, c.estimate_currency) THEN c.estimated_nanos END) AS estimated,
         SUM(CASE WHEN c.cost_source IS NOT NULL AND c.cost_source <> 'estimate' THEN c.actual_nanos END) AS exact,
         SUM(CASE WHEN c.cost_source IS NOT NULL AND c.cost_source <> 'estimate' THEN c.actual_nanos ELSE c.estimated_nanos END) AS booked,
         SUM(CASE WHEN c.cost_source <> 'estimate' AND c.estimated_nanos IS NOT NULL AND c.estimate_currency = c.currency
             THEN c.actual_nanos - c.estimated_nanos END) AS variance,
         SUM(CASE WHEN c.cost_source <> 'estimate' AND c.estimated_nanos IS NOT NULL AND c.estimate_currency = c.currency
             THEN c.estimated_nanos END) AS variance_base,
         SUM(c.cost_status IN ('exact','not_billable')) AS exact_calls,
         SUM(j.status IN ('pending','running')) AS pending,
         SUM(j.status = 'failed') AS failed
       FROM calls c LEFT JOIN jobs j ON j.call_id = c.id
       WHERE c.started_at >= @from AND c.started_at < @to
       GROUP BY c.our_number, cur`,
    )
    .safeIntegers(true);
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
      for (const r of calls.all(range) as Record<string, unknown>[]) {
        const number = String(r.number);
        if (filter && !filter.has(number)) continue;
        const currency = r.cur === null ? 'USD' : String(r.cur);
        const row = blank(number, currency);
        const billedSec = big(r.billed_sec);
        row.calls = Number(r.calls);
        row.minutes = `${billedSec / 60n}.${((billedSec % 60n) * 10n) / 60n}`;
        row.estimatedTotal = { amount: formatMoney(big(r.estimated)), currency };
        row.exactTotal = { amount: formatMoney(big(r.exact)), currency };
        row.bookedTotal = { amount: formatMoney(big(r.booked)), currency };
        row._v = big(r.variance);
        row._b = big(r.variance_base);
        row.variance = { amount: formatMoney(row._v), currency };
        row.variancePct = percent(row._v, row._b);
        row.exactCalls = Number(big(r.exact_calls));
        row.pendingCalls = Number(big(r.pending));
        row.failedCalls = Number(big(r.failed));
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
