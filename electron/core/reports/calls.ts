// The calls report: one row per call that started in the range, in start order.
import { isExactSource } from '../ledger/booked.ts';
import type { Db } from '../ledger/open.ts';
import { decimal, difference, int, iso, money, nanos, text } from './cells.ts';
import { keysetPager, type KeysetQuery, type NextPage } from './pager.ts';
import type { ReportFilter } from './types.ts';
import { BADGE_SQL } from '../views/calls.ts';
import { attributionClauses } from '../views/attribution.ts';

export const CALL_COLUMNS = [
  'id',
  'call_leg_id',
  'call_session_id',
  'call_control_id',
  'our_number',
  'other_number',
  'direction',
  'started_at',
  'answered_at',
  'ended_at',
  'call_sec',
  'billed_sec',
  'status',
  'estimated_cost',
  'estimate_currency',
  'estimate_method',
  'exact_cost',
  'currency',
  'rate',
  'cost_source',
  'variance',
  'variance_currency',
] as const;

// The status column is the badge a person sees in the calls table (BADGE_SQL).
const QUERY: Omit<KeysetQuery, 'filter'> = {
  columns: [
    'c.id', 'c.call_leg_id', 'c.call_session_id', 'c.call_control_id', 'c.our_number', 'c.other_number', 'c.direction',
    'c.started_at', 'c.answered_at', 'c.ended_at', 'c.call_sec', 'c.billed_sec', BADGE_SQL, 'c.estimated_nanos',
    'c.estimate_currency', 'c.estimate_method', 'c.exact_nanos', 'c.currency', 'c.rate', 'c.cost_source',
  ],
  from: 'FROM calls c LEFT JOIN jobs j ON j.call_id = c.id',
  time: 'c.started_at',
  id: 'c.id',
  timeAt: 7,
  idAt: 0,
};

function toLine(r: unknown[]): string {
  const [id, leg, session, control, ours, other, direction, startedAt, answeredAt, endedAt, callSec, billedSec, status,
    estimated, estimateCurrency, method, exactNanos, currency, rate, source] = r;
  // The exact cost is Telnyx's (call.cost event, detail record, manual); an estimate is not.
  const exact = isExactSource(source as string | null) ? exactNanos : null;
  // Variance only within one currency, over the same calls the summary's variance covers.
  const a = nanos(exact);
  const e = nanos(estimated);
  const hasVariance = a !== null && e !== null && estimateCurrency === currency;
  return (
    `${int(id)},${text(leg)},${text(session)},${text(control)},${text(ours)},${text(other)},${text(direction)},` +
    `${iso(startedAt)},${iso(answeredAt)},${iso(endedAt)},${int(callSec)},${int(billedSec)},${text(status)},` +
    `${money(estimated)},${text(estimateCurrency)},${text(method)},${money(exact)},${text(currency)},${decimal(rate)},` +
    `${text(source)},${hasVariance ? money(difference(a, e)) : ''},${hasVariance ? text(currency) : ''}\r\n`
  );
}

export function callsPager(db: Db, f: ReportFilter): NextPage {
  const attr = attributionClauses(f, 'calls', 'c.');
  const clauses = [...(f.number === undefined ? [] : ['c.our_number = @number']), ...attr.clauses];
  const params = { to: f.to, ...(f.number === undefined ? {} : { number: f.number }), ...attr.params };
  return keysetPager(db, { ...QUERY, filter: clauses.join(' AND ') }, f.from, params, toLine);
}
