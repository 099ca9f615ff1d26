// One fetched page -> ledger, in one transaction: the records, the cost they give each call
// (through storeVoiceRecords / costs/apply.ts, with their precedence and history), and the
// jobs of the calls that are now done. A page fetched for one set of calls often carries the
// records of others (a straggler of an earlier window, a call whose job is due later); those
// are applied too and their jobs settled, unless another live process holds the job (it will
// settle it itself; the cost it finds is the same, and applying it twice changes nothing).
import { formatMoney } from '../../../shared/money.ts';
import { atomically } from '../costs/apply.ts';
import { callAttribution, storeMessageRecords, storeVoiceRecords, ourSide } from '../ingest/store-records.ts';
import { callFacts, messageCompletion, type Completion } from '../jobs/completion.ts';
import { settleCallJobIfDone } from '../jobs/settle.ts';
import { coversParts, lookupFrom, partsGrace } from '../jobs/schedule.ts';
import type { Coverage } from './coverage.ts';
import { bookedCost } from '../ledger/booked.ts';
import type { Call } from '../ledger/calls.ts';
import type { MessageRecord, VoiceRecord } from '../telnyx/index.ts';
import type { Ctx, PassCounts } from './context.ts';

const sameCost = (stored: number | bigint | null, nanos: bigint | null) => (stored === null ? nanos === null : nanos !== null && BigInt(stored) === nanos);

const money = (m: { nanos: bigint | null; currency: string | null }) => (m.nanos === null ? null : `${formatMoney(m.nanos)} ${m.currency ?? ''}`.trim());

export interface SettleOptions {
  /** Settle even a job another live process holds (a manual refetch). */
  force?: boolean;
  /**
   * The created_at span just searched. When given, a call is settled only if that span covered
   * its lookup start through hangup + the parts grace (so a later trunk part cannot be missed).
   */
  window?: { from: number; to: number };
  /** Instead of one window: everything this pass has read for every record type. */
  coverage?: Coverage;
  /** Leave jobs this process holds alone (their batch writes their outcome). Default true. */
  skipOwn?: boolean;
}

/** Marks the call's job done if its cost is now final (jobs/settle.ts). Returns what it became, or null. */
export function settleCallJob(ctx: Ctx, callId: number, now: number, counts: PassCounts | null, o: SettleOptions = {}, known?: Call): Completion {
  const covering = o.coverage !== undefined || o.window !== undefined;
  const done = settleCallJobIfDone(ctx.ledger, ctx.owner, callId, now, {
    force: o.force,
    skipOwn: o.skipOwn,
    known,
    // A job that already gave up (no_record) is over: a record found later settles it at once,
    // with no window to wait out (a window only guards a job still looking for other parts).
    allow: covering ? (call, d, status) => d !== 'completed' || status === 'no_record' || coversEveryPart(ctx, call, o) : undefined,
  });
  if (done && counts) count(counts, done);
  return done;
}

/** True when what was searched (o.coverage, else o.window) reaches from the call's lookup start past its parts grace. */
function coversEveryPart(ctx: Ctx, call: Call, o: SettleOptions): boolean {
  const s = ctx.settings();
  const f = callFacts(call);
  return o.coverage ? o.coverage.missing(lookupFrom(s, f), f.ref + partsGrace(s) + 1).length === 0 : coversParts(s, f, o.window!);
}

/** Marks a job done (completed or not billable) and counts it, unless another pass did. */
function settle(ctx: Ctx, jobId: number, done: NonNullable<Completion>, now: number, counts: PassCounts | null, o: SettleOptions): Completion {
  if (!ctx.ledger.jobs.settle(jobId, done, ctx.owner, now, o.force ?? false)) return null;
  if (counts) count(counts, done);
  return done;
}

function count(counts: PassCounts, done: NonNullable<Completion>): void {
  counts.processed++;
  if (done === 'not_billable') counts.notBillable++;
  else counts.succeeded++;
}

export function settleMessageJob(ctx: Ctx, messageId: string, now: number, counts: PassCounts | null, o: SettleOptions = {}): Completion {
  const { ledger } = ctx;
  const job = ledger.jobs.forMessage(messageId);
  if (!job || job.status === 'completed' || job.status === 'not_billable') return null;
  if ((o.skipOwn ?? true) && job.status === 'running' && job.leaseOwner === ctx.owner) return null;
  const m = ledger.messages.get(messageId);
  if (!m) return null;
  const done = messageCompletion(m);
  if (!done) return null;
  return settle(ctx, job.id, done, now, counts, o);
}

export interface VoiceApply {
  /** Calls the rows belong to (known calls only). */
  matchedCallIds: number[];
  updatedCallIds: number[];
}

/**
 * Applies the rows of a voice page that belong to calls we know. Rows without a cost are
 * skipped (they say nothing yet, and must not blank a cost stored from an earlier copy), and
 * so are rows already stored unchanged for the same call.
 */
export function applyVoiceRows(
  ctx: Ctx,
  rows: readonly VoiceRecord[],
  now: number,
  counts: PassCounts | null,
  o: { restrictToCallIds?: ReadonlySet<number>; window?: { from: number; to: number }; force?: boolean; skipOwn?: boolean; settle?: boolean } = {},
): VoiceApply {
  const { ledger, log } = ctx;
  return atomically(ledger, () => {
    const useful: VoiceRecord[] = [];
    const check = new Set<number>();
    const before = new Map<number, Call>();
    for (const r of rows) {
      if (r.costNanos === null && !r.notBillable) continue;
      const prefer = r.direction && r.cli && r.cld ? ourSide(r.direction, r.cli, r.cld) : undefined;
      const call = ledger.calls.findByIds({ legIds: r.legIds, controlId: r.controlId, sessionIds: r.sessionIds }, prefer);
      if (!call) continue;
      if (o.restrictToCallIds && !o.restrictToCallIds.has(call.id)) continue;
      const stored = ledger.records.known(r.recordType, r.id);
      if (
        stored &&
        stored.call_id !== null &&
        Number(stored.call_id) === call.id &&
        sameCost(stored.cost_nanos, r.costNanos) &&
        stored.currency === r.currency
      ) {
        // The cost is already in; what the record says about the call (billing group, tags,
        // connection, country) may not be, if an earlier copy was stored by a pass that failed
        // part-way. Fill-only: nothing the call knows is overwritten.
        ledger.calls.addFacts(call.id, callAttribution(r), now);
        check.add(call.id);
        continue;
      }
      if (!before.has(call.id)) before.set(call.id, call);
      useful.push(r);
    }
    const out = useful.length > 0 ? storeVoiceRecords(ledger, useful, { createCalls: false, restrictToCallIds: o.restrictToCallIds }, now) : null;
    const updated = [...new Set(out?.updatedCallIds ?? [])];
    for (const id of out?.matchedCallIds ?? []) check.add(id);
    const updatedSet = new Set(updated);
    if (counts) counts.costsUpdated += updated.length;
    for (const id of check) {
      const c = ledger.calls.get(id);
      if (!c) continue;
      const old = before.get(id);
      if (old && updatedSet.has(id)) {
        log.info({ callId: id, old: money(bookedCost(old)), new: money(bookedCost(c)), source: c.costSource, status: c.costStatus }, 'cost applied');
      }
      if (o.settle === false) continue;
      const done = settleCallJob(ctx, id, now, counts, { force: o.force, window: o.window, skipOwn: o.skipOwn }, c);
      if (done) log.info({ callId: id, cost: money(bookedCost(c)), status: c.costStatus, source: c.costSource }, 'cost found in detail records');
    }
    if (updated.length > 0) ctx.costsChanged();
    return { matchedCallIds: [...check], updatedCallIds: updated };
  });
}

/** Message detail records of messages we know (the fetcher never creates messages). */
export function applyMessageRows(
  ctx: Ctx,
  rows: readonly MessageRecord[],
  now: number,
  counts: PassCounts | null,
  o: SettleOptions & { settle?: boolean } = {},
): string[] {
  const { ledger, log } = ctx;
  return atomically(ledger, () => {
    const useful: MessageRecord[] = [];
    const check = new Set<string>();
    for (const r of rows) {
      if (r.costNanos === null) continue;
      if (!ledger.messages.get(r.id)) continue;
      const stored = ledger.records.known('messaging', r.id);
      if (stored && stored.message_id === r.id && sameCost(stored.cost_nanos, r.costNanos) && stored.currency === r.currency) {
        check.add(r.id);
        continue;
      }
      useful.push(r);
    }
    const out = useful.length > 0 ? storeMessageRecords(ledger, useful, now) : null;
    for (const r of useful) check.add(r.id);
    for (const id of out?.updatedMessageIds ?? []) log.info({ messageId: id }, 'cost applied');
    if (o.settle !== false) {
      for (const id of check) {
        if (settleMessageJob(ctx, id, now, counts, o)) log.info({ messageId: id }, 'cost found in detail records');
      }
    }
    return [...check];
  });
}
