// The summary report: the overview's per-number totals (views/summary.ts, reused as is),
// one row per number AND currency — amounts in two currencies are never added.
import type { NumberSummary } from '../../../shared/contract.ts';
import type { Db } from '../ledger/open.ts';
import { summaryViews } from '../views/summary.ts';
import { int, text } from './cells.ts';
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
// and percentage come from the view as exact decimal strings: numbers, never neutralized.
function toCells(s: NumberSummary): string[] {
  return [
    text(s.number),
    text(s.currency),
    int(s.calls),
    s.minutes,
    int(s.messages),
    s.estimatedTotal.amount,
    s.exactTotal.amount,
    s.bookedTotal.amount,
    s.variance.amount,
    s.variancePct ?? '',
    s.messagesTotal.amount,
    int(s.pendingCalls),
    int(s.failedCalls),
  ];
}

export function summaryPager(db: Db, f: ReportFilter): NextPage {
  // A few rows per number: small enough to compute at once (the overview does the same).
  const rows = summaryViews(db).summary({ from: f.from, to: f.to }, f.number === undefined ? undefined : [f.number]);
  return arrayPager(rows, toCells);
}
