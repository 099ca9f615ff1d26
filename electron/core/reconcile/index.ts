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
import { atomically, bookCallEstimate } from '../costs/apply.ts';
import { estimateCallCost, type CallEstimate } from '../costs/estimate.ts';
import { LearnedRates } from '../costs/learned-rates.ts';
import { callCompletion, callFacts, messageCompletion, messageFacts } from '../jobs/completion.ts';
import { attemptsAllowed, firstRunAt } from '../jobs/schedule.ts';
import type { Call } from '../ledger/calls.ts';
import type { Ledger } from '../ledger/index.ts';
import type { TelnyxClient } from '../telnyx/index.ts';
import type { Clock } from '../util/clock.ts';
import { silentLogger, type Logger } from '../util/logger.ts';
import { settleCallJob, settleMessageJob } from './apply-page.ts';
import { runBatch, type Before } from './batch.ts';
import { addCounts, emptyCounts, type Ctx, type PassCounts } from './context.ts';
import { Coverage } from './coverage.ts';
import { errorText } from './errors.ts';
import { refetchCall } from './refetch.ts';
import { resolveSettings, type ReconcileSettings } from './settings.ts';

export type { ReconcileSettings } from './settings.ts';
export type { PassCounts } from './context.ts';

export interface ReconcilerOptions {
  ledger: Ledger;
  /** The current client (null: no key). Asked on every pass, so a new key applies at once. */
  client: () => TelnyxClient | null;
  clock: Clock;
  settings: () => ReconcileSettings;
  logger?: Logger;
  /** Jobs or costs changed (hosts push jobs.changed / ledger.changed). */
  onChange?: () => void;
  /** Claim owner id; default "<host>:<pid>:<random>". */
  owner?: string;
}

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
  /** Costs changed elsewhere (an import): settle the jobs of those calls. */
  onCostsApplied(callIds: readonly number[]): void;
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

const PAUSE_KEY = 'reconcile.pause';
const ADOPT_BATCH = 5000;

export function createReconciler(o: ReconcilerOptions): Reconciler {
  const { ledger, clock } = o;
  const log = (o.logger ?? silentLogger()).child({ component: 'reconcile' });
  const owner = o.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const rates = new LearnedRates(ledger.db);
  // Settings are read fresh for every pass, and at most once a second otherwise (the host's
  // settings() may read the ledger; an estimate per hangup should not parse JSON each time).
  let cached: { at: number; value: ReturnType<typeof resolveSettings> } | null = null;
  const settings = () => {
    const now = clock.now();
    if (!cached || now - cached.at >= 1000 || now < cached.at) cached = { at: now, value: resolveSettings(o.settings()) };
    return cached.value;
  };
  const freshSettings = () => {
    cached = null;
    return settings();
  };
  const ctx: Ctx = {
    ledger,
    clock,
    log,
    owner,
    settings,
    rates,
    costsChanged: () => rates.invalidate(),
  };
  // ---- pause (persisted: the app and a CLI on the same ledger see the same state) ----------
  const readPause = () => ledger.settings.get<{ reason: string; at: number } | null>(PAUSE_KEY) ?? null;
  const pause = (reason: string) => {
    const current = readPause();
    if (current?.reason === reason) return;
    ledger.settings.set(PAUSE_KEY, { reason, at: clock.now() }, clock.now());
    log.warn({ reason }, 'fetcher paused');
    o.onChange?.();
  };
  const resume = () => {
    if (!readPause()) return;
    ledger.settings.set(PAUSE_KEY, null, clock.now());
    log.info('fetcher resumed');
    wake();
    o.onChange?.();
  };

  // ---- estimates and jobs at call end ----------------------------------------------------
  const estimateFor = (call: Call, now: number): CallEstimate => {
    const s = settings();
    const callSec =
      call.callSec ?? (call.answeredAt !== null && call.endedAt !== null ? Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000)) : 0);
    const learned = s.rates.learnRates ? rates.get(call.ourNumber, call.direction, now, s.learn) : null;
    // The number's currency from even one exact call (either direction): never estimate a EUR
    // number in USD because too few of its calls are known to learn a rate from.
    const other = call.direction === 'inbound' ? 'outbound' : 'inbound';
    const one = { ...s.learn, minCalls: 1 };
    const known = learned ?? rates.get(call.ourNumber, call.direction, now, one) ?? rates.get(call.ourNumber, other, now, one);
    return estimateCallCost({ ourNumber: call.ourNumber, direction: call.direction, callSec }, s.rates, learned, known);
  };

  const callEnded = (callId: number, now: number): boolean => {
    const call = ledger.calls.get(callId);
    if (!call) return false;
    if (call.costSource === null && call.costStatus === 'open') {
      const e = estimateFor(call, now);
      bookCallEstimate(ledger, callId, { nanos: e.nanos, currency: e.currency, method: e.method, rate: e.rate, billedSec: e.billedSec }, now);
      log.debug({ callId, estimate: e.method }, 'estimate booked');
    }
    const after = ledger.calls.get(callId)!;
    const done = callCompletion(after);
    if (done === 'not_billable' || (done === 'completed' && after.costSource !== 'detail_record')) {
      settleCallJob(ctx, callId, now, null);
      return false;
    }
    return ledger.jobs.ensureForCall(callId, firstRunAt(settings(), callFacts(after).ref), now);
  };

  /** Ended calls that never got an estimate (imported, inserted, or ended while we were away). */
  const adoptOpenCalls = (ids?: readonly number[]): number => {
    let n = 0;
    for (;;) {
      const batch = ids ?? (ledger.backlog.openEndedCalls(ADOPT_BATCH));
      if (batch.length === 0) return n;
      const now = clock.now();
      ledger.tx(() => {
        for (const id of batch) callEnded(id, now);
      });
      n += batch.length;
      if (ids || batch.length < ADOPT_BATCH) return n;
    }
  };

  // ---- claims of processes that died -----------------------------------------------------
  const host = hostname();
  const reclaimDeadOwners = () => {
    for (const who of ledger.jobs.runningOwners()) {
      const [h, p] = who.split(':');
      const pid = Number(p);
      if (h !== host || !Number.isInteger(pid) || pid === process.pid || pid <= 0) continue;
      if (!processAlive(pid)) {
        const n = ledger.jobs.expireOwner(who);
        if (n > 0) log.warn({ owner: who, jobs: n }, 'reclaiming jobs of a process that died');
      }
    }
  };

  // ---- passes (one at a time within this process) ------------------------------------------
  let chain: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => {});
    return run;
  };

  const processDue = (po: { limit?: number; signal?: AbortSignal } = {}) =>
    serialized(async (): Promise<PassCounts> => {
      const started = clock.now();
      const counts = emptyCounts(started);
      const client = o.client();
      if (!client) return counts;
      if (readPause()) return counts;
      freshSettings();
      adoptOpenCalls();
      reclaimDeadOwners();
      // A run row (and an info line) only for passes that had something to do: the loop
      // looks every minute, and "nothing due" a thousand times a day is noise.
      let runId: number | null = null;
      const s = settings();
      let left = po.limit ?? Number.POSITIVE_INFINITY;
      let error: string | null = null;
      const coverage = { voice: new Coverage(), messages: new Coverage() };
      try {
        while (left > 0 && !po.signal?.aborted) {
          const now = clock.now();
          const claimed = ledger.jobs.claimDue(owner, now, now + s.leaseMs, Math.min(s.claimBatch, left));
          if (claimed.length === 0) break;
          runId ??= ledger.runs.start('reconcile', started);
          left -= claimed.length;
          const batch = emptyCounts(now);
          let result;
          try {
            result = await runBatch(ctx, client, claimed, batch, { mode: 'due', signal: po.signal, coverage });
          } finally {
            // Whatever happened, nothing stays claimed by this pass.
            ledger.jobs.release(owner, attemptsAllowed(s), clock.now());
            addCounts(counts, batch);
          }
          if (result.stoppedBy?.failure === 'pause') {
            pause(errorText(result.stoppedBy.error));
            break;
          }
          if (result.stoppedBy?.failure === 'rate') break; // the rest waits for the next pass
        }
      } catch (err) {
        error = errorText(err);
        log.error({ err: error }, 'reconcile pass failed');
        throw err;
      } finally {
        if (runId !== null) ledger.runs.finish(runId, error ? 'error' : 'ok', counts, error, clock.now());
        const line = { ...counts, at: new Date(counts.at).toISOString() };
        if (runId !== null) log.info(line, 'reconcile pass finished');
        else log.debug(line, 'reconcile pass finished');
        if (counts.processed > 0 || counts.costsUpdated > 0) o.onChange?.();
      }
      return counts;
    });

  const sweep = (range: { from: number; to: number }, so: { signal?: AbortSignal } = {}) =>
    serialized(async (): Promise<PassCounts> => {
      const now = clock.now();
      const counts = emptyCounts(now);
      freshSettings();
      adoptOpenCalls(ledger.backlog.openEndedCallsIn(range.from, range.to));
      const client = o.client();
      if (!client || readPause()) return counts;
      const s = settings();
      const ids = ledger.backlog.retryableJobsIn(range.from, range.to);
      const coverage = { voice: new Coverage(), messages: new Coverage() };
      for (let k = 0; k < ids.length && !so.signal?.aborted; k += s.claimBatch) {
        const t = clock.now();
        const before = new Map<number, Before>();
        const claimed = ledger.tx(() =>
          ids.slice(k, k + s.claimBatch).flatMap((id) => {
            const job = ledger.jobs.get(id);
            if (!job || (job.status !== 'failed' && job.status !== 'no_record')) return [];
            const got = ledger.jobs.claim(id, owner, t, t + s.leaseMs);
            if (!got) return [];
            before.set(id, { status: job.status, attempts: job.attempts, nextRunAt: job.nextRunAt });
            return [got];
          }),
        );
        const batch = emptyCounts(t);
        let result;
        try {
          result = await runBatch(ctx, client, claimed, batch, { mode: 'sweep', before, signal: so.signal, coverage });
        } finally {
          // A sweep gives back what it could not decide exactly as it was.
          ledger.tx(() => {
            for (const [id, b] of before) {
              const j = ledger.jobs.get(id);
              if (j?.status === 'running' && j.leaseOwner === owner) {
                ledger.jobs.finish(id, owner, { status: b.status, attempts: b.attempts, nextRunAt: b.nextRunAt, lastError: j.lastError }, clock.now());
              }
            }
          });
          addCounts(counts, batch);
        }
        if (result.stoppedBy?.failure === 'pause') {
          pause(errorText(result.stoppedBy.error));
          break;
        }
        if (result.stoppedBy) break;
      }
      log.info({ ...counts, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() }, 'sweep finished');
      if (counts.processed > 0) o.onChange?.();
      return counts;
    });

  // ---- the loop ------------------------------------------------------------------------------
  let loop: Promise<void> | null = null;
  let stopper: AbortController | null = null;
  let wakeUp: (() => void) | null = null;
  function wake(): void {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  }

  const start = () => {
    if (loop) return;
    const controller = new AbortController();
    stopper = controller;
    const signal = controller.signal;
    loop = (async () => {
      while (!signal.aborted) {
        try {
          if (o.client() && !readPause()) await processDue({ signal });
        } catch (err) {
          log.error({ err: errorText(err) }, 'reconcile loop: pass failed');
        }
        if (signal.aborted) break;
        const s = settings();
        const now = clock.now();
        const due = readPause() || !o.client() ? null : ledger.jobs.nextDueAt();
        const delay = due === null ? s.idleMs : Math.min(s.idleMs, Math.max(s.minPassGapMs, due - now));
        // Sleep on the injected clock until the next due time, an early wake (a new job, a
        // resume), or stop(). Nothing but this promise holds state between passes.
        let onAbort: (() => void) | null = null;
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          onAbort = () => resolve();
          signal.addEventListener('abort', onAbort, { once: true });
          clock.sleep(delay, signal).then(resolve, resolve);
        });
        if (onAbort) signal.removeEventListener('abort', onAbort);
        wakeUp = null;
      }
    })();
  };

  const stop = async () => {
    if (!loop) return;
    stopper?.abort(new Error('reconciler stopped'));
    wake();
    await loop;
    await chain;
    loop = null;
    stopper = null;
    ledger.jobs.release(owner, attemptsAllowed(settings()), clock.now());
  };

  return {
    owner,
    onCallEnded(callId) {
      if (callEnded(callId, clock.now())) wake();
    },
    onMessageWithoutCost(messageId) {
      const now = clock.now();
      const m = ledger.messages.get(messageId);
      if (!m) return;
      if (messageCompletion(m)) {
        settleMessageJob(ctx, messageId, now, null);
        return;
      }
      if (ledger.jobs.ensureForMessage(messageId, firstRunAt(settings(), messageFacts(m, now).ref), now)) wake();
    },
    onCostsApplied(callIds) {
      if (callIds.length === 0) return;
      rates.invalidate();
      const now = clock.now();
      let n = 0;
      atomically(ledger, () => {
        // An import read whole date ranges: every part it could see is in.
        for (const id of callIds) if (settleCallJob(ctx, id, now, null)) n++;
      });
      if (n > 0) o.onChange?.();
    },
    processDue,
    refetchCall: (callId) =>
      refetchCall(ctx, o.client(), callId, {
        pause,
        keyWorks: () => {
          if (readPause()) resume();
        },
      }).then((out) => {
        if (out.kind !== 'error') o.onChange?.();
        return out;
      }),
    retryJob(jobId) {
      const now = clock.now();
      if (!ledger.jobs.get(jobId)) return undefined;
      if (ledger.jobs.reset(jobId, now)) {
        wake();
        o.onChange?.();
      }
      return ledger.jobs.view(jobId);
    },
    listJobs: (q) => ledger.jobs.list({ status: q.status, statuses: q.statuses, offset: q.offset ?? 0, limit: q.limit ?? 100 }),
    jobForCall: (callId) => ledger.jobs.viewForCall(callId) ?? null,
    sweep,
    status() {
      const c = ledger.jobs.countByStatus();
      const p = readPause();
      return { paused: p !== null, pauseReason: p?.reason ?? null, pending: c.pending + c.running, failed: c.failed };
    },
    pause,
    resume,
    start,
    stop,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
