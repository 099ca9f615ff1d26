// The rows behind a statement, in time order, for its detail sheets: read by keyset pages
// so no statement stays open while the spreadsheet is written.
import type { Db } from '../ledger/open.ts';
import { bookedSql } from '../ledger/booked.ts';
import type { Statement } from '../statements/model.ts';
import { scopeParams, scopeWhere } from './statement-sums.ts';

export interface StatementCall {
  id: number;
  startedAt: number | null;
  ourNumber: string;
  otherNumber: string;
  direction: string;
  billedSec: number | null;
  booked: bigint | null;
  currency: string | null;
  status: string;
}
export interface StatementMessage {
  id: string;
  sentAt: number | null;
  ourNumber: string;
  otherNumber: string;
  direction: string;
  type: string | null;
  parts: number | null;
  cost: bigint | null;
  currency: string | null;
}

const PAGE = 2000;

export function statementRows(db: Db, st: Statement) {
  const B = bookedSql('');
  const scope = (table: 'calls' | 'messages') => scopeWhere(table, st.scope);
  const params = scopeParams(st.period, st.scope);
  const callPage = db
    .prepare(
      `SELECT id, started_at AS startedAt, our_number AS ourNumber, other_number AS otherNumber, direction, billed_sec AS billedSec,
         ${B.nanos} AS booked, ${B.currency} AS currency,
         CASE WHEN ${B.isExact} AND exact_nanos IS NOT NULL THEN 'exact' WHEN NOT ${B.isExact} AND estimated_nanos IS NOT NULL THEN 'estimated' ELSE 'none yet' END AS status
       FROM calls WHERE started_at >= @from AND started_at < @to AND ${scope('calls')} AND (started_at, id) > (@at, @id)
       ORDER BY started_at, id LIMIT ${PAGE}`,
    )
    .safeIntegers(true);
  const messagePage = db
    .prepare(
      `SELECT id, sent_at AS sentAt, our_number AS ourNumber, other_number AS otherNumber, direction, message_type AS type, parts, cost_nanos AS cost, currency
       FROM messages WHERE sent_at >= @from AND sent_at < @to AND ${scope('messages')} AND (sent_at, id) > (@at, @id)
       ORDER BY sent_at, id LIMIT ${PAGE}`,
    )
    .safeIntegers(true);
  return {
    calls: (): Generator<StatementCall> => keysetRows(callPage, params, { at: -1, id: -1n }, (r) => ({ at: Number(r.startedAt), id: r.id as bigint }), callOf),
    messages: (): Generator<StatementMessage> =>
      keysetRows(messagePage, params, { at: -1, id: '' }, (r) => ({ at: Number(r.sentAt), id: String(r.id) }), messageOf),
  };
}

const num = (v: unknown) => (v === null ? null : Number(v));
/** Who a call or message is between, and which way it went. */
const parties = (r: Row) => ({ ourNumber: String(r.ourNumber), otherNumber: String(r.otherNumber), direction: String(r.direction) });

function callOf(r: Row): StatementCall {
  return {
    id: Number(r.id),
    startedAt: num(r.startedAt),
    ...parties(r),
    billedSec: num(r.billedSec),
    booked: (r.booked as bigint | null) ?? null,
    currency: (r.currency as string | null) ?? null,
    status: String(r.status),
  };
}

function messageOf(r: Row): StatementMessage {
  return {
    id: String(r.id),
    sentAt: num(r.sentAt),
    ...parties(r),
    type: (r.type as string | null) ?? null,
    parts: num(r.parts),
    cost: (r.cost as bigint | null) ?? null,
    currency: (r.currency as string | null) ?? null,
  };
}

type Row = Record<string, unknown>;
/** Where a page starts: after the row with this time and id. */
type Key = { at: number; id: bigint | string };

/** Every row of a keyset statement (@at, @id: the key of the last row read), one page of PAGE rows at a time. */
function* keysetRows<T>(page: ReturnType<Db['prepare']>, params: Row, first: Key, keyOf: (last: Row) => Key, map: (r: Row) => T): Generator<T> {
  let key = first;
  for (;;) {
    const rows = page.all({ ...params, ...key }) as Row[];
    for (const r of rows) yield map(r);
    if (rows.length < PAGE) return;
    key = keyOf(rows[rows.length - 1]!);
  }
}
