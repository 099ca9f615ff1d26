// What the reconciler does when a call ends: book an estimate at once and keep a job for its
// exact cost; calls that ended while no one was watching are adopted the same way; jobs held
// by a process that died on this host are given back.
import { bookCallEstimate } from '../costs/apply.ts';
import { estimateCallCost, type CallEstimate } from '../costs/estimate.ts';
import { callCompletion, callFacts } from '../jobs/completion.ts';
import { firstRunAt } from '../jobs/schedule.ts';
import type { Call } from '../ledger/calls.ts';
import { settleCallJob } from './apply-page.ts';
import type { Ctx } from './context.ts';
import { ownerIsDead } from '../util/owner.ts';

const ADOPT_BATCH = 5000;

export function estimateFor(ctx: Ctx, call: Call, now: number): CallEstimate {
  const s = ctx.settings();
  const { rates } = ctx;
  const callSec = call.callSec ?? (call.answeredAt !== null && call.endedAt !== null ? Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000)) : 0);
  const learned = s.rates.learnRates ? rates.get(call.ourNumber, call.direction, now, s.learn) : null;
  // The number's currency from even one exact call (either direction): never estimate a EUR
  // number in USD because too few of its calls are known to learn a rate from.
  const other = call.direction === 'inbound' ? 'outbound' : 'inbound';
  const one = { ...s.learn, minCalls: 1 };
  const known = learned ?? rates.get(call.ourNumber, call.direction, now, one) ?? rates.get(call.ourNumber, other, now, one);
  return estimateCallCost({ ourNumber: call.ourNumber, direction: call.direction, callSec }, s.rates, learned, known);
}

/** Books the estimate of a call that ended with no cost yet, and its job. True when a new job is due. */
export function callEnded(ctx: Ctx, callId: number, now: number): boolean {
  const { ledger, log } = ctx;
  const call = ledger.calls.get(callId);
  if (!call) return false;
  if (call.costSource === null && call.costStatus === 'open') {
    const e = estimateFor(ctx, call, now);
    bookCallEstimate(ledger, callId, { nanos: e.nanos, currency: e.currency, method: e.method, rate: e.rate, billedSec: e.billedSec }, now);
    log.debug({ callId, estimate: e.method }, 'estimate booked');
  }
  const after = ledger.calls.get(callId)!;
  const done = callCompletion(after);
  if (done === 'not_billable' || (done === 'completed' && after.costSource !== 'detail_record')) {
    settleCallJob(ctx, callId, now, null);
    return false;
  }
  return ledger.jobs.ensureForCall(callId, firstRunAt(ctx.settings(), callFacts(after).ref), now);
}

/** Ended calls that never got an estimate (imported, inserted, or ended while we were away). */
export function adoptOpenCalls(ctx: Ctx, ids?: readonly number[]): number {
  const { ledger, clock } = ctx;
  let n = 0;
  for (;;) {
    const batch = ids ?? ledger.backlog.openEndedCalls(ADOPT_BATCH);
    if (batch.length === 0) return n;
    const now = clock.now();
    ledger.tx(() => {
      for (const id of batch) callEnded(ctx, id, now);
    });
    n += batch.length;
    if (ids || batch.length < ADOPT_BATCH) return n;
  }
}

/** Gives back the jobs held by a process of this host that is gone. */
export function reclaimDeadOwners(ctx: Ctx): void {
  for (const who of ctx.ledger.jobs.runningOwners()) {
    if (!ownerIsDead(who)) continue;
    const n = ctx.ledger.jobs.expireOwner(who);
    if (n > 0) ctx.log.warn({ owner: who, jobs: n }, 'reclaiming jobs of a process that died');
  }
}
