// Detail records -> ledger rows. Shared by the date-range importer and the cost fetcher, so
// a record means the same thing whichever path brought it. Every row's ids are checked
// here (never trusting that a server honoured an id filter): a voice record attaches to the
// call whose leg id, control id or (unambiguous) session id it carries.
import { isFeatureRecordType, type Direction } from '../../../shared/domain.ts';
import { applyCallCost, applyCostFromRecords, applyMessageCost, insertCallPricedByRecord } from '../costs/apply.ts';
import type { CallFacts, NewCall } from '../ledger/calls.ts';
import { mdrTotal } from '../costs/message-cost.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { ComparisonEstimator } from '../costs/comparison.ts';
import type { Ledger } from '../ledger/index.ts';
import type { MessageRecord, VoiceRecord } from '../telnyx/index.ts';

/** Records as the Telnyx client normalizes them (ids in every variant, money in nano-units). */
export type VoiceRecordLike = VoiceRecord;
export type MessageRecordLike = MessageRecord;

export interface StoreOutcome {
  stored: number;
  /** Calls (or messages) whose booked cost changed. */
  updatedCallIds: number[];
  updatedMessageIds: string[];
  /** Calls that now have at least one record (the fetcher completes their jobs). */
  matchedCallIds: number[];
  createdCalls: number;
  /** Records that match no call and could not create one (kept raw, linked later). */
  unmatched: number;
  skipped: { id: string; reason: string }[];
}

export function emptyOutcome(): StoreOutcome {
  return { stored: 0, updatedCallIds: [], updatedMessageIds: [], matchedCallIds: [], createdCalls: 0, unmatched: 0, skipped: [] };
}

export { RawJson, compactRaw, stringify } from './raw-json.ts';
import { stringify } from './raw-json.ts';

/** Our number is `from` for outbound and `to` for inbound: never credit the other party. */
export function ourSide(direction: Direction, from: string, to: string): { ourNumber: string; otherNumber: string } {
  return direction === 'outbound' ? { ourNumber: from, otherNumber: to } : { ourNumber: to, otherNumber: from };
}

/** How a voice record is stored: see storeVoiceRecords. */
export interface VoiceStoreOptions {
  createCalls: boolean;
  restrictToCallIds?: ReadonlySet<number>;
  /** false: a new call takes the general path (insert, then price); tests compare the two. */
  bookOnInsert?: boolean;
  /** Gives a call priced here that never had an estimate its comparison estimate (costs/comparison.ts). */
  compare?: ComparisonEstimator;
}

/** What storing one batch (a page) of voice records remembers until the batch is finished. */
export interface VoiceBatchState {
  /** Calls a record of the batch attached to: priced from all their records at the end. */
  touched: Set<number>;
  /** Calls inserted already priced by their one record. */
  priced: Set<number>;
  /** How many records of this batch carry each id. */
  idUses: Map<string, number>;
}

/** Every Telnyx id a voice record carries (leg ids, session ids, call control id). */
export const voiceIdsOf = (r: VoiceRecordLike): string[] => [...r.legIds, ...r.sessionIds, ...(r.controlId ? [r.controlId] : [])];

export function beginVoiceBatch(records: readonly VoiceRecordLike[]): VoiceBatchState {
  // How many records of this batch carry each id: a record sharing none prices its new call
  // alone (one that shares one, e.g. a trunk record of the same call, is summed with it at the end).
  const idUses = new Map<string, number>();
  for (const r of records) for (const id of new Set(voiceIdsOf(r))) idUses.set(id, (idUses.get(id) ?? 0) + 1);
  return { touched: new Set(), priced: new Set(), idUses };
}

/** True when no other record of the batch shares an id with this one. */
export function aloneInBatch(st: VoiceBatchState, r: VoiceRecordLike): boolean {
  return voiceIdsOf(r).every((id) => st.idUses.get(id) === 1);
}

/** A new call this record can create: it names both sides, a direction and a call id. */
export function canCreateCall(r: VoiceRecordLike): boolean {
  const callLegId = r.recordType === 'sip-trunking' ? undefined : r.legIds[0];
  return !!(r.direction && r.cli && r.cld && (callLegId !== undefined || r.sessionIds.length > 0));
}

/**
 * A record that, once it creates its call, prices it alone: a main record with a cost that
 * shares no id with another record of its batch. Such a call is inserted already booked.
 */
export function pricesNewCallAlone(r: VoiceRecordLike, st: VoiceBatchState, options: VoiceStoreOptions): boolean {
  return r.recordType !== 'sip-trunking' && !r.notBillable && r.costNanos !== null && !!r.currency && options.bookOnInsert !== false && aloneInBatch(st, r);
}

/** The call a record creates (main records give it their leg id and start). */
export function newCallOf(r: VoiceRecordLike): NewCall {
  const callLegId = r.recordType === 'sip-trunking' ? undefined : r.legIds[0];
  return {
    callLegId: callLegId ?? null,
    callSessionId: r.sessionIds[0] ?? null,
    callControlId: r.controlId,
    ...ourSide(r.direction!, r.cli!, r.cld!),
    direction: r.direction!,
    startedAt: r.startedAt,
    endedAt: r.finishedAt,
    callSec: r.callSec,
    billedSec: r.billedSec,
    ...callAttribution(r),
  };
}

/**
 * Stores voice records and applies their costs. `createCalls`: a record for a call we have
 * never seen creates the call (date-range import); the fetcher passes false and only
 * attaches records to calls it knows.
 */
export function storeVoiceRecords(
  ledger: Ledger,
  records: readonly VoiceRecordLike[],
  options: VoiceStoreOptions,
  now: number,
  out: StoreOutcome = emptyOutcome(),
): StoreOutcome {
  // Billed features (recording, AMD, ...) attach to a call as parts; they never make one.
  if (records.some((r) => isFeatureRecordType(r.recordType))) {
    storeFeatureRecords(
      ledger,
      records.filter((r) => isFeatureRecordType(r.recordType)),
      options,
      now,
      out,
    );
    records = records.filter((r) => !isFeatureRecordType(r.recordType));
  }
  const st = beginVoiceBatch(records);
  for (const r of records) storeVoiceRecord(ledger, r, st, options, now, out);
  finishVoiceBatch(ledger, st, options, now, out);
  return out;
}

/** One record of a batch: finds (or creates) its call, stores it, marks the call to price. */
export function storeVoiceRecord(ledger: Ledger, r: VoiceRecordLike, st: VoiceBatchState, options: VoiceStoreOptions, now: number, out: StoreOutcome): void {
  const prefer = r.direction && r.cli && r.cld ? ourSide(r.direction, r.cli, r.cld) : undefined;
  // A sip-trunking record's leg id is the trunk's own leg, never the call's leg, and its
  // started_at is when the trunk answered: neither may become the call's.
  const trunk = r.recordType === 'sip-trunking';
  const callLegId = trunk ? undefined : r.legIds[0];
  let call = ledger.calls.findByIds({ legIds: r.legIds, controlId: r.controlId, sessionIds: r.sessionIds }, prefer);
  let created = false;
  if (call && options.restrictToCallIds && !options.restrictToCallIds.has(call.id)) call = undefined;
  if (!call && options.createCalls) {
    if (!canCreateCall(r)) {
      out.skipped.push({ id: r.id, reason: 'record lacks direction, numbers or any call id' });
    } else {
      const fresh = newCallOf(r);
      out.createdCalls++;
      // The bulk of a date-range import: a new call whose main record prices it alone.
      // A trunk record, a not-billable one or one with company in this batch takes the
      // general path below.
      if (pricesNewCallAlone(r, st, options)) {
        const estimate = options.compare?.({ ourNumber: fresh.ourNumber, direction: fresh.direction, callSec: r.callSec, currency: r.currency! }) ?? null;
        const record = { recordType: r.recordType, recordId: r.id, costNanos: r.costNanos!, currency: r.currency!, rate: r.rate };
        const callId = insertCallPricedByRecord(ledger, fresh, record, estimate, now);
        storeRaw(ledger, r, callId, now);
        out.stored++;
        out.matchedCallIds.push(callId);
        out.updatedCallIds.push(callId);
        st.priced.add(callId);
        return;
      }
      call = ledger.calls.get(ledger.calls.insert(fresh, now));
      created = true;
    }
  }
  storeRaw(ledger, r, call?.id ?? null, now);
  out.stored++;
  if (!call) {
    out.unmatched++;
    return;
  }
  // Fill in what the record knows and the call row does not (a call first seen through
  // its session id learns its leg id here). A call this record just created knows it all.
  if (!created)
    ledger.calls.addFacts(
      call.id,
      {
        callLegId: call.callLegId ? undefined : callLegId,
        callSessionId: call.callSessionId ? undefined : r.sessionIds[0],
        callControlId: call.callControlId ? undefined : (r.controlId ?? undefined),
        // A call known only from its trunk record (no leg id yet) takes the main record's start.
        startedAt: call.startedAt === null || (!trunk && call.callLegId === null) ? r.startedAt : undefined,
        endedAt: call.endedAt === null ? r.finishedAt : undefined,
        callSec: call.callSec === null ? r.callSec : undefined,
        billedSec: r.recordType !== 'sip-trunking' && r.billedSec !== null ? r.billedSec : undefined,
        ...callAttribution(r),
      },
      now,
    );
  if (r.notBillable) {
    const res = applyCallCost(
      ledger,
      call.id,
      {
        source: 'detail_record',
        nanos: 0n,
        currency: r.currency ?? call.currency ?? call.estimateCurrency ?? 'USD',
        status: 'not_billable',
        reason: `Telnyx marks this call not billable (${r.recordType} record)`,
        detail: { record: r.id },
      },
      now,
    );
    if (res === 'updated') out.updatedCallIds.push(call.id);
  }
  st.touched.add(call.id);
}

/** Prices every call the batch attached records to, from all of its records. */
export function finishVoiceBatch(ledger: Ledger, st: VoiceBatchState, options: VoiceStoreOptions, now: number, out: StoreOutcome): void {
  for (const callId of st.touched) {
    // A call priced on insert and touched again (its trunk record in the same page) is
    // recomputed from all its records here; it is already listed as matched.
    if (!st.priced.has(callId)) out.matchedCallIds.push(callId);
    const res = applyCostFromRecords(ledger, callId, now);
    if (res === 'updated' && !st.priced.has(callId)) out.updatedCallIds.push(callId);
    else if (res === 'mixed_currency') out.skipped.push({ id: String(callId), reason: 'records in more than one currency; not summed' });
    if (options.compare) addComparisonEstimate(ledger, callId, options.compare, now);
  }
}

/**
 * Records of billed call features (recording, AMD, TTS, ...: shared/domain.ts
 * FEATURE_RECORD_TYPES). Each is a part of the call its leg id (else its unambiguous session
 * id) names, booked through the same per-part sum as the call's legs (costs/parts.ts), so a
 * call.cost part of the same name is replaced, never added twice. One whose call the ledger
 * does not know yet is kept unlinked and counted (`unmatched`); linkUnlinkedFeatures links it
 * once its call arrives. A not-billable one is a part that cost 0.
 */
export function storeFeatureRecords(
  ledger: Ledger,
  records: readonly VoiceRecordLike[],
  options: { restrictToCallIds?: ReadonlySet<number> },
  now: number,
  out: StoreOutcome,
): void {
  const touched = new Set<number>();
  for (const r of records) {
    let call = ledger.calls.findByIds({ legIds: r.legIds, controlId: r.controlId, sessionIds: r.sessionIds });
    if (call && options.restrictToCallIds && !options.restrictToCallIds.has(call.id)) call = undefined;
    const free = r.notBillable && r.costNanos === null;
    const currency = r.currency ?? (free ? (call?.currency ?? call?.estimateCurrency ?? null) : null);
    storeRaw(ledger, { ...r, costNanos: free ? 0n : r.costNanos, currency }, call?.id ?? null, now);
    out.stored++;
    if (!call) {
      out.unmatched++;
      continue;
    }
    touched.add(call.id);
  }
  for (const callId of touched) {
    out.matchedCallIds.push(callId);
    const res = applyCostFromRecords(ledger, callId, now);
    if (res === 'updated') out.updatedCallIds.push(callId);
    else if (res === 'mixed_currency') out.skipped.push({ id: String(callId), reason: 'records in more than one currency; not summed' });
  }
}

/**
 * Links the feature records kept unlinked to the calls now known by their leg or session
 * id, and books those calls again (their parts now include them). Run after an import, off
 * its page loop. Returns the calls whose booked cost changed and how many stay unlinked.
 */
export function linkUnlinkedFeatures(ledger: Ledger, now: number): { updatedCallIds: number[]; linked: number; unlinked: number } {
  return ledger.tx(() => {
    const touched = new Set<number>();
    let unlinked = 0;
    let linked = 0;
    for (const u of ledger.records.unlinkedFeatures()) {
      const call = ledger.calls.findByIds({ legIds: u.legId ? [u.legId] : [], sessionIds: u.sessionId ? [u.sessionId] : [] });
      if (!call) {
        unlinked++;
        continue;
      }
      ledger.records.link(u.recordType, u.recordId, call.id);
      linked++;
      touched.add(call.id);
    }
    const updatedCallIds = [...touched].filter((id) => applyCostFromRecords(ledger, id, now) === 'updated');
    return { updatedCallIds, linked, unlinked };
  });
}

/**
 * A record's attribution as call facts (absent ones stay undefined: never erase). A trunk
 * record names the SIP connection, not the call's own connection: its connection is left out.
 */
export function callAttribution(r: VoiceRecordLike): CallFacts {
  const a = r.attribution;
  const main = r.recordType !== 'sip-trunking';
  return {
    billingGroupId: a.billingGroupId ?? undefined,
    billingGroupName: a.billingGroupName ?? undefined,
    connectionId: main ? (a.connectionId ?? undefined) : undefined,
    connectionName: main ? (a.connectionName ?? undefined) : undefined,
    tags: a.tags ?? undefined,
    countryCode: a.countryCode ?? undefined,
  };
}

/** A call now priced by Telnyx that never had an estimate gets the one it would have had. */
function addComparisonEstimate(ledger: Ledger, callId: number, compare: ComparisonEstimator, now: number): void {
  const call = ledger.calls.get(callId);
  if (!call || call.estimatedNanos !== null || (call.costStatus !== 'exact' && call.costStatus !== 'not_billable')) return;
  const e = compare(call);
  if (e) ledger.calls.setEstimate(callId, e, now);
}

export function storeRaw(ledger: Ledger, r: VoiceRecordLike, callId: number | null, now: number): void {
  ledger.records.upsert(
    {
      recordType: r.recordType,
      recordId: r.id,
      createdAt: r.createdAt,
      legId: r.legIds[0] ?? null,
      sessionId: r.sessionIds[0] ?? null,
      controlId: r.controlId,
      costNanos: r.costNanos,
      currency: r.currency,
      rate: r.rate,
      raw: stringify(r.raw),
      callId,
      messageId: null,
    },
    now,
  );
}

export function storeMessageRecords(ledger: Ledger, records: readonly MessageRecordLike[], now: number, out: StoreOutcome = emptyOutcome()): StoreOutcome {
  for (const r of records) {
    if (!r.direction || !r.cli || !r.cld) {
      out.skipped.push({ id: r.id, reason: 'message record lacks direction or numbers' });
      continue;
    }
    ledger.messages.upsert(
      {
        id: r.id,
        ...ourSide(r.direction, r.cli, r.cld),
        direction: r.direction,
        messageType: r.messageType,
        parts: r.parts,
        status: r.status,
        sentAt: r.sentAt ?? r.createdAt,
        completedAt: r.completedAt,
        messagingProfileId: r.profileId,
        messagingProfileName: r.profileName,
        tags: r.tags,
        countryCode: r.countryCode,
      },
      now,
    );
    ledger.records.upsert(
      {
        recordType: 'messaging',
        recordId: r.id,
        createdAt: r.createdAt,
        legId: null,
        sessionId: null,
        controlId: null,
        costNanos: r.costNanos,
        currency: r.currency,
        raw: stringify(r.raw),
        callId: null,
        messageId: r.id,
      },
      now,
    );
    out.stored++;
    if (r.costNanos !== null && r.currency) {
      // The carrier fee counted once (costs/message-cost.ts): an MDR's cost is rate x parts.
      const total = mdrTotal({ costNanos: r.costNanos, carrierFeeNanos: r.carrierFeeNanos, rate: r.rate, parts: r.parts });
      const res = applyMessageCost(
        ledger,
        r.id,
        {
          source: 'detail_record',
          nanos: total.nanos,
          carrierFeeNanos: r.carrierFeeNanos,
          currency: r.currency,
          rate: r.rate,
          reason: total.reason,
          detail: { record: r.id, parts: r.parts, recordCost: formatMoney(r.costNanos), reading: total.reading },
        },
        now,
      );
      if (res === 'updated') out.updatedMessageIds.push(r.id);
    }
  }
  return out;
}
