// The summary report: the overview's per-number totals (views/summary.ts, reused as is), one
// row per number AND currency — amounts in two currencies are never added — then one
// "All numbers" Total row per currency, as the overview's table footer has.
import type { NumberSummary } from '../../../shared/contract.ts';
import { parseMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import { summaryViews } from '../views/summary.ts';
import { int, text } from './cells.ts';
import { CRLF, quote } from './csv.ts';
import { arrayPager } from './pager.ts';
import { CurrencyTotals, withTotalRows } from './totals.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';

export const SUMMARY_COLUMNS = [
  'Row',
  'Number',
  'Currency',
  'Calls',
  'Minutes',
  'SMS',
  'Estimated',
  'Exact',
  'Booked',
  'Variance',
  'Variance %',
  'SMS cost',
  'Pending',
  'Failed',
] as const;

// Summed columns of the Total rows.
const ESTIMATED = 0;
const EXACT = 1;
const BOOKED = 2;
const VARIANCE = 3;
const SMS_COST = 4;
const MINUTES = 5; // decimal minutes ("12.5"): summed exactly as nano-units, written with one decimal
const COUNTS = 6; // calls, messages, pending, failed: summed as integers in one more ExactSum each

// Every amount in a row is in that row's currency. The amounts, minutes and percentage come
// from the view as exact decimal strings: numbers, never neutralized (quote() only guards the
// CSV structure; it leaves such a string as it is).
function toLine(s: NumberSummary): string {
  const fields = [
    'Number',
    text(s.number),
    text(s.currency),
    int(s.calls),
    quote(s.minutes),
    int(s.messages),
    quote(s.estimatedTotal.amount),
    quote(s.exactTotal.amount),
    quote(s.bookedTotal.amount),
    quote(s.variance?.amount ?? ''),
    quote(s.variancePct ?? ''),
    quote(s.messagesTotal.amount),
    int(s.pendingCalls),
    int(s.failedCalls),
  ];
  return fields.join(',') + CRLF;
}

function collect(rows: readonly NumberSummary[]): CurrencyTotals {
  const totals = new CurrencyTotals(COUNTS + 4, BOOKED);
  for (const s of rows) {
    const acc = totals.of(s.currency)!;
    acc.rows++;
    const sum = (i: number, amount: string | undefined) => {
      if (amount !== undefined) acc.sums[i]!.add(parseMoney(amount));
    };
    sum(ESTIMATED, s.estimatedTotal.amount);
    sum(EXACT, s.exactTotal.amount);
    sum(BOOKED, s.bookedTotal.amount);
    sum(VARIANCE, s.variance?.amount);
    sum(SMS_COST, s.messagesTotal.amount);
    sum(MINUTES, s.minutes);
    [s.calls, s.messages, s.pendingCalls, s.failedCalls].forEach((n, k) => acc.sums[COUNTS + k]!.add(n));
  }
  return totals;
}

/** "12.5" from nano-units of minutes (the view writes minutes with one decimal, rounded down). */
function minutesText(n: bigint): string {
  const tenths = n / 100_000_000n;
  return `${tenths / 10n}.${tenths % 10n}`;
}

function totalLines(totals: CurrencyTotals): string {
  let out = '';
  for (const [currency, acc] of totals.entries()) {
    const s = acc.sums;
    const count = (k: number) => String(s[COUNTS + k]!.value());
    // Variance % stays empty: its base (the estimates of compared calls) is not in the rows (the overview shows "—").
    out +=
      `Total,All numbers,${text(currency)},${count(0)},${minutesText(s[MINUTES]!.value())},${count(1)},` +
      `${s[ESTIMATED]!.text()},${s[EXACT]!.text()},${s[BOOKED]!.text()},${s[VARIANCE]!.text()},,` +
      `${s[SMS_COST]!.text()},${count(2)},${count(3)}${CRLF}`;
  }
  return out;
}

export function summaryPager(db: Db, f: ReportFilter, ctx: ReportContext): ReportPages {
  // A few rows per number: small enough to compute at once (the overview does the same).
  const rows = summaryViews(db).summary({ from: f.from, to: f.to }, f.number === undefined ? undefined : [f.number]);
  const totals = collect(rows);
  return { next: withTotalRows(arrayPager(rows, toLine), ctx.totalRows, () => totalLines(totals)), totals };
}
