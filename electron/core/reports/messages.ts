// The messages report: one row per message sent (or received) in the range, in time order,
// then one "Total" row per currency. A message's Cost includes its carrier fee (shown apart).
import type { Db } from '../ledger/open.ts';
import { decimal, int, money, text } from './cells.ts';
import { CRLF } from './csv.ts';
import { keysetPager, type KeysetQuery } from './pager.ts';
import { CurrencyTotals, tagsText, withTotalRows } from './totals.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';
import { attributionClauses } from '../views/attribution.ts';

export const MESSAGE_COLUMNS = [
  'Row',
  'Message id',
  'Sent',
  'Direction',
  'Our number',
  'Other number',
  'Type',
  'Parts',
  'Delivery',
  'Cost',
  'Carrier fee',
  'Currency',
  'Rate',
  'Cost status',
  'Source',
  'Messaging profile id',
  'Messaging profile',
  'Tags',
  'Country',
] as const;

// The message id is TEXT, so the keyset runs on the rowid: (sent_at, rowid) is the order of
// both time indexes, and no page needs a sort.
const QUERY: Omit<KeysetQuery, 'filter'> = {
  columns: [
    'm.rowid',
    'm.id',
    'm.sent_at',
    'm.direction',
    'm.our_number',
    'm.other_number',
    'm.message_type',
    'm.parts',
    'm.status',
    'm.cost_nanos',
    'm.carrier_fee_nanos',
    'm.currency',
    'm.rate',
    'm.cost_status',
    'm.cost_source',
    'm.messaging_profile_id',
    'm.messaging_profile_name',
    'm.tags',
    'm.country_code',
  ],
  from: 'FROM messages m',
  time: 'm.sent_at',
  id: 'm.rowid',
  timeAt: 2,
  idAt: 0,
};

const COST = 0;
const FEE = 1;

function lineWriter(ctx: ReportContext, totals: CurrencyTotals) {
  const time = ctx.time;
  return (r: unknown[]): string => {
    const [, id, sentAt, direction, ours, other, type, parts, status, cost, fee, currency, rate, costStatus, source, profileId, profileName, tags, country] = r;
    const acc = cost === null ? null : totals.of(currency);
    if (acc) {
      acc.rows++;
      acc.sums[COST]!.add(cost);
      acc.sums[FEE]!.add(fee);
    }
    return (
      `Message,${text(id)},${time(sentAt)},${text(direction)},${text(ours)},${text(other)},${text(type)},${int(parts)},` +
      `${text(status)},${money(cost)},${money(fee)},${text(currency)},${decimal(rate)},${text(costStatus)},${text(source)},` +
      `${text(profileId)},${text(profileName)},${text(tagsText(tags))},${text(country)}${CRLF}`
    );
  };
}

function totalLines(totals: CurrencyTotals): string {
  let out = '';
  for (const [currency, acc] of totals.entries()) {
    out += `Total,,,,,,,,,${acc.sums[COST]!.text()},${acc.sums[FEE]!.text()},${text(currency)},,,,,,,${CRLF}`;
  }
  return out;
}

export function messagesPager(db: Db, f: ReportFilter, ctx: ReportContext): ReportPages {
  const attr = attributionClauses(f, 'messages', 'm.');
  const clauses = [...(f.number === undefined ? [] : ['m.our_number = @number']), ...attr.clauses];
  const params = { to: f.to, ...(f.number === undefined ? {} : { number: f.number }), ...attr.params };
  const totals = new CurrencyTotals(2, COST);
  const rows = keysetPager(db, { ...QUERY, filter: clauses.join(' AND ') }, f.from, params, lineWriter(ctx, totals));
  return { next: withTotalRows(rows, ctx.totalRows, () => totalLines(totals)), totals };
}
