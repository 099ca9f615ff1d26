// Driving the importer against the simulator, and what the simulator's ground truth says
// the ledger must hold afterwards.
import assert from 'node:assert/strict';
import type { ImportProgress } from '../../shared/contract.ts';
import { parseMoney } from '../../shared/money.ts';
import type { RecordType } from '../../shared/domain.ts';
import { runImport, type RecordPageSource } from '../../electron/core/ingest/importer.ts';
import type { ChunkWriter } from '../../electron/core/ingest/write-worker.ts';
import type { ComparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { clientRecordSource, type ReadRetry } from '../../electron/core/ingest/sources.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import type { GeneratedAccount } from '../../electron/core/simulator/index.ts';
import type { TelnyxClient } from '../../electron/core/telnyx/index.ts';
import { ManualClock, type Clock } from '../../electron/core/util/clock.ts';
import { ACCOUNT_START, SIM_NOW } from './simulator.ts';

export const ALL_TYPES: RecordType[] = ['call-control', 'messaging', 'sip-trunking', 'webrtc'];
export const FULL_RANGE = { from: ACCOUNT_START, to: SIM_NOW };
/** The product's retries of an unreadable page, with millisecond backoffs. */
export const FAST_READ_RETRY: ReadRetry = { attempts: 5, baseMs: 2, maxMs: 10 };

export function ledgerClock(at = SIM_NOW + 3_600_000): ManualClock {
  return new ManualClock(at);
}

export function importWith(o: {
  ledger: Ledger;
  client: TelnyxClient;
  clock?: Clock;
  from?: number;
  to?: number;
  types?: RecordType[];
  owner?: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  concurrency?: number;
  pagesPerCommit?: number;
  /** Chunks committed by a write worker (ingest/write-worker.ts). */
  writer?: ChunkWriter;
  compare?: ComparisonEstimator;
  /** The pages from this source instead of the client's in-thread one (e.g. a fetch worker's). */
  source?: RecordPageSource;
}): Promise<ImportProgress> {
  return runImport({
    ledger: o.ledger,
    source: o.source ?? clientRecordSource(o.client, o.concurrency ?? 4, FAST_READ_RETRY),
    clock: o.clock ?? ledgerClock(),
    from: o.from ?? FULL_RANGE.from,
    to: o.to ?? FULL_RANGE.to,
    recordTypes: o.types ?? ALL_TYPES,
    owner: o.owner ?? 'test',
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.pagesPerCommit ? { pagesPerCommit: o.pagesPerCommit } : {}),
    ...(o.writer ? { writer: o.writer } : {}),
    ...(o.compare ? { compare: o.compare } : {}),
  });
}

type Row = Record<string, unknown>;

/**
 * Checks the ledger's calls, messages and detail records against the simulator's ground
 * truth for records created in [from, to) of the given types. Returns counts for messages.
 */
export function assertLedgerMatchesTruth(
  ledger: Ledger,
  account: GeneratedAccount,
  range: { from: number; to: number },
  types: readonly RecordType[] = ALL_TYPES,
): { calls: number; messages: number; records: number } {
  const db = ledger.db;
  const inRange = (t: number) => t >= range.from && t < range.to && t <= SIM_NOW;
  const callRows = db.prepare('SELECT * FROM calls ORDER BY id').all() as Row[];
  const bySession = new Map(callRows.map((r) => [String(r.call_session_id), r]));
  assert.equal(bySession.size, callRows.length, 'one call row per session');
  const recordRows = db.prepare('SELECT * FROM detail_records').safeIntegers(true).all() as Row[];
  const recordByKey = new Map(recordRows.map((r) => [`${String(r.record_type)}|${String(r.record_id)}`, r]));

  let expectedCalls = 0;
  let expectedRecords = 0;
  for (let i = 0; i < account.callCount; i++) {
    const t = account.call(i);
    const recs = t.records.filter((r) => types.includes(r.recordType) && inRange(r.createdMs));
    const row = bySession.get(t.callSessionId);
    if (recs.length === 0) {
      assert.equal(row, undefined, `call ${i} has no record in range but a call row`);
      continue;
    }
    expectedCalls++;
    expectedRecords += recs.length;
    assert.ok(row, `call ${i} (${t.callSessionId}) missing`);
    const where = `call ${i}`;
    assert.equal(row.direction, t.direction, `${where} direction`);
    // Our number is `from` for outbound and `to` for inbound.
    assert.equal(row.our_number, t.direction === 'outbound' ? t.from : t.to, `${where} our number`);
    assert.equal(row.our_number, t.ourNumber, `${where} our number`);
    assert.equal(row.other_number, t.direction === 'outbound' ? t.to : t.from, `${where} other number`);
    const main = recs.find((r) => r.recordType !== 'sip-trunking');
    if (main) assert.equal(row.call_leg_id, t.callLegId, `${where} leg id`);
    // A SIP trunk's leg is not the call's leg.
    assert.notEqual(row.call_leg_id, account.sipLegId(i), `${where} leg id is the trunk leg`);
    if (row.call_control_id !== null) assert.equal(row.call_control_id, t.callControlId, `${where} control id`);
    const total = recs.reduce((s, r) => s + r.costNanos, 0n);
    assert.equal(BigInt(row.exact_nanos as number), total, `${where} exact cost = sum of its ${recs.length} records`);
    assert.equal(row.currency, t.currency, `${where} currency`);
    assert.equal(row.cost_status, 'exact', `${where} status`);
    assert.equal(row.cost_source, 'detail_record', `${where} source`);
    if (main) {
      assert.equal(row.call_sec, t.callSec, `${where} call_sec`);
      assert.equal(row.billed_sec, t.billedSec, `${where} billed_sec`);
      assert.equal(row.started_at, Math.floor(t.startMs / 1000) * 1000, `${where} started_at`);
      assert.equal(row.ended_at, Math.floor(t.endMs / 1000) * 1000, `${where} ended_at`);
    }
    for (const r of recs) {
      const stored = recordByKey.get(`${r.recordType}|${r.id}`);
      assert.ok(stored, `${where} record ${r.recordType} ${r.id} missing`);
      assert.equal(stored.cost_nanos, r.costNanos, `${where} record cost`);
      assert.equal(stored.currency, r.currency);
      assert.equal(Number(stored.call_id), row.id, `${where} record linked to its call`);
      assert.equal(Number(stored.created_at), r.createdMs);
    }
  }
  assert.equal(callRows.length, expectedCalls, 'no call rows beyond the truth');

  const messageRows = new Map((db.prepare('SELECT * FROM messages').safeIntegers(true).all() as Row[]).map((r) => [String(r.id), r]));
  let expectedMessages = 0;
  if (types.includes('messaging')) {
    for (let i = 0; i < account.messageCount; i++) {
      const m = account.message(i);
      const row = messageRows.get(m.id);
      if (!m.hasRecord || !inRange(m.recordCreatedMs!)) {
        assert.equal(row, undefined, `message ${i} has no record in range but a row`);
        continue;
      }
      expectedMessages++;
      expectedRecords++;
      assert.ok(row, `message ${i} missing`);
      assert.equal(row.direction, m.direction);
      assert.equal(row.our_number, m.direction === 'outbound' ? m.from : m.to, `message ${i} our number`);
      assert.equal(row.other_number, m.direction === 'outbound' ? m.to : m.from);
      assert.equal(row.cost_nanos, m.costNanos, `message ${i} cost`);
      assert.equal(row.currency, m.currency);
      assert.equal(row.carrier_fee_nanos, parseMoney(m.carrierFee), `message ${i} carrier fee`);
      assert.equal(row.cost_status, 'exact');
      assert.equal(row.cost_source, 'detail_record');
      assert.equal(Number(row.parts), m.parts);
      assert.equal(row.message_type, m.type);
      assert.equal(row.status, m.status);
      const stored = recordByKey.get(`messaging|${m.id}`);
      assert.ok(stored);
      assert.equal(stored.message_id, m.id);
    }
  }
  assert.equal(messageRows.size, expectedMessages, 'no message rows beyond the truth');
  assert.equal(recordRows.length, expectedRecords, 'one detail_records row per distinct record (duplicates listed twice are stored once)');
  return { calls: expectedCalls, messages: expectedMessages, records: expectedRecords };
}

/** Booked exact totals per our number and currency, from the ledger. */
export function ledgerTotals(ledger: Ledger): Record<string, Record<string, bigint>> {
  const rows = ledger.db
    .prepare(
      `SELECT our_number, currency, SUM(n) AS total FROM (
         SELECT our_number, currency, exact_nanos AS n FROM calls WHERE exact_nanos IS NOT NULL
         UNION ALL SELECT our_number, currency, cost_nanos FROM messages WHERE cost_nanos IS NOT NULL)
       GROUP BY our_number, currency`,
    )
    .safeIntegers(true)
    .all() as { our_number: string; currency: string; total: bigint }[];
  const out: Record<string, Record<string, bigint>> = {};
  for (const r of rows) (out[r.our_number] ??= {})[r.currency] = r.total;
  return out;
}
