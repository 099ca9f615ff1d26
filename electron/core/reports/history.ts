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
import { HISTORY_BY_CHANGE, HISTORY_OF_CALLS, HISTORY_OF_MESSAGES, reportHeaders, reportQuery } from '../views/report-columns.ts';

export const HISTORY_COLUMNS = reportHeaders(HISTORY_BY_CHANGE);

// A row holds a cut's expressions in column order (views/report-columns.ts), the same in all three cuts.
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
function merged(a: NextRows, b: NextRows, { timeAt, idAt }: KeysetQuery, toLine: (r: unknown[]) => string): NextPage {
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
    const calls = reportQuery(HISTORY_OF_CALLS, f);
    const messages = reportQuery(HISTORY_OF_MESSAGES, f);
    const next = merged(keysetReader(db, calls.query, f.from, calls.params), keysetReader(db, messages.query, f.from, messages.params), calls.query, toLine);
    return { next, totals: null };
  }
  const { query, params } = reportQuery(HISTORY_BY_CHANGE, f);
  return { next: keysetPager(db, query, f.from, params, toLine), totals: null };
}
