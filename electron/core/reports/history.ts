// The cost-history report: every change of a booked cost (the audit trail), with the number
// and the call or message it belongs to. Two cuts (issue 13): by when the change happened
// (the changes recorded in the range, in that order), or by the call's start / message's
// sending (every change of the range's calls and messages, even one made weeks later, in
// the order of their calls and messages).
import type { Db } from '../ledger/open.ts';
import { int, money, text } from './cells.ts';
import { CRLF } from './csv.ts';
import { detailText } from './detail-text.ts';
import { keysetPager, keysetReader, type KeysetQuery, type NextPage, type NextRows } from './pager.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';

export const HISTORY_COLUMNS = [
  'Changed',
  'Of',
  'Id',
  'Our number',
  'Started or sent',
  'Cost before',
  'Cost after',
  'Currency',
  'Source before',
  'Source after',
  'Status before',
  'Status after',
  'Reason',
  'Detail',
] as const;

const VALUES = ['h.old_nanos', 'h.new_nanos', 'h.currency', 'h.old_source', 'h.new_source', 'h.old_status', 'h.new_status', 'h.reason', 'h.detail'];

// By change: the audit trail's own time index; the subject's number and time by join.
const BY_CHANGE: Omit<KeysetQuery, 'filter'> = {
  columns: ['h.id', 'h.at', 'h.call_id', 'h.message_id', 'COALESCE(c.our_number, m.our_number)', 'COALESCE(c.started_at, m.sent_at)', ...VALUES],
  from: `FROM cost_history h
    LEFT JOIN calls c ON c.id = h.call_id
    LEFT JOIN messages m ON m.id = h.message_id`,
  time: 'h.at',
  id: 'h.id',
  timeAt: 1,
  idAt: 0,
};

// By call date: calls in start order (calls_time), each call's changes by its history
// index; messages alike. The two are merged on (time, change id) below.
const CALL_CHANGES: Omit<KeysetQuery, 'filter'> = {
  columns: ['h.id', 'h.at', 'h.call_id', 'NULL', 'c.our_number', 'c.started_at', ...VALUES],
  from: 'FROM calls c JOIN cost_history h ON h.call_id = c.id',
  time: 'c.started_at',
  id: 'h.id',
  timeAt: 5,
  idAt: 0,
};
const MESSAGE_CHANGES: Omit<KeysetQuery, 'filter'> = {
  columns: ['h.id', 'h.at', 'NULL', 'h.message_id', 'm.our_number', 'm.sent_at', ...VALUES],
  from: 'FROM messages m JOIN cost_history h ON h.message_id = m.id',
  time: 'm.sent_at',
  id: 'h.id',
  timeAt: 5,
  idAt: 0,
};

function lineWriter(ctx: ReportContext) {
  const time = ctx.time;
  return (r: unknown[]): string => {
    const [, at, callId, messageId, ours, subjectAt, oldNanos, newNanos, currency, oldSource, newSource, oldStatus, newStatus, reason, detail] = r;
    const isCall = callId !== null;
    return (
      `${time(at)},${isCall ? 'call' : 'message'},` +
      // A call's id is the local id (the calls report's Ledger id); a message's is Telnyx's.
      `${isCall ? int(callId) : text(messageId)},${text(ours)},${time(subjectAt)},${money(oldNanos)},${money(newNanos)},` +
      `${text(currency)},${text(oldSource)},${text(newSource)},${text(oldStatus)},${text(newStatus)},${text(reason)},` +
      `${text(detailText(detail))}${CRLF}`
    );
  };
}

/** Two row streams, each in (time, id) order, as one in that order (ids are unique across both). */
function merged(a: NextRows, b: NextRows, timeAt: number, idAt: number, toLine: (r: unknown[]) => string): NextPage {
  const side = (read: NextRows) => ({ read, rows: [] as unknown[][], at: 0, more: true });
  const sides = [side(a), side(b)];
  const head = (s: (typeof sides)[number], limit: number): unknown[] | null => {
    if (s.at === s.rows.length && s.more) {
      const next = s.read(limit);
      s.rows = next.rows;
      s.at = 0;
      s.more = next.more;
    }
    return s.at < s.rows.length ? s.rows[s.at]! : null;
  };
  const before = (x: unknown[], y: unknown[]) => {
    const tx = Number(x[timeAt]);
    const ty = Number(y[timeAt]);
    return tx < ty || (tx === ty && Number(x[idAt]) < Number(y[idAt]));
  };
  return (limit) => {
    let text = '';
    let rows = 0;
    while (rows < limit) {
      const [x, y] = [head(sides[0]!, limit), head(sides[1]!, limit)];
      if (x === null && y === null) return { text, rows, more: false };
      const s = y === null || (x !== null && before(x, y)) ? sides[0]! : sides[1]!;
      text += toLine(s.rows[s.at++]!);
      rows++;
    }
    const more = sides.some((s) => s.at < s.rows.length || s.more);
    return { text, rows, more };
  };
}

export function historyPager(db: Db, f: ReportFilter, ctx: ReportContext): ReportPages {
  const toLine = lineWriter(ctx);
  if (f.historyBy === 'call') {
    const only = (alias: string) => (f.number === undefined ? '' : `${alias}.our_number = @number`);
    const params = f.number === undefined ? { to: f.to } : { to: f.to, number: f.number };
    const calls = keysetReader(db, { ...CALL_CHANGES, filter: only('c') }, f.from, params);
    const messages = keysetReader(db, { ...MESSAGE_CHANGES, filter: only('m') }, f.from, params);
    return { next: merged(calls, messages, 5, 0, toLine), totals: null };
  }
  // The number filter goes through the joined row: history rows carry no number of their own.
  const filter = f.number === undefined ? '' : 'COALESCE(c.our_number, m.our_number) = @number';
  const params = f.number === undefined ? { to: f.to } : { to: f.to, number: f.number };
  return { next: keysetPager(db, { ...BY_CHANGE, filter }, f.from, params, toLine), totals: null };
}
