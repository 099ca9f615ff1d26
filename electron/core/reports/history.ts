// The cost-history report: every change of a booked cost recorded in the range (the audit
// trail), with the number it belongs to, in the order the changes happened.
import type { Db } from '../ledger/open.ts';
import { int, iso, money, text } from './cells.ts';
import { keysetPager, type KeysetQuery, type NextPage } from './pager.ts';
import type { ReportFilter } from './types.ts';

export const HISTORY_COLUMNS = [
  'at',
  'subject',
  'subject_id',
  'our_number',
  'old_cost',
  'new_cost',
  'currency',
  'old_source',
  'new_source',
  'old_status',
  'new_status',
  'reason',
  'detail',
] as const;

const QUERY: Omit<KeysetQuery, 'filter'> = {
  columns: [
    'h.id', 'h.at', 'h.call_id', 'h.message_id', 'COALESCE(c.our_number, m.our_number)', 'h.old_nanos', 'h.new_nanos',
    'h.currency', 'h.old_source', 'h.new_source', 'h.old_status', 'h.new_status', 'h.reason', 'h.detail',
  ],
  from: `FROM cost_history h
    LEFT JOIN calls c ON c.id = h.call_id
    LEFT JOIN messages m ON m.id = h.message_id`,
  time: 'h.at',
  id: 'h.id',
  timeAt: 1,
  idAt: 0,
};

function toLine(r: unknown[]): string {
  const [, at, callId, messageId, ours, oldNanos, newNanos, currency, oldSource, newSource, oldStatus, newStatus, reason, detail] = r;
  const isCall = callId !== null;
  return (
    `${iso(at)},${isCall ? 'call' : 'message'},` +
    // A call's subject id is the local id (the calls report's `id`); a message's is Telnyx's.
    `${isCall ? int(callId) : text(messageId)},${text(ours)},${money(oldNanos)},${money(newNanos)},${text(currency)},` +
    `${text(oldSource)},${text(newSource)},${text(oldStatus)},${text(newStatus)},${text(reason)},` +
    `${text(detail)}\r\n` // the JSON as stored
  );
}

export function historyPager(db: Db, f: ReportFilter): NextPage {
  // The number filter goes through the joined row: history rows carry no number of their own.
  const filter = f.number === undefined ? '' : 'COALESCE(c.our_number, m.our_number) = @number';
  const params = f.number === undefined ? { to: f.to } : { to: f.to, number: f.number };
  return keysetPager(db, { ...QUERY, filter }, f.from, params, toLine);
}
