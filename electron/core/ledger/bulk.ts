// Statements of the import's bulk write path (ingest/bulk-write.ts): which ids of a whole
// chunk the calls table already holds, asked once per chunk with the ids in key order (one
// pass down each index instead of three random probes per record), and the three rows a new
// call priced by its one record makes, bound by position (no named-parameter objects).
// Each row is the one calls.insertPriced, history.append and records.upsert would write.
import { CALL_KEY, type CallKeyKind } from './call-keys.ts';
import { PRICED_CALL_INTO } from './calls.ts';
import type { Db } from './open.ts';
import { RECORD_CHANGED_ONLY, type StoredRecord } from './records.ts';

export interface PricedCallRow {
  callLegId: string | null;
  callSessionId: string | null;
  callControlId: string | null;
  ourNumber: string;
  otherNumber: string;
  direction: string;
  connectionId: string | null;
  startedAt: number | null;
  endedAt: number | null;
  callSec: number | null;
  billedSec: number | null;
  billingGroupId: string | null;
  billingGroupName: string | null;
  connectionName: string | null;
  tags: string | null;
  countryCode: string | null;
  estimate: { nanos: bigint; currency: string; method: string; rate: string } | null;
  nanos: bigint;
  currency: string;
  rate: string | null;
}

/** A detail record as the bulk path stores it: the record, its rate stated, the call it priced. */
export type RawRecordRow = Omit<StoredRecord, 'rate'> & { rate: string | null; callId: number | null };

export function bulkRepo(db: Db) {
  // json_each hands SQLite the whole list; IN (...) makes it a sorted ephemeral index, so both
  // levels of the calls' key table (ledger/call-keys.ts) are walked in key order (no need to
  // sort or dedupe the list in JS: that was ~2 µs a record on the write worker).
  const known = (kind: CallKeyKind) => db.prepare(`SELECT key FROM call_key_lookup WHERE kind = ${kind} AND key IN (SELECT value FROM json_each(?))`).pluck();
  const knownLeg = known(CALL_KEY.leg);
  const knownControl = known(CALL_KEY.control);
  const knownSession = known(CALL_KEY.session);
  // OR FAIL, not the default ABORT: calls has an AFTER INSERT trigger, so an ABORT insert
  // keeps a statement journal (a copy of every page it changes, to undo itself) for each row;
  // FAIL keeps none (~3 µs of ~14.5 a row, measured: test/bench/write-gap.ts). The rows are
  // the same: a single-row insert checks every constraint before it writes anything, and the
  // triggers do nothing here (the bulk path defers the hour marks and the keys: flag rows in
  // call_totals_deferred and call_keys_deferred), so a failing insert has changed nothing
  // either way, and its error rolls the chunk back.
  const insertCall = db.prepare(
    `INSERT OR FAIL ${PRICED_CALL_INTO}
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'exact', 'detail_record', ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO cost_history (call_id, message_id, old_nanos, new_nanos, currency, old_source, new_source,
       old_status, new_status, reason, detail, at)
     VALUES (?, NULL, NULL, ?, ?, NULL, 'detail_record', 'open', 'exact', ?, ?, ?)`,
  );
  // The same upsert as records.upsert (a record stored before, unmatched, is linked now).
  const upsertRecord = db.prepare(
    `INSERT INTO detail_records (record_type, record_id, created_at, leg_id, session_id, control_id, cost_nanos,
       currency, rate, call_id, message_id, raw, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
${RECORD_CHANGED_ONLY}`,
  );

  return {
    /** The ids among these that some call already has as its leg, control or session id. */
    knownCallIds(ids: { legs: readonly string[]; controls: readonly string[]; sessions: readonly string[] }): Set<string> {
      const out = new Set<string>();
      for (const [stmt, list] of [
        [knownLeg, ids.legs],
        [knownControl, ids.controls],
        [knownSession, ids.sessions],
      ] as const) {
        const json = JSON.stringify(list);
        if (json !== '[]') for (const id of stmt.all(json) as string[]) out.add(id);
      }
      return out;
    },
    /** A new call born exact (calls.insertPriced's row). Returns its id. */
    insertPricedCall(c: PricedCallRow, now: number): number {
      return Number(insertCall.run(...pricedCallValues(c, now)).lastInsertRowid);
    },
    /** The history entry of a call born exact (open -> exact, from one detail record). */
    appendBornExact(callId: number, nanos: bigint, currency: string, reason: string, detail: string, now: number): void {
      insertHistory.run(callId, nanos, currency, reason, detail, now);
    },
    upsertRecord(r: RawRecordRow, now: number): void {
      upsertRecord.run(r.recordType, r.recordId, r.createdAt, r.legId, r.sessionId, r.controlId, r.costNanos, r.currency, r.rate, r.callId, r.raw, now);
    },
  };
}
export type BulkRepo = ReturnType<typeof bulkRepo>;

/** A priced call's values in the order of the calls INSERT's placeholders (PRICED_CALL_INTO). */
export function pricedCallValues(c: PricedCallRow, now: number): unknown[] {
  const e = c.estimate;
  return [
    c.callLegId,
    c.callSessionId,
    c.callControlId,
    c.ourNumber,
    c.otherNumber,
    c.direction,
    c.connectionId,
    c.startedAt,
    c.endedAt,
    c.callSec,
    c.billedSec,
    c.billingGroupId,
    c.billingGroupName,
    c.connectionName,
    c.tags,
    c.countryCode,
    e?.nanos ?? null,
    e?.currency ?? null,
    e?.method ?? null,
    e?.rate ?? null,
    c.nanos,
    c.currency,
    c.rate,
    now,
    now,
    now,
  ];
}
