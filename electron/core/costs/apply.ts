// Applying a cost to a call or message: the only code path that changes a booked cost.
// One transaction writes the row and its history entry; a worse source never overwrites a
// better one; the same cost applied twice changes nothing. Because the booked cost is a
// column on the one call row (not a separate "billing row"), no path can book a call twice.
import { CALL_SOURCE_RANK, MESSAGE_SOURCE_RANK, type CostSource } from '../../../shared/domain.ts';
import { formatMoney } from '../../../shared/money.ts';
import { bookedCost, isExactSource } from '../ledger/booked.ts';
import type { Ledger } from '../ledger/index.ts';
import type { NewCall } from '../ledger/calls.ts';
import { combineParts, describeParts, isFeaturePart, MAIN_PART, MixedCurrency, sumParts, type CallCostEventParts, type CombinedParts } from './parts.ts';
import { readCallCost } from './call-cost.ts';

export type ApplyResult = 'updated' | 'unchanged' | 'ignored_worse' | 'missing';

/**
 * Runs `fn` as one transaction: its own (BEGIN IMMEDIATE) when called alone, or as part of
 * the caller's when one is open. Not a nested savepoint: at two or three levels deep, SQLite
 * savepoints cost ~100 µs each, which made applying 100 000 costs several times slower. A
 * failure inside still undoes everything, because it propagates and the caller's transaction
 * rolls back as a whole (so never catch-and-continue around these inside a transaction).
 */
export function atomically<T>(ledger: Ledger, fn: () => T): T {
  return ledger.db.inTransaction ? fn() : ledger.tx(fn);
}

/**
 * Why a cost from `source` is not applied over the one from `current`: its source ranks
 * lower, or ranks the same and it is the same cost (`sameCost`). Null: apply it.
 */
function notApplied<S extends string>(ranks: Record<S, number>, current: S | null, source: S, sameCost: boolean): 'ignored_worse' | 'unchanged' | null {
  const oldRank = current ? ranks[current] : 0;
  const newRank = ranks[source];
  if (newRank < oldRank) return 'ignored_worse';
  return newRank === oldRank && sameCost ? 'unchanged' : null;
}

/** A cost offered for a call or a message, with where it comes from and why. */
interface CostCandidate {
  nanos: bigint;
  currency: string;
  rate?: string | null;
  /** 'not_billable' when Telnyx says so; otherwise an exact cost (a genuine 0 is exact). */
  status?: 'exact' | 'not_billable';
  reason: string;
  detail?: Record<string, unknown>;
}

export interface CallCostCandidate extends CostCandidate {
  source: Exclude<CostSource, 'estimate' | 'message_sent_event' | 'message_finalized_event'>;
  billedSec?: number | null;
}

export function applyCallCost(ledger: Ledger, callId: number, c: CallCostCandidate, now: number): ApplyResult {
  return atomically(ledger, (): ApplyResult => {
    const call = ledger.calls.get(callId);
    if (!call) return 'missing';
    const status = c.status ?? 'exact';
    const sameCost = call.exactNanos === c.nanos && call.currency === c.currency && call.costStatus === status;
    const skip = notApplied(CALL_SOURCE_RANK, call.costSource, c.source, sameCost);
    if (skip) return skip;
    ledger.calls.setCost(callId, { nanos: c.nanos, currency: c.currency, rate: c.rate ?? null, billedSec: c.billedSec ?? null, status, source: c.source }, now);
    ledger.history.append(
      {
        callId,
        oldNanos: bookedCost(call).nanos,
        newNanos: c.nanos,
        currency: c.currency,
        oldSource: call.costSource,
        newSource: c.source,
        oldStatus: call.costStatus,
        newStatus: status,
        reason: c.reason,
        detail: { ...c.detail, rate: c.rate ?? null, billedSec: c.billedSec ?? null },
      },
      now,
    );
    return 'updated';
  });
}

/** Books (or re-books) an estimate; never touches a call that already has an exact cost. */
export function bookCallEstimate(
  ledger: Ledger,
  callId: number,
  e: { nanos: bigint; currency: string; method: string; rate: string; billedSec: number },
  now: number,
): ApplyResult {
  return atomically(ledger, (): ApplyResult => {
    const call = ledger.calls.get(callId);
    if (!call) return 'missing';
    if (isExactSource(call.costSource)) return 'ignored_worse';
    if (call.costSource === 'estimate' && call.estimatedNanos === e.nanos && call.estimateMethod === e.method) {
      return 'unchanged';
    }
    ledger.calls.setEstimate(callId, { nanos: e.nanos, currency: e.currency, method: e.method, rate: e.rate }, now);
    ledger.calls.setCost(callId, { nanos: null, currency: null, rate: null, billedSec: null, status: 'estimated', source: 'estimate' }, now);
    ledger.history.append(
      {
        callId,
        oldNanos: call.estimatedNanos,
        newNanos: e.nanos,
        currency: e.currency,
        oldSource: call.costSource,
        newSource: 'estimate',
        oldStatus: call.costStatus,
        newStatus: 'estimated',
        reason: e.method,
        detail: { estimatedBilledSec: e.billedSec, ratePerMinute: e.rate },
      },
      now,
    );
    return 'updated';
  });
}

/**
 * Recomputes a call's exact cost from its parts (costs/parts.ts): every detail record linked
 * to it, and the parts of its latest call.cost event that no record prices. Parts in two
 * currencies are refused (never summed) and reported. Returns 'incomplete' (nothing booked)
 * while a Call Control call has no main-leg part at all: a trunk or recording part alone is
 * not the call's cost, and the estimate says more.
 */
export function applyCostFromRecords(ledger: Ledger, callId: number, now: number): ApplyResult | 'mixed_currency' | 'no_cost' | 'incomplete' {
  const call = ledger.calls.get(callId);
  if (!call) return 'missing';
  const records = ledger.records.forCall(callId);
  const event = latestCallCost(ledger, callId);
  let combined: CombinedParts;
  let total: { nanos: bigint; currency: string } | null;
  try {
    combined = combineParts(records, event);
    total = sumParts(combined.parts);
  } catch (err) {
    if (err instanceof MixedCurrency) return 'mixed_currency';
    throw err;
  }
  if (total === null) return 'no_cost';
  const main = combined.parts.find((p) => p.part === MAIN_PART);
  // A Call Control call (we know its call_control_id) is billed on its main leg. A call.cost
  // event lists every part Telnyx billed, so with one the parts are the list, whatever names.
  if (call.callControlId && !main && !event) return 'incomplete';
  // A billed feature (a recording, AMD, ...) alone is never the call's cost: its leg is missing.
  if (!event && combined.parts.every((p) => isFeaturePart(p.part))) return 'incomplete';
  // A record that says "not billable" already booked 0 as not_billable; its "0" cost must not
  // flip the call back to an exact zero right after.
  if (call.costStatus === 'not_billable' && call.costSource === 'detail_record' && total.nanos === 0n && !event) return 'unchanged';
  const fromRecords = combined.parts.some((p) => p.source === 'detail_record');
  const res = applyCallCost(
    ledger,
    callId,
    {
      source: fromRecords ? 'detail_record' : 'call_cost_event',
      nanos: total.nanos,
      currency: total.currency,
      rate: (main ?? combined.parts[0]!).rate,
      billedSec: fromRecords ? null : (event?.billedSec ?? null),
      ...partsReason(combined, records),
    },
    now,
  );
  const partsChanged = ledger.calls.setMissingParts(callId, combined.missing, now);
  return res === 'unchanged' && partsChanged ? 'updated' : res;
}

/** The parts of the call's latest call.cost event (one that cannot be read was never linked). */
function latestCallCost(ledger: Ledger, callId: number): CallCostEventParts | null {
  const e = ledger.events.latestCallCost(callId);
  if (!e) return null;
  const read = readCallCost(e.payload);
  return read.kind === 'cost' ? { eventId: e.eventId, ...read.value } : null;
}

/** Why a call costs what its parts sum to, and where each part came from (the history). */
function partsReason(c: CombinedParts, records: readonly PricedRecord[]): { reason: string; detail: Record<string, unknown> } {
  const used = new Set(c.parts.filter((p) => p.source === 'detail_record').flatMap((p) => p.from));
  const one = c.parts.length === 1 ? c.parts[0]! : null;
  const priced = records.filter((r) => used.has(r.recordId) && r.costNanos !== null);
  const allRecords = c.parts.every((p) => p.source === 'detail_record');
  let reason =
    one && one.source === 'call_cost_event'
      ? 'cost from call.cost webhook event'
      : allRecords
        ? fromRecords(priced, '', 0n).reason
        : `exact cost: sum of ${c.parts.length} parts (${describeParts(c.parts)})`;
  if (c.missing.length > 0) reason = `partial cost: ${c.missing.join(', ')} not priced yet; ${reason}`;
  if (c.eventTotalMismatch) {
    reason += `; call.cost total_cost ${formatMoney(c.eventTotalMismatch.total)} disagrees with its parts (${formatMoney(c.eventTotalMismatch.partsSum)})`;
  }
  return {
    reason,
    detail: {
      records: priced.map((r) => ({ type: r.recordType, id: r.recordId, cost: formatMoney(r.costNanos!) })),
      // Parts are listed where a call.cost event contributed; records alone are listed above.
      ...(allRecords
        ? {}
        : { parts: c.parts.map((p) => ({ part: p.label, cost: formatMoney(p.nanos), currency: p.currency, rate: p.rate, source: p.source, from: p.from })) }),
      ...(c.missing.length > 0 ? { missingParts: c.missing } : {}),
      ...(c.eventTotalMismatch
        ? { eventTotalMismatch: { total: formatMoney(c.eventTotalMismatch.total), partsSum: formatMoney(c.eventTotalMismatch.partsSum) } }
        : {}),
    },
  };
}

type PricedRecord = { recordType: string; recordId: string; costNanos: bigint | null; rate?: string | null };

/** The candidate one record makes (the same words applyCostFromRecords uses for one part). */
function fromRecords(records: readonly PricedRecord[], currency: string, total: bigint) {
  const parts = records.map((r) => `${r.recordType} ${formatMoney(r.costNanos!)}`);
  const reason =
    records.length === 1
      ? `exact cost from ${records[0]!.recordType} detail record`
      : `exact cost: sum of ${records.length} detail records (${parts.join(' + ')})`;
  return {
    nanos: total,
    currency,
    reason,
    detail: { records: records.map((r) => ({ type: r.recordType, id: r.recordId, cost: formatMoney(r.costNanos!) })) },
  };
}

/**
 * A call first seen through one record that prices it alone (a main leg record with a cost):
 * inserts the call already booked, with its history entry. The rows equal what inserting the
 * call and then applyCostFromRecords would leave, in two writes instead of six reads and
 * four writes, which is what a date-range import of a million calls spends its time on.
 */
export function insertCallPricedByRecord(
  ledger: Ledger,
  call: NewCall,
  record: PricedRecord & { costNanos: bigint; currency: string },
  estimate: ComparisonEstimate | null,
  now: number,
): number {
  const c = fromRecords([record], record.currency, record.costNanos);
  // The record's rate is kept: an imported call shows Telnyx's rate like any other.
  const callId = ledger.calls.insertPriced(call, { nanos: c.nanos, currency: c.currency, rate: record.rate ?? null }, estimate, now);
  ledger.history.append(
    {
      callId,
      oldNanos: null,
      newNanos: c.nanos,
      currency: c.currency,
      oldSource: null,
      newSource: 'detail_record',
      oldStatus: 'open',
      newStatus: 'exact',
      reason: c.reason,
      detail: { ...c.detail, rate: record.rate ?? null, billedSec: null },
    },
    now,
  );
  return callId;
}

/** What an estimate would have booked for a call that never had one (see costs/comparison.ts). */
export interface ComparisonEstimate {
  nanos: bigint;
  currency: string;
  method: string;
  rate: string;
}

export interface MessageCostCandidate extends CostCandidate {
  source: 'message_sent_event' | 'detail_record' | 'message_finalized_event' | 'manual';
  carrierFeeNanos: bigint | null;
}

export function applyMessageCost(ledger: Ledger, messageId: string, c: MessageCostCandidate, now: number): ApplyResult {
  return atomically(ledger, (): ApplyResult => {
    const m = ledger.messages.get(messageId);
    if (!m) return 'missing';
    const status = c.status ?? 'exact';
    const sameCost = m.costNanos === c.nanos && m.carrierFeeNanos === c.carrierFeeNanos && m.currency === c.currency && m.costStatus === status;
    const skip = notApplied(MESSAGE_SOURCE_RANK, m.costSource, c.source, sameCost);
    if (skip) return skip;
    ledger.messages.setCost(
      messageId,
      { nanos: c.nanos, carrierFee: c.carrierFeeNanos, currency: c.currency, rate: c.rate ?? null, status, source: c.source },
      now,
    );
    ledger.history.append(
      {
        messageId,
        oldNanos: m.costNanos,
        newNanos: c.nanos,
        currency: c.currency,
        oldSource: m.costSource,
        newSource: c.source,
        oldStatus: m.costStatus,
        newStatus: status,
        reason: c.reason,
        detail: { ...c.detail, carrierFee: c.carrierFeeNanos === null ? null : formatMoney(c.carrierFeeNanos) },
      },
      now,
    );
    return 'updated';
  });
}
