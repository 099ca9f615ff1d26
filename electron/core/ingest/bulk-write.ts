// The import's write path: a chunk of parsed detail records (several pages, or rows of a
// batch report) into the ledger, inside the caller's transaction. The ledger it leaves is row
// for row the one storeVoiceRecords / storeMessageRecords leave batch by batch
// (test/unit/bulk-write.test.ts): only the work differs.
//
// Most records of an import are a call's only record and the call is new. For those the
// general path probes three call indexes per record (leg, control, session: misses), builds
// named-parameter objects and stringifies history details with a bigint replacer. Here the
// chunk's ids are looked up once, in key order; a record none of whose ids any call or any
// earlier record of the chunk carries cannot find a call, so its call is inserted already
// booked through positional statements. Every other record (a trunk part, a duplicate, a
// record of a call an event created, a not-billable one) goes through storeVoiceRecord, in
// its place in the order, so call ids and history come out in the same order.
import type { ComparisonEstimator } from '../costs/comparison.ts';
import type { Ledger } from '../ledger/index.ts';
import type { PricedCallRow, RawRecordRow } from '../ledger/bulk.ts';
import { formatMoney } from '../../../shared/money.ts';
import { isFeatureRecordType } from '../../../shared/domain.ts';
import {
  beginVoiceBatch,
  canCreateCall,
  emptyOutcome,
  finishVoiceBatch,
  newCallOf,
  pricesNewCallAlone,
  storeFeatureRecords,
  storeMessageRecords,
  storeVoiceRecord,
  stringify,
  voiceIdsOf,
  type MessageRecordLike,
  type StoreOutcome,
  type VoiceBatchState,
  type VoiceRecordLike,
  type VoiceStoreOptions,
} from './store-records.ts';
import { callIdsOf, takeRecords } from './page-wire.ts';

/** One batch of parsed records (a page, or a slice of a report): the unit "alone" is judged in. */
export interface RecordBatch {
  voice: readonly VoiceRecordLike[];
  messages: readonly MessageRecordLike[];
}

/**
 * Writes batches of parsed detail records, in order, creating the calls and messages they are
 * the first sign of. Call inside ledger.tx (the caller commits the chunk with its bookkeeping).
 * The same batches through storeVoiceRecords + storeMessageRecords give the same ledger.
 */
export function writeRecordBatches(
  ledger: Ledger,
  batches: readonly RecordBatch[],
  o: { compare?: ComparisonEstimator },
  now: number,
  out: StoreOutcome = emptyOutcome(),
): StoreOutcome {
  const known = knownIdsOf(ledger, batches);
  const seen = new Set<string>();
  const options: VoiceStoreOptions = { createCalls: true, compare: o.compare };
  const fast = fastInserts(ledger);
  try {
    for (const b of batches) {
      const { voice: all, messages } = takeRecords(b);
      // Billed features (recording, AMD, ...) attach to a call as parts; they never make one.
      const features = all.filter((r) => isFeatureRecordType(r.recordType));
      const voice = features.length ? all.filter((r) => !isFeatureRecordType(r.recordType)) : all;
      if (features.length) {
        fast.general();
        storeFeatureRecords(ledger, features, options, now, out);
      }
      if (voice.length) {
        const st = beginVoiceBatch(voice);
        for (const r of voice) {
          const ids = voiceIdsOf(r);
          const fresh = ids.every((id) => !known.has(id) && !seen.has(id));
          for (const id of ids) seen.add(id);
          if (fresh && canCreateCall(r) && pricesNewCallAlone(r, st, options)) {
            fast.defer();
            fast.added(insertBornExact(ledger, r, st, options, now, out));
          } else {
            fast.general();
            storeVoiceRecord(ledger, r, st, options, now, out);
          }
        }
        // Only calls a record attached to through the general path are priced here.
        if (st.touched.size) fast.general();
        finishVoiceBatch(ledger, st, options, now, out);
      }
      if (messages.length) {
        fast.general();
        storeMessageRecords(ledger, messages, now, out);
      }
    }
  } catch (err) {
    // The caller's transaction rolls back (the flag rows with it); one that goes on writing
    // anyway must still get its hours marked and its keys.
    try {
      fast.general();
    } catch {
      // The error below is the one that says what failed.
    }
    throw err;
  }
  fast.general();
  fast.finish();
  return out;
}

/**
 * What the fast path leaves to the end of a run of its inserts:
 * - the hour/day caches: its calls' hours are not marked dirty (each commit would recompute
 *   every touched hour from all its rows, which grows with the ledger) but summed once per
 *   chunk and added (ledger.callTotals.addCalls);
 * - the calls' keys: added in key order (ledger.callKeys.addFor) when the run ends, that is
 *   before any other write of the chunk, which may look a call up by its ids (migration 19).
 * Every other write marks its hours and finds the keys as always, so a fast call changed
 * later in the chunk is recomputed anyway.
 */
function fastInserts(ledger: Ledger) {
  let deferring = false;
  const ids: number[] = [];
  let keysFrom = 0;
  return {
    /** Before a fast insert: its hour is not marked, its keys wait. */
    defer(): void {
      if (deferring) return;
      ledger.callTotals.deferInserts(true);
      ledger.callKeys.deferInserts(true);
      deferring = true;
    },
    /** A call the fast path inserted (while deferring). */
    added(callId: number): void {
      ids.push(callId);
    },
    /** Before any other write: the run's keys added, hours marked as always. */
    general(): void {
      if (!deferring) return;
      ledger.callKeys.addFor(ids.slice(keysFrom));
      keysFrom = ids.length;
      ledger.callKeys.deferInserts(false);
      ledger.callTotals.deferInserts(false);
      deferring = false;
    },
    /** After the chunk's last write: the fast calls' sums into the caches. */
    finish(): void {
      ledger.callTotals.addCalls(ids);
    },
  };
}

/** Ids of the chunk that calls already carry (before the chunk writes anything; a sealed page stays sealed). */
function knownIdsOf(ledger: Ledger, batches: readonly RecordBatch[]): Set<string> {
  const lists = batches.map(callIdsOf);
  return ledger.bulk.knownCallIds({
    legs: lists.flatMap((l) => l.legs),
    controls: lists.flatMap((l) => l.controls),
    sessions: lists.flatMap((l) => l.sessions),
  });
}

// JSON.stringify of a plain object (no bigint in it) is what history.append's replacer gives.
const detailOf = (r: VoiceRecordLike, cost: string) =>
  JSON.stringify({ records: [{ type: r.recordType, id: r.id, cost }], rate: r.rate ?? null, billedSec: null });

/** The calls row of a new call (c: newCallOf(r)) born exact from its one priced record (r.costNanos and r.currency set). */
export function pricedCallRowOf(r: VoiceRecordLike, c: ReturnType<typeof newCallOf>, estimate: PricedCallRow['estimate']): PricedCallRow {
  return {
    callLegId: c.callLegId ?? null,
    callSessionId: c.callSessionId ?? null,
    callControlId: c.callControlId ?? null,
    ourNumber: c.ourNumber,
    otherNumber: c.otherNumber,
    direction: c.direction,
    connectionId: c.connectionId ?? null,
    startedAt: c.startedAt ?? null,
    endedAt: c.endedAt ?? null,
    callSec: c.callSec ?? null,
    billedSec: c.billedSec ?? null,
    billingGroupId: c.billingGroupId ?? null,
    billingGroupName: c.billingGroupName ?? null,
    connectionName: c.connectionName ?? null,
    tags: c.tags ?? null,
    countryCode: c.countryCode ?? null,
    estimate,
    nanos: r.costNanos!,
    currency: r.currency!,
    rate: r.rate ?? null,
  };
}

/** The detail_records row of a priced voice record, linked to its call. */
export function rawRecordRowOf(r: VoiceRecordLike, callId: number | null): RawRecordRow {
  return {
    recordType: r.recordType,
    recordId: r.id,
    createdAt: r.createdAt ?? null,
    legId: r.legIds[0] ?? null,
    sessionId: r.sessionIds[0] ?? null,
    controlId: r.controlId ?? null,
    costNanos: r.costNanos!,
    currency: r.currency!,
    rate: r.rate ?? null,
    callId,
    raw: stringify(r.raw),
  };
}

/**
 * A new call whose one record prices it: the rows insertCallPricedByRecord and storeRaw
 * write (the call born exact with its comparison estimate, its history entry, the record).
 */
function insertBornExact(ledger: Ledger, r: VoiceRecordLike, st: VoiceBatchState, o: VoiceStoreOptions, now: number, out: StoreOutcome): number {
  const c = newCallOf(r);
  const nanos = r.costNanos!;
  const currency = r.currency!;
  out.createdCalls++;
  const estimate = o.compare?.({ ourNumber: c.ourNumber, direction: c.direction, callSec: r.callSec, currency }) ?? null;
  const callId = ledger.bulk.insertPricedCall(pricedCallRowOf(r, c, estimate), now);
  ledger.bulk.appendBornExact(callId, nanos, currency, `exact cost from ${r.recordType} detail record`, detailOf(r, formatMoney(nanos)), now);
  ledger.bulk.upsertRecord(rawRecordRowOf(r, callId), now);
  out.stored++;
  out.matchedCallIds.push(callId);
  out.updatedCallIds.push(callId);
  st.priced.add(callId);
  return callId;
}
