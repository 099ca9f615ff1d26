// Per-number totals and the daily chart. Every figure is computed from the calls rows: whole
// hours through the hourly cache of those rows (ledger/call-totals.ts), the rest from the rows
// directly (views/call-sums.ts), never from a running number. Grouped by number AND currency:
// amounts in two currencies are never added.
import type { DailyPoint, NumberSummary } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import { DAY_MS } from '../ledger/call-totals.ts';
import { callSums, type Range, type SumRow } from './call-sums.ts';
import { callTotals, noTotals } from './currency-summary.ts';
import { asBig, isOverflow, registerBigSum, withBigSums } from './big-sum.ts';

export function summaryViews(db: Db) {
  // Grouped by the raw currency pair, merged into (number, currency) groups below.
  const perNumber = callSums(db, {
    keys: 3,
    cached: () => "t.our_number AS number, NULLIF(t.currency, '') AS currency, NULLIF(t.estimate_currency, '') AS estimate_currency",
    rows: 'c.our_number AS number, c.currency AS currency, c.estimate_currency AS estimate_currency',
  });
  // The chart's day is the UTC day; an hour never straddles two.
  const perDay = callSums(db, {
    keys: 2,
    cached: (day) => `${day} AS day, COALESCE(NULLIF(t.currency, ''), NULLIF(t.estimate_currency, ''), 'USD') AS cur`,
    rows: `c.started_at / ${DAY_MS} AS day, COALESCE(c.currency, c.estimate_currency, 'USD') AS cur`,
    cachedWhere: '(@number IS NULL OR t.our_number = @number)',
    rowsWhere: '(@number IS NULL OR c.our_number = @number)',
  });
  const messagesSql = `SELECT our_number AS number, COALESCE(currency, 'USD') AS cur, COUNT(*) AS messages, SUM(cost_nanos) AS total
       FROM messages WHERE sent_at >= @from AND sent_at < @to GROUP BY our_number, cur`;
  registerBigSum(db);
  const messagesFast = db.prepare(messagesSql).safeIntegers(true);
  const messagesBig = db.prepare(withBigSums(messagesSql)).safeIntegers(true);
  const messages = {
    all(range: Range): unknown[] {
      try {
        return messagesFast.all(range);
      } catch (err) {
        if (!isOverflow(err)) throw err;
        return (messagesBig.all(range) as Record<string, unknown>[]).map((r) => ({ ...r, total: asBig(r.total) }));
      }
    },
  };
  const numbers = db.prepare('SELECT DISTINCT our_number FROM calls UNION SELECT DISTINCT our_number FROM messages ORDER BY 1').pluck();

  return {
    summary(range: Range, only?: readonly string[]): NumberSummary[] {
      const filter = only && only.length ? new Set(only) : null;
      const key = (n: string, c: string) => `${n}\u0000${c}`;
      const groups = new Map<string, { number: string; currency: string; sums: SumRow[] }>();
      for (const r of perNumber(range)) {
        const number = String(r.number);
        if (filter && !filter.has(number)) continue;
        // The call's currency: its exact cost's, else its estimate's (USD when neither).
        const currency = r.currency !== null ? String(r.currency) : r.estimate_currency !== null ? String(r.estimate_currency) : 'USD';
        const g = groups.get(key(number, currency)) ?? { number, currency, sums: [] };
        g.sums.push(r);
        groups.set(key(number, currency), g);
      }
      const rows = new Map<string, NumberSummary>();
      for (const { number, currency, sums } of groups.values()) rows.set(key(number, currency), { number, ...callTotals(currency, sums) });
      for (const r of messages.all(range) as Record<string, unknown>[]) {
        const number = String(r.number);
        if (filter && !filter.has(number)) continue;
        const currency = String(r.cur);
        const row = rows.get(key(number, currency)) ?? blank(number, currency);
        row.messages = Number(r.messages);
        row.messagesTotal = { amount: formatMoney(typeof r.total === 'bigint' ? r.total : 0n), currency };
        rows.set(key(number, currency), row);
      }
      return [...rows.values()].sort((a, b) => a.number.localeCompare(b.number) || a.currency.localeCompare(b.currency));
    },

    daily(range: Range, number?: string): DailyPoint[] {
      const days = new Map<string, { day: number; cur: string; estimated: bigint; exact: bigint; booked: bigint }>();
      for (const r of perDay(range, { number: number ?? null })) {
        const day = Number(r.day);
        const cur = String(r.cur);
        const k = `${day}\u0000${cur}`;
        const d = days.get(k) ?? { day, cur, estimated: 0n, exact: 0n, booked: 0n };
        // Only estimates in the day's currency: a USD estimate of a call Telnyx billed in EUR
        // is never plotted as euros.
        d.estimated += r.estimated;
        d.exact += r.exact;
        d.booked += r.booked;
        days.set(k, d);
      }
      return [...days.values()]
        .sort((a, b) => a.day - b.day || (a.cur < b.cur ? -1 : a.cur > b.cur ? 1 : 0))
        .map((d) => ({
          day: new Date(d.day * DAY_MS).toISOString().slice(0, 10),
          currency: d.cur,
          estimated: formatMoney(d.estimated),
          exact: formatMoney(d.exact),
          booked: formatMoney(d.booked),
        }));
    },

    numbers: () => (numbers.all() as string[]).map(String),
  };
}

function blank(number: string, currency: string): NumberSummary {
  return { number, ...noTotals(currency) };
}
