// The summary report: the overview's per-number totals (views/summary.ts, reused as is),
// one row per number AND currency — amounts in two currencies are never added.
import type { NumberSummary } from '../../../shared/contract.ts';
import type { Db } from '../ledger/open.ts';
import { summaryViews } from '../views/summary.ts';
import { int, text } from './cells.ts';
import { CRLF, quote } from './csv.ts';
import { arrayPager, type NextPage } from './pager.ts';
import type { ReportFilter } from './types.ts';

export const SUMMARY_COLUMNS = [
  'number',
  'currency',
  'calls',
  'billed_minutes',
  'messages',
  'estimated_total',
  'exact_total',
  'booked_total',
  'variance',
  'variance_pct',
  'messages_total',
  'pending',
  'failed',
] as const;

// Every amount in a row is in that row's `currency` (second column). The amounts, minutes
// and percentage come from the view as exact decimal strings: numbers, never neutralized
// (quote() only guards the CSV structure; it leaves such a string as it is).
function toLine(s: NumberSummary): string {
  const fields = [
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

export function summaryPager(db: Db, f: ReportFilter): NextPage {
  // A few rows per number: small enough to compute at once (the overview does the same).
  const rows = summaryViews(db).summary({ from: f.from, to: f.to }, f.number === undefined ? undefined : [f.number]);
  return arrayPager(rows, toLine);
}
