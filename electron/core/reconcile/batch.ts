// One batch of claimed jobs: plan their lookups into shared query windows, run them, apply
// every page as it comes, then write each job's outcome (found / not yet / failed / no
// record / try again after an error) under its lease.
import type { RecordType } from '../../../shared/domain.ts';
import { markCallNoRecord, markMessageNoRecord } from '../costs/status.ts';
import { callCompletion, callFacts, messageCompletion, messageFacts, type JobFacts } from '../jobs/completion.ts';
import { afterNotFound, afterTransient, attemptsAllowed, coversParts, lookupWindow, partsLookAt, settleWindow } from '../jobs/schedule.ts';
import type { Job } from '../ledger/jobs.ts';
import type { MessageRecord, TelnyxClient, VoiceRecord } from '../telnyx/index.ts';
import { applyMessageRows, applyVoiceRows, settleCallJob, settleMessageJob } from './apply-page.ts';
import type { Ctx, PassCounts } from './context.ts';
import { errorText, retryAfterOf } from './errors.ts';
import { planWindows, type LookupTarget, type QueryWindow } from './plan.ts';
import { runScans, type ScanOutcome, type ScanTask } from './scan.ts';
import type { Resolved } from './settings.ts';
import type { Coverage } from './coverage.ts';

export type BatchMode = 'due' | 'sweep';

/** Rows held in memory before they are applied (a transaction each time). */
export const FLUSH_ROWS = 5000;

/** A job's state before a sweep claimed it: a sweep that finds nothing puts it back as it was. */
export interface Before {
  status: 'pending' | 'failed' | 'no_record';
  attempts: number;
  nextRunAt: number | null;
}

export interface BatchResult {
  stoppedBy: { failure: 'pause' | 'rate'; error: unknown } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const hours = (ms: number) => (ms % 3600_000 === 0 ? `${ms / 3600_000} h` : `${Math.round(ms / 60_000)} min`);

type BatchOptions = { mode: BatchMode; before?: ReadonlyMap<number, Before>; signal?: AbortSignal; coverage?: { voice: Coverage; messages: Coverage } };

/** What step 1 learned about the claimed jobs: each one's facts and lookup window, and the lookups. */
interface BatchPlan {
  facts: Map<number, JobFacts>;
  windows: Map<number, { from: number; to: number }>;
  voice: LookupTarget[];
  messages: LookupTarget[];
}

export async function runBatch(ctx: Ctx, client: TelnyxClient, claimed: readonly Job[], counts: PassCounts, o: BatchOptions): Promise<BatchResult> {
  const s = ctx.settings();
  const now = ctx.clock.now();
  const plan = planBatch(ctx, s, claimed, counts, o, now);
  const tasks = scanTasks(ctx, s, claimed, plan, o.mode);
  const run = await scanAndApply({ ctx, s, counts, o, windows: new Map(), buffered: 0, lastRenew: now }, client, tasks);
  counts.requests += run.requests;
  const unanswered = unansweredJobs(ctx, run.outcomes);
  writeOutcomes(ctx, s, claimed, counts, o, plan, unanswered);
  return { stoppedBy: run.stoppedBy };
}

/**
 * 1. Jobs whose cost arrived some other way since they were scheduled need no request: settled
 * here. Every other job gets its facts and lookup window (less what this pass already read).
 */
function planBatch(ctx: Ctx, s: Resolved, claimed: readonly Job[], counts: PassCounts, o: BatchOptions, now: number): BatchPlan {
  const { ledger } = ctx;
  const plan: BatchPlan = { facts: new Map(), windows: new Map(), voice: [], messages: [] };
  ledger.tx(() => {
    for (const job of claimed) {
      if (job.callId !== null) {
        const call = ledger.calls.get(job.callId);
        if (!call) continue;
        // Exact from a call.cost event (its parts are all in it) or not billable: done. Exact
        // from detail records still gets its lookup: it is the look for other billed parts.
        const done = callCompletion(call);
        if (done === 'not_billable' || (done === 'completed' && call.costSource !== 'detail_record')) {
          settleCallJob(ctx, call.id, now, counts, { force: true, skipOwn: false });
          continue;
        }
        planLookup(s, plan, job, callFacts(call), o, now, o.coverage?.voice, plan.voice);
      } else if (job.messageId !== null) {
        const m = ledger.messages.get(job.messageId);
        if (!m) continue;
        if (messageCompletion(m)) {
          settleMessageJob(ctx, m.id, now, counts, { force: true, skipOwn: false });
          continue;
        }
        planLookup(s, plan, job, messageFacts(m, now), o, now, o.coverage?.messages, plan.messages);
      }
    }
  });
  return plan;
}

/** A job's lookup window (a sweep looks as far as a last attempt would), less what was read already. */
function planLookup(
  s: Resolved,
  plan: BatchPlan,
  job: Job,
  f: JobFacts,
  o: BatchOptions,
  now: number,
  coverage: Coverage | undefined,
  into: LookupTarget[],
): void {
  plan.facts.set(job.id, f);
  const w = lookupWindow(s, { ...f, attempts: o.mode === 'sweep' ? 99 : job.attempts }, now);
  plan.windows.set(job.id, w);
  for (const part of coverage?.missing(w.from, w.to) ?? [w]) into.push({ key: job.id, from: part.from, to: part.to });
}

/** 2. Shared query windows: one paged query per window and record type. */
function scanTasks(ctx: Ctx, s: Resolved, claimed: readonly Job[], plan: BatchPlan, mode: BatchMode): ScanTask[] {
  const windows = { maxWindowMs: s.maxWindowMs, joinGapMs: s.joinGapMs };
  const voiceWindows = planWindows(plan.voice, windows);
  const messageWindows = planWindows(plan.messages, windows);
  const byId = new Map(claimed.map((j) => [j.id, j]));
  const describe = (w: QueryWindow) => {
    const ids = w.keys.slice(0, 20).map((k) => byId.get(k)?.callId ?? byId.get(k)?.messageId);
    return { from: iso(w.from), to: iso(w.to), jobs: w.keys.length, ids, more: Math.max(0, w.keys.length - 20) };
  };
  for (const w of messageWindows) ctx.log.info({ ...describe(w), recordTypes: ['messaging'], mode }, 'fetch starting');
  // Billed features (recording, AMD, ...) are looked for where the account has shown them
  // (an import brought records of that type): an account without them pays no request.
  const voiceTypes: RecordType[] = [...new Set<RecordType>([...(s.voiceRecordTypes as RecordType[]), ...ctx.ledger.records.featureTypesSeen()])];
  for (const w of voiceWindows) ctx.log.info({ ...describe(w), recordTypes: voiceTypes, mode }, 'fetch starting');
  return [
    ...voiceWindows.flatMap((window) => voiceTypes.map((recordType) => ({ window, recordType }))),
    ...messageWindows.map((window) => ({ window, recordType: 'messaging' as RecordType })),
  ];
}

// Each query window's rows wait until every record type's query of that window has answered;
// then ONE transaction applies them (costs, history) and settles the jobs the window fully
// covered (claimed by this batch or not), so a call's exact cost and its completed job commit
// together. A window whose queries failed still applies what it got, but settles nothing (a
// missing trunk part could be in what failed). Rows piling up past FLUSH_ROWS are applied
// early (their jobs still settle when the window is complete).
interface WindowState {
  remaining: number;
  failed: boolean;
  chunks: { task: ScanTask; rows: (VoiceRecord | MessageRecord)[] }[];
  buffered: number;
  calls: Set<number>;
  messages: Set<string>;
}

/** The scan's state while pages arrive: rows held per window, and when the leases were last renewed. */
interface ScanState {
  ctx: Ctx;
  s: Resolved;
  counts: PassCounts;
  o: BatchOptions;
  windows: Map<QueryWindow, WindowState>;
  buffered: number;
  lastRenew: number;
}

/** Runs the queries, applying each window's rows as they come (see WindowState). */
async function scanAndApply(state: ScanState, client: TelnyxClient, tasks: readonly ScanTask[]) {
  const { s, o } = state;
  for (const task of tasks) {
    const st = state.windows.get(task.window) ?? {
      remaining: 0,
      failed: false,
      chunks: [],
      buffered: 0,
      calls: new Set<number>(),
      messages: new Set<string>(),
    };
    st.remaining++;
    state.windows.set(task.window, st);
  }
  return runScans(client, tasks, {
    concurrency: s.concurrency,
    pageConcurrency: s.pageConcurrency,
    readRetry: s.readRetry,
    signal: o.signal,
    onPage: (task, page) => onScanPage(state, task, page.rows),
    onTaskDone: (out) => onScanDone(state, out),
  });
}

/** Applies a window's held rows (costs and history; its jobs settle when the window completes). */
function applyChunks(state: ScanState, st: WindowState, t: number): void {
  for (const { task, rows } of st.chunks) {
    if (task.recordType === 'messaging') {
      for (const id of applyMessageRows(state.ctx, rows as MessageRecord[], t, state.counts, { settle: false })) st.messages.add(id);
    } else {
      for (const id of applyVoiceRows(state.ctx, rows as VoiceRecord[], t, state.counts, { settle: false }).matchedCallIds) st.calls.add(id);
    }
  }
  state.buffered -= st.buffered;
  st.chunks = [];
  st.buffered = 0;
}

/** A long pass keeps its claims: renew well before they could expire. */
function renewIfDue(state: ScanState, t: number): void {
  if (t - state.lastRenew > state.s.leaseMs / 3) {
    state.ctx.ledger.jobs.renew(state.ctx.owner, t + state.s.leaseMs);
    state.lastRenew = t;
  }
}

function onScanPage(state: ScanState, task: ScanTask, rows: (VoiceRecord | MessageRecord)[]): void {
  if (rows.length === 0) return;
  const st = state.windows.get(task.window)!;
  st.chunks.push({ task, rows });
  st.buffered += rows.length;
  state.buffered += rows.length;
  if (state.buffered < FLUSH_ROWS) return;
  const t = state.ctx.clock.now();
  state.ctx.ledger.tx(() => {
    for (const other of state.windows.values()) if (other.buffered > 0) applyChunks(state, other, t);
    renewIfDue(state, t);
  });
}

/** A query ended: once its window's last one has, apply its rows and settle what it covered. */
function onScanDone(state: ScanState, out: ScanOutcome): void {
  const { ctx, o, counts } = state;
  const st = state.windows.get(out.task.window)!;
  st.remaining--;
  if (!out.ok) st.failed = true;
  if (st.remaining > 0) return;
  state.windows.delete(out.task.window);
  const read = out.task.recordType === 'messaging' ? o.coverage?.messages : o.coverage?.voice;
  if (!st.failed) read?.add(out.task.window.from, out.task.window.to);
  const t = ctx.clock.now();
  ctx.ledger.tx(() => {
    applyChunks(state, st, t);
    if (!st.failed) {
      for (const id of st.calls) {
        const where = o.coverage ? { coverage: o.coverage.voice } : { window: out.task.window };
        if (settleCallJob(ctx, id, t, counts, { ...where, skipOwn: false })) ctx.log.info({ callId: id }, 'cost found in detail records');
      }
      for (const id of st.messages) {
        if (settleMessageJob(ctx, id, t, counts, { skipOwn: false })) ctx.log.info({ messageId: id }, 'cost found in detail records');
      }
    }
    renewIfDue(state, t);
  });
}

type Unanswered = Map<number, { error: unknown; failure: string }>;

/** 3. Jobs that did not get a complete answer (some window of theirs failed). */
function unansweredJobs(ctx: Ctx, outcomes: readonly ScanOutcome[]): Unanswered {
  const unanswered: Unanswered = new Map();
  for (const out of outcomes) {
    if (out.ok) continue;
    if (out.failure === 'transient')
      ctx.log.warn(
        { recordType: out.task.recordType, from: iso(out.task.window.from), to: iso(out.task.window.to), err: errorText(out.error) },
        'fetch failed, will retry',
      );
    for (const key of out.task.window.keys) if (!unanswered.has(key)) unanswered.set(key, { error: out.error, failure: out.failure ?? 'transient' });
  }
  return unanswered;
}

/** 4. Outcomes, each written only if this process still holds the job. */
function writeOutcomes(ctx: Ctx, s: Resolved, claimed: readonly Job[], counts: PassCounts, o: BatchOptions, plan: BatchPlan, unanswered: Unanswered): void {
  const { ledger } = ctx;
  const end = ctx.clock.now();
  ledger.tx(() => {
    for (const claimedJob of claimed) {
      const job = ledger.jobs.get(claimedJob.id);
      if (!job || job.status !== 'running' || job.leaseOwner !== ctx.owner) continue; // settled above or taken over
      const f = plan.facts.get(job.id);
      if (!f) {
        // The call or message row is gone: nothing to fetch for.
        ledger.jobs.finish(
          job.id,
          ctx.owner,
          { status: 'failed', attempts: job.attempts, nextRunAt: null, lastError: 'its call or message no longer exists' },
          end,
        );
        continue;
      }
      const failed = unanswered.get(job.id);
      if (failed) writeUnanswered(ctx, s, job, f, o.before?.get(job.id), failed, counts, end);
      else writeAnswered(ctx, s, job, f, plan.windows.get(job.id)!, o.before?.get(job.id), counts, end);
    }
  });
}

/** A job whose lookup failed: given back as it was (cancelled, paused), or retried later. */
function writeUnanswered(
  ctx: Ctx,
  s: Resolved,
  job: Job,
  f: JobFacts,
  before: Before | undefined,
  failed: { error: unknown; failure: string },
  counts: PassCounts,
  end: number,
): void {
  const { ledger } = ctx;
  if (failed.failure === 'cancelled' || failed.failure === 'pause') {
    // Nothing was learned: give the job back exactly as it was.
    ledger.jobs.releaseOne(job.id, ctx.owner, before?.status ?? (job.attempts >= attemptsAllowed(s) ? 'failed' : 'pending'), end);
    return;
  }
  const lastError = errorText(failed.error);
  if (before) {
    ledger.jobs.finish(job.id, ctx.owner, { status: before.status, attempts: before.attempts, nextRunAt: before.nextRunAt, lastError }, end);
  } else {
    const t = afterTransient(s, { ...f, attempts: job.attempts }, end, retryAfterOf(failed.error));
    ledger.jobs.finish(job.id, ctx.owner, { ...t, lastError }, end);
  }
  counts.processed++;
  counts.retried++;
}

/** A job whose lookup answered: done if its cost is now final, else scheduled (or given up). */
function writeAnswered(
  ctx: Ctx,
  s: Resolved,
  job: Job,
  f: JobFacts,
  window: { from: number; to: number },
  before: Before | undefined,
  counts: PassCounts,
  end: number,
): void {
  const { ledger, log } = ctx;
  counts.processed++;
  const row = job.callId !== null ? ledger.calls.get(job.callId) : undefined;
  const msg = job.messageId !== null ? ledger.messages.get(job.messageId) : undefined;
  const done = row ? callCompletion(row) : msg ? messageCompletion(msg) : null;
  if (done === 'not_billable' || (done === 'completed' && (!row || coversParts(s, f, window)))) {
    ledger.jobs.finish(job.id, ctx.owner, { status: done, attempts: job.attempts + 1, nextRunAt: null, lastError: null }, end);
    if (done === 'not_billable') counts.notBillable++;
    else counts.succeeded++;
    log.info({ jobId: job.id, callId: job.callId, messageId: job.messageId, status: done }, 'cost found in detail records');
    return;
  }
  if (done === 'completed') {
    // Exact already, but the lookup did not reach hangup + grace: one more look for parts.
    const at = partsLookAt(s, f.ref, end);
    ledger.jobs.finish(
      job.id,
      ctx.owner,
      {
        status: before?.status ?? 'pending',
        attempts: before?.attempts ?? job.attempts,
        nextRunAt: before?.nextRunAt ?? at,
        lastError: before ? job.lastError : `exact cost booked; one more look for other billed parts at ${iso(at)}`,
      },
      end,
    );
    counts.retried++;
    return;
  }
  if (before) {
    const lastError = `sweep at ${iso(end)}: still no detail record`;
    ledger.jobs.finish(job.id, ctx.owner, { status: before.status, attempts: before.attempts, nextRunAt: before.nextRunAt, lastError }, end);
    return;
  }
  writeNotFound(ctx, s, job, f, counts, end);
}

/** No record yet: the next attempt, the last look, or no_record (the estimate stands). */
function writeNotFound(ctx: Ctx, s: Resolved, job: Job, f: JobFacts, counts: PassCounts, end: number): void {
  const { ledger } = ctx;
  const next = afterNotFound(s, { ...f, attempts: job.attempts }, end);
  const window = settleWindow(s, f.answered);
  const lastError =
    next.status === 'no_record'
      ? `no detail record within the settle window (${hours(window)} after ${job.callId !== null ? 'hangup' : 'the message'}); the estimate stands`
      : next.status === 'failed'
        ? `no detail record after ${next.attempts} attempts; one last look at ${iso(next.nextRunAt)}`
        : `no detail record yet (attempt ${next.attempts} of ${attemptsAllowed(s)})`;
  if (!ledger.jobs.finish(job.id, ctx.owner, { ...next, lastError }, end)) return;
  if (next.status === 'no_record') {
    counts.failed++;
    counts.noRecord++;
    if (job.callId !== null) markCallNoRecord(ledger, job.callId, lastError, end);
    else if (job.messageId !== null) markMessageNoRecord(ledger, job.messageId, end);
  } else if (next.status === 'failed') {
    counts.failed++;
  } else {
    counts.retried++;
  }
}
