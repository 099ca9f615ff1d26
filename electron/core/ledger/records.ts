// Raw detail records keyed by (record_type, record_id), linked to the call or message they
// were matched to. Re-importing the same record changes nothing unless Telnyx changed it.
import { FEATURE_RECORD_TYPES, type FeatureRecordType } from '../../../shared/domain.ts';
import type { Db } from './open.ts';
import { toInt, toNanos } from './rows.ts';

/** Re-storing a record rewrites it only when Telnyx changed it (or it gains its link or rate). */
export const RECORD_CHANGED_ONLY = `     ON CONFLICT(record_type, record_id) DO UPDATE SET
       created_at = excluded.created_at, leg_id = excluded.leg_id, session_id = excluded.session_id,
       control_id = excluded.control_id, cost_nanos = excluded.cost_nanos, currency = excluded.currency, rate = excluded.rate,
       call_id = COALESCE(excluded.call_id, call_id), message_id = COALESCE(excluded.message_id, message_id),
       raw = excluded.raw, imported_at = excluded.imported_at
     WHERE raw IS NOT excluded.raw OR call_id IS NOT COALESCE(excluded.call_id, call_id)
       OR message_id IS NOT COALESCE(excluded.message_id, message_id) OR rate IS NOT excluded.rate`;

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
${RECORD_CHANGED_ONLY}`,
  );
  const forCall = db.prepare(
    'SELECT record_type, record_id, cost_nanos, currency, rate, created_at FROM detail_records WHERE call_id = ? ORDER BY record_type, record_id',
  );
  const count = db.prepare('SELECT COUNT(*) FROM detail_records').pluck();
  const known = db.prepare('SELECT call_id, message_id, cost_nanos, currency FROM detail_records WHERE record_type = ? AND record_id = ?');
  // Feature records (recording, AMD, ...) not linked to a call yet: migration 11's partial
  // index holds exactly these rows (and voice records that matched no call).
  const featureIn = `(${FEATURE_RECORD_TYPES.map((t) => `'${t}'`).join(',')})`;
  const unlinked = db.prepare(
    `SELECT record_type, record_id, leg_id, session_id FROM detail_records
      WHERE call_id IS NULL AND message_id IS NULL AND record_type IN ${featureIn}`,
  );
  const unlinkedCount = db.prepare(`SELECT COUNT(*) FROM detail_records WHERE call_id IS NULL AND message_id IS NULL AND record_type IN ${featureIn}`).pluck();
  const link = db.prepare('UPDATE detail_records SET call_id = ? WHERE record_type = ? AND record_id = ? AND call_id IS NULL');
  const anyOfType = db.prepare('SELECT 1 FROM detail_records WHERE record_type = ? LIMIT 1').pluck();
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
        { call_id: number | null; message_id: string | null; cost_nanos: number | bigint | null; currency: string | null } | undefined,
    unlinkedFeatures(): { recordType: string; recordId: string; legId: string | null; sessionId: string | null }[] {
      return (unlinked.all() as Record<string, unknown>[]).map((r) => ({
        recordType: String(r.record_type),
        recordId: String(r.record_id),
        legId: r.leg_id === null ? null : String(r.leg_id),
        sessionId: r.session_id === null ? null : String(r.session_id),
      }));
    },
    /** Feature records kept with no call (their call is not in the ledger): shown, never dropped. */
    unlinkedFeatureCount: () => Number(unlinkedCount.get()),
    link(recordType: string, recordId: string, callId: number): boolean {
      return link.run(callId, recordType, recordId).changes > 0;
    },
    /** The feature types this ledger holds any record of (the reconciler looks for those). */
    featureTypesSeen(): FeatureRecordType[] {
      return FEATURE_RECORD_TYPES.filter((t) => anyOfType.get(t) !== undefined);
    },
  };
}
export type RecordsRepo = ReturnType<typeof recordsRepo>;
