// The ledger's side of "Check against Telnyx" (core/verify/month.ts): a month's exact totals
// per product and currency, and the counts that can explain a difference.
import type { Db } from '../ledger/open.ts';

/** The ledger's exact total of one product per currency, over calls started / messages sent in [from, to). */
export function exactSumsByCurrency(db: Db, product: string, r: { from: number; to: number }): Map<string, bigint> {
  const sql =
    product === 'messaging'
      ? `SELECT currency, SUM(cost_nanos) AS s FROM messages
         WHERE sent_at >= @from AND sent_at < @to AND cost_status = 'exact' AND currency IS NOT NULL GROUP BY currency`
      : `SELECT dr.currency AS currency, SUM(dr.cost_nanos) AS s FROM detail_records dr JOIN calls c ON c.id = dr.call_id
         WHERE dr.record_type = @product AND c.started_at >= @from AND c.started_at < @to
           AND dr.cost_nanos IS NOT NULL AND dr.currency IS NOT NULL GROUP BY dr.currency`;
  const rows = db
    .prepare(sql)
    .safeIntegers(true)
    .all({ ...r, product }) as { currency: string; s: bigint }[];
  return new Map(rows.map((x) => [String(x.currency), BigInt(x.s)]));
}

/** Calls started and messages sent in [from, to) whose exact cost is not (all) in. */
export function unsettledCounts(db: Db, r: { from: number; to: number }) {
  const calls = db
    .prepare(
      `SELECT
         SUM(cost_status = 'estimated') AS estimated, SUM(cost_status = 'no_record') AS noRecord,
         SUM(cost_status = 'open') AS open, SUM(cost_status = 'exact' AND missing_parts IS NOT NULL) AS partial
       FROM calls WHERE started_at >= @from AND started_at < @to`,
    )
    .get(r) as Record<string, number | null>;
  const messages = Number(db.prepare(`SELECT COUNT(*) FROM messages WHERE sent_at >= @from AND sent_at < @to AND cost_status <> 'exact'`).pluck().get(r));
  return {
    callsEstimated: Number(calls.estimated ?? 0),
    callsNoRecord: Number(calls.noRecord ?? 0),
    callsOpen: Number(calls.open ?? 0),
    callsPartial: Number(calls.partial ?? 0),
    messagesWithoutCost: messages,
  };
}
