// Raw detail records keyed by (record_type, record_id), linked to the call or message they
// were matched to. Re-importing the same record changes nothing unless Telnyx changed it.
import type { Db } from './open.ts';
import { toInt, toNanos } from './rows.ts';

export interface StoredRecord {
  recordType: string;
  recordId: string;
  createdAt: number | null;
  legId: string | null;
  sessionId: string | null;
  controlId: string | null;
  costNanos: bigint | null;
  currency: string | null;
  /** The rate the record states, canonical decimal text; null when it states none. */
  rate?: string | null;
  raw: string;
}

export function recordsRepo(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO detail_records (record_type, record_id, created_at, leg_id, session_id, control_id, cost_nanos,
       currency, rate, call_id, message_id, raw, imported_at)
     VALUES (@recordType, @recordId, @createdAt, @legId, @sessionId, @controlId, @costNanos, @currency, @rate,
       @callId, @messageId, @raw, @now)
     ON CONFLICT(record_type, record_id) DO UPDATE SET
       created_at = excluded.created_at, leg_id = excluded.leg_id, session_id = excluded.session_id,
       control_id = excluded.control_id, cost_nanos = excluded.cost_nanos, currency = excluded.currency, rate = excluded.rate,
       call_id = COALESCE(excluded.call_id, call_id), message_id = COALESCE(excluded.message_id, message_id),
       raw = excluded.raw, imported_at = excluded.imported_at
     WHERE raw IS NOT excluded.raw OR call_id IS NOT COALESCE(excluded.call_id, call_id)
       OR message_id IS NOT COALESCE(excluded.message_id, message_id) OR rate IS NOT excluded.rate`,
  );
  const forCall = db.prepare(
    'SELECT record_type, record_id, cost_nanos, currency, rate, created_at FROM detail_records WHERE call_id = ? ORDER BY record_type, record_id',
  );
  const count = db.prepare('SELECT COUNT(*) FROM detail_records').pluck();
  const known = db.prepare('SELECT call_id, message_id, cost_nanos, currency FROM detail_records WHERE record_type = ? AND record_id = ?');
  return {
    /** Returns true when something changed (new record, or Telnyx's copy differs). */
    upsert(r: StoredRecord & { callId: number | null; messageId: string | null }, now: number): boolean {
      return upsert.run({ ...r, rate: r.rate ?? null, now }).changes > 0;
    },
    forCall(callId: number) {
      return (forCall.all(callId) as Record<string, unknown>[]).map((r) => ({
        recordType: String(r.record_type),
        recordId: String(r.record_id),
        costNanos: toNanos(r.cost_nanos),
        currency: r.currency === null ? null : String(r.currency),
        rate: r.rate === null ? null : String(r.rate),
        createdAt: toInt(r.created_at),
      }));
    },
    count: () => Number(count.get()),
    /** What the ledger holds of one record (its link and cost as stored), or undefined. */
    known: (recordType: string, recordId: string) =>
      known.get(recordType, recordId) as
        | { call_id: number | null; message_id: string | null; cost_nanos: number | bigint | null; currency: string | null }
        | undefined,
  };
}
export type RecordsRepo = ReturnType<typeof recordsRepo>;
