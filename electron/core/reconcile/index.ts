// The cost reconciler: books an estimate the moment a call ends, keeps a durable job per call
// (and per message that came without a cost), and fetches exact costs in batched detail-record
// queries on the retry schedule until each call is exact, not billable, or settled as "no
// record". Everything it knows lives in the ledger (jobs, their due times and leases, the
// pause), so the app and a CLI cron can share one file and a restart loses nothing.
//
//   const r = createReconciler({ ledger, client: () => client, clock, settings, logger });
//   r.onCallEnded(id)            // from ingest: estimate + job
//   await r.processDue()         // one pass over due jobs (the old cron endpoint)
//   r.start() / await r.stop()   // a loop that wakes at the next due time
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { JobView, RefetchOutcome } from '../../../shared/contract.ts';
import type { JobStatus } from '../../../shared/domain.ts';
import { AppFailure } from '../api/types.ts';
import { atomically } from '../costs/apply.ts';
import { LearnedRates } from '../costs/learned-rates.ts';
import { messageCompletion, messageFacts } from '../jobs/completion.ts';
import { firstRunAt } from '../jobs/schedule.ts';
import { silentLogger } from '../util/logger.ts';
import { settleMessageJob } from './apply-page.ts';
import { settleImportedCallJobs } from '../jobs/settle.ts';
import { callEnded } from './call-end.ts';
import type { Ctx, PassCounts } from './context.ts';
import { classify, errorText } from './errors.ts';
import { startLoop, stopLoop } from './loop.ts';
import { processDue, sweep } from './passes.ts';
import { pause, readPause, resume } from './pause.ts';
import { LookupFailed, refetchCall } from './refetch.ts';
import { cachedSettings, wake, type ReconcilerOptions, type ReconcilerState } from './state.ts';

export type { ReconcileSettings } from './settings.ts';
export type { PassCounts } from './context.ts';
export type { ReconcilerOptions } from './state.ts';

export interface ReconcilerStatus {
  paused: boolean;
  pauseReason: string | null;
  /** Jobs waiting or being worked (pending + running). */
  pending: number;
  failed: number;
}

export interface Reconciler {
  readonly owner: string;
  /** A call ended (call.hangup stored, or a known call with no cost yet): estimate now, fetch later. */
  onCallEnded(callId: number): void;
  onMessageWithoutCost(messageId: string): void;
  /**
   * Costs changed elsewhere (an import): settle the jobs of those calls. `settledAlready`: how
   * many of their jobs the import settled itself (in its chunk's transaction; listeners hear of them).
   */
  onCostsApplied(callIds: readonly number[], settledAlready?: number): void;
  processDue(o?: { limit?: number; signal?: AbortSignal }): Promise<PassCounts>;
  refetchCall(callId: number): Promise<RefetchOutcome>;
  /** Try a job again from scratch, due now. Undefined when there is no such job. */
  retryJob(jobId: number): JobView | undefined;
  listJobs(q: { status?: JobStatus | undefined; statuses?: JobStatus[] | undefined; offset?: number; limit?: number }): { rows: JobView[]; total: number };
  jobForCall(callId: number): JobView | null;
  /** Re-checks failed and no_record calls (and messages) that ended in [from, to). */
  sweep(range: { from: number; to: number }, o?: { signal?: AbortSignal }): Promise<PassCounts>;
  status(): ReconcilerStatus;
  pause(reason: string): void;
  resume(): void;
  start(): void;
  stop(): Promise<void>;
}

export function createReconciler(o: ReconcilerOptions): Reconciler {
  const r = reconcilerState(o);
  const { ctx } = r;
  const { ledger, clock } = ctx;
  return {
    owner: ctx.owner,
    onCallEnded(callId) {
      if (callEnded(ctx, callId, clock.now())) wake(r);
    },
    onMessageWithoutCost: (messageId) => messageWithoutCost(r, messageId),
    onCostsApplied: (callIds, settledAlready = 0) => costsApplied(r, callIds, settledAlready),
    processDue: (po) => processDue(r, po),
    refetchCall: (callId) => refetch(r, callId),
    retryJob(jobId) {
      const now = clock.now();
      if (!ledger.jobs.get(jobId)) return undefined;
      if (ledger.jobs.reset(jobId, now)) {
        wake(r);
        o.onChange?.();
      }
      return ledger.jobs.view(jobId);
    },
    listJobs: (q) => ledger.jobs.list({ status: q.status, statuses: q.statuses, offset: q.offset ?? 0, limit: q.limit ?? 100 }),
    jobForCall: (callId) => ledger.jobs.viewForCall(callId) ?? null,
    sweep: (range, so) => sweep(r, range, so),
    status() {
      const c = ledger.jobs.countByStatus();
      const p = readPause(ledger);
      return { paused: p !== null, pauseReason: p?.reason ?? null, pending: c.pending + c.running, failed: c.failed };
    },
    pause: (reason) => pause(r, reason),
    resume: () => resume(r),
    start: () => startLoop(r),
    stop: () => stopLoop(r),
  };
}

function reconcilerState(o: ReconcilerOptions): ReconcilerState {
  const { ledger, clock } = o;
  const rates = new LearnedRates(ledger.db);
  const { settings, fresh } = cachedSettings(o.settings, clock);
  const ctx: Ctx = {
    ledger,
    clock,
    log: (o.logger ?? silentLogger()).child({ component: 'reconcile' }),
    owner: o.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    settings,
    rates,
    costsChanged: () => rates.invalidate(),
  };
  return { o, ctx, freshSettings: fresh, chain: Promise.resolve(), loop: null, wakeUp: null };
}

function messageWithoutCost(r: ReconcilerState, messageId: string): void {
  const { ctx } = r;
  const now = ctx.clock.now();
  const m = ctx.ledger.messages.get(messageId);
  if (!m) return;
  if (messageCompletion(m)) {
    settleMessageJob(ctx, messageId, now, null);
    return;
  }
  if (ctx.ledger.jobs.ensureForMessage(messageId, firstRunAt(ctx.settings(), messageFacts(m, now).ref), now)) wake(r);
}

function costsApplied(r: ReconcilerState, callIds: readonly number[], settledAlready: number): void {
  if (callIds.length === 0 && settledAlready === 0) return;
  const { ctx } = r;
  ctx.rates.invalidate();
  // Which calls have a job to settle, read first: a write transaction (BEGIN IMMEDIATE) would
  // wait while the import's write worker commits its next chunk (about a second, blocking
  // this thread: Electron's main process in the app). An import's new calls have no jobs, and
  // the app's imports settle the others in the chunk's own transaction (jobsOwner).
  const open = ctx.ledger.jobs.callsWithOpenJobs(callIds);
  let n = settledAlready;
  // Under the lock their jobs are read again: another process may have settled one meanwhile.
  if (open.length > 0) n += atomically(ctx.ledger, () => settleImportedCallJobs(ctx.ledger, ctx.owner, open, ctx.clock.now()));
  if (n > 0) r.o.onChange?.();
}

/**
 * "Refetch cost": the contract's outcome of refetch.ts. Its one failure channel (a thrown
 * AppFailure) becomes the outcome's `error`; a lookup Telnyx refused pauses the fetcher, and
 * one that worked ends a pause (the key works again).
 */
async function refetch(r: ReconcilerState, callId: number): Promise<RefetchOutcome> {
  const { ctx, o } = r;
  let out: RefetchOutcome;
  try {
    out = await refetchCall(ctx, o.client(), callId);
  } catch (err) {
    if (!(err instanceof AppFailure)) throw err;
    if (err instanceof LookupFailed && classify(err.cause) === 'pause') pause(r, errorText(err.cause));
    return { kind: 'error', error: err.toAppError() };
  }
  if (readPause(ctx.ledger)) resume(r);
  o.onChange?.();
  return out;
}
