// The messages report: one row per message sent (or received) in the range, in time order.
import type { Db } from '../ledger/open.ts';
import { decimal, int, iso, money, text } from './cells.ts';
import { keysetPager, type KeysetQuery, type NextPage } from './pager.ts';
import type { ReportFilter } from './types.ts';
import { attributionClauses } from '../views/attribution.ts';

export const MESSAGE_COLUMNS = [
  'id',
  'our_number',
  'other_number',
  'direction',
  'type',
  'parts',
  'status',
  'sent_at',
  'cost',
  'carrier_fee',
  'currency',
  'rate',
  'cost_status',
  'cost_source',
] as const;

// The message id is TEXT, so the keyset runs on the rowid: (sent_at, rowid) is the order of
// both time indexes, and no page needs a sort.
const QUERY: Omit<KeysetQuery, 'filter'> = {
  columns: [
    'm.rowid', 'm.id', 'm.our_number', 'm.other_number', 'm.direction', 'm.message_type', 'm.parts', 'm.status',
    'm.sent_at', 'm.cost_nanos', 'm.carrier_fee_nanos', 'm.currency', 'm.rate', 'm.cost_status', 'm.cost_source',
  ],
  from: 'FROM messages m',
  time: 'm.sent_at',
  id: 'm.rowid',
  timeAt: 8,
  idAt: 0,
};

function toLine(r: unknown[]): string {
  const [, id, ours, other, direction, type, parts, status, sentAt, cost, fee, currency, rate, costStatus, source] = r;
  return (
    `${text(id)},${text(ours)},${text(other)},${text(direction)},${text(type)},${int(parts)},${text(status)},` +
    `${iso(sentAt)},${money(cost)},${money(fee)},${text(currency)},${decimal(rate)},${text(costStatus)},${text(source)}\r\n`
  );
}

export function messagesPager(db: Db, f: ReportFilter): NextPage {
  const attr = attributionClauses(f, 'messages', 'm.');
  const clauses = [...(f.number === undefined ? [] : ['m.our_number = @number']), ...attr.clauses];
  const params = { to: f.to, ...(f.number === undefined ? {} : { number: f.number }), ...attr.params };
  return keysetPager(db, { ...QUERY, filter: clauses.join(' AND ') }, f.from, params, toLine);
}
