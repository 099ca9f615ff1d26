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
import { runScans, type ScanTask } from './scan.ts';
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

export async function runBatch(
  ctx: Ctx,
  client: TelnyxClient,
  claimed: readonly Job[],
  counts: PassCounts,
  o: { mode: BatchMode; before?: ReadonlyMap<number, Before>; signal?: AbortSignal; coverage?: { voice: Coverage; messages: Coverage } },
): Promise<BatchResult> {
  const { ledger, log } = ctx;
  const s = ctx.settings();
  const now = ctx.clock.now();
  const facts = new Map<number, JobFacts>();
  const windows = new Map<number, { from: number; to: number }>();
  const voice: LookupTarget[] = [];
  const messages: LookupTarget[] = [];

  // 1. Jobs whose cost arrived some other way since they were scheduled need no request.
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
        const f = callFacts(call);
        facts.set(job.id, f);
        const w = lookupWindow(s, { ...f, attempts: o.mode === 'sweep' ? 99 : job.attempts }, now);
        windows.set(job.id, w);
        for (const part of o.coverage?.voice.missing(w.from, w.to) ?? [w]) voice.push({ key: job.id, from: part.from, to: part.to });
      } else if (job.messageId !== null) {
        const m = ledger.messages.get(job.messageId);
        if (!m) continue;
        if (messageCompletion(m)) {
          settleMessageJob(ctx, m.id, now, counts, { force: true, skipOwn: false });
          continue;
        }
        const f = messageFacts(m, now);
        facts.set(job.id, f);
        const w = lookupWindow(s, { ...f, attempts: o.mode === 'sweep' ? 99 : job.attempts }, now);
        windows.set(job.id, w);
        for (const part of o.coverage?.messages.missing(w.from, w.to) ?? [w]) messages.push({ key: job.id, from: part.from, to: part.to });
      }
    }
  });

  // 2. Shared query windows, one paged query per window and record type.
  const plan = { maxWindowMs: s.maxWindowMs, joinGapMs: s.joinGapMs };
  const voiceWindows = planWindows(voice, plan);
  const messageWindows = planWindows(messages, plan);
  const byId = new Map(claimed.map((j) => [j.id, j]));
  const describe = (w: QueryWindow) => {
    const ids = w.keys.slice(0, 20).map((k) => byId.get(k)?.callId ?? byId.get(k)?.messageId);
    return { from: iso(w.from), to: iso(w.to), jobs: w.keys.length, ids, more: Math.max(0, w.keys.length - 20) };
  };
  for (const w of messageWindows) log.info({ ...describe(w), recordTypes: ['messaging'], mode: o.mode }, 'fetch starting');
  // Billed features (recording, AMD, ...) are looked for where the account has shown them
  // (an import brought records of that type): an account without them pays no request.
  const voiceTypes: RecordType[] = [...new Set<RecordType>([...s.voiceRecordTypes, ...ledger.records.featureTypesSeen()])];
  for (const w of voiceWindows) log.info({ ...describe(w), recordTypes: voiceTypes, mode: o.mode }, 'fetch starting');
  const tasks: ScanTask[] = [
    ...voiceWindows.flatMap((window) => voiceTypes.map((recordType) => ({ window, recordType }))),
    ...messageWindows.map((window) => ({ window, recordType: 'messaging' as RecordType })),
  ];

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
  const states = new Map<QueryWindow, WindowState>();
  for (const task of tasks) {
    const st = states.get(task.window) ?? { remaining: 0, failed: false, chunks: [], buffered: 0, calls: new Set<number>(), messages: new Set<string>() };
    st.remaining++;
    states.set(task.window, st);
  }
  let buffered = 0;
  let lastRenew = now;
  const applyChunks = (st: WindowState, t: number) => {
    for (const { task, rows } of st.chunks) {
      if (task.recordType === 'messaging') {
        for (const id of applyMessageRows(ctx, rows as MessageRecord[], t, counts, { settle: false })) st.messages.add(id);
      } else {
        for (const id of applyVoiceRows(ctx, rows as VoiceRecord[], t, counts, { settle: false }).matchedCallIds) st.calls.add(id);
      }
    }
    buffered -= st.buffered;
    st.chunks = [];
    st.buffered = 0;
  };
  const renewIfDue = (t: number) => {
    // A long pass keeps its claims: renew well before they could expire.
    if (t - lastRenew > s.leaseMs / 3) {
      ledger.jobs.renew(ctx.owner, t + s.leaseMs);
      lastRenew = t;
    }
  };
  const run = await runScans(client, tasks, {
    concurrency: s.concurrency,
    pageConcurrency: s.pageConcurrency,
    readRetry: s.readRetry,
    signal: o.signal,
    onPage: (task, page) => {
      if (page.rows.length === 0) return;
      const st = states.get(task.window)!;
      st.chunks.push({ task, rows: page.rows });
      st.buffered += page.rows.length;
      buffered += page.rows.length;
      if (buffered < FLUSH_ROWS) return;
      const t = ctx.clock.now();
      ledger.tx(() => {
        for (const other of states.values()) if (other.buffered > 0) applyChunks(other, t);
        renewIfDue(t);
      });
    },
    onTaskDone: (out) => {
      const st = states.get(out.task.window)!;
      st.remaining--;
      if (!out.ok) st.failed = true;
      if (st.remaining > 0) return;
      states.delete(out.task.window);
      const read = out.task.recordType === 'messaging' ? o.coverage?.messages : o.coverage?.voice;
      if (!st.failed) read?.add(out.task.window.from, out.task.window.to);
      const t = ctx.clock.now();
      ledger.tx(() => {
        applyChunks(st, t);
        if (!st.failed) {
          for (const id of st.calls) {
            const where = o.coverage ? { coverage: o.coverage.voice } : { window: out.task.window };
            if (settleCallJob(ctx, id, t, counts, { ...where, skipOwn: false })) log.info({ callId: id }, 'cost found in detail records');
          }
          for (const id of st.messages) {
            if (settleMessageJob(ctx, id, t, counts, { skipOwn: false })) log.info({ messageId: id }, 'cost found in detail records');
          }
        }
        renewIfDue(t);
      });
    },
  });
  counts.requests += run.requests;

  // 3. Which jobs did not get a complete answer (some window of theirs failed)?
  const unanswered = new Map<number, { error: unknown; failure: string }>();
  for (const out of run.outcomes) {
    if (out.ok) continue;
    if (out.failure === 'transient') log.warn({ recordType: out.task.recordType, from: iso(out.task.window.from), to: iso(out.task.window.to), err: errorText(out.error) }, 'fetch failed, will retry');
    for (const key of out.task.window.keys) if (!unanswered.has(key)) unanswered.set(key, { error: out.error, failure: out.failure ?? 'transient' });
  }

  // 4. Outcomes, each written only if this process still holds the job.
  const end = ctx.clock.now();
  const allowed = attemptsAllowed(s);
  ledger.tx(() => {
    for (const claimedJob of claimed) {
      const job = ledger.jobs.get(claimedJob.id);
      if (!job || job.status !== 'running' || job.leaseOwner !== ctx.owner) continue; // settled above or taken over
      const f = facts.get(job.id);
      if (!f) {
        // The call or message row is gone: nothing to fetch for.
        ledger.jobs.finish(job.id, ctx.owner, { status: 'failed', attempts: job.attempts, nextRunAt: null, lastError: 'its call or message no longer exists' }, end);
        continue;
      }
      const before = o.before?.get(job.id);
      const failed = unanswered.get(job.id);
      if (failed) {
        if (failed.failure === 'cancelled' || failed.failure === 'pause') {
          // Nothing was learned: give the job back exactly as it was.
          ledger.jobs.releaseOne(job.id, ctx.owner, before?.status ?? (job.attempts >= allowed ? 'failed' : 'pending'), end);
          continue;
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
        continue;
      }
      // Answered. Did it make the cost final?
      counts.processed++;
      const row = job.callId !== null ? ledger.calls.get(job.callId) : undefined;
      const msg = job.messageId !== null ? ledger.messages.get(job.messageId) : undefined;
      const done = row ? callCompletion(row) : msg ? messageCompletion(msg) : null;
      if (done === 'not_billable' || (done === 'completed' && (!row || coversParts(s, f, windows.get(job.id)!)))) {
        ledger.jobs.finish(job.id, ctx.owner, { status: done, attempts: job.attempts + 1, nextRunAt: null, lastError: null }, end);
        if (done === 'not_billable') counts.notBillable++;
        else counts.succeeded++;
        log.info({ jobId: job.id, callId: job.callId, messageId: job.messageId, status: done }, 'cost found in detail records');
        continue;
      }
      if (done === 'completed') {
        // Exact already, but the lookup did not reach hangup + grace: one more look for parts.
        const at = partsLookAt(s, f.ref, end);
        ledger.jobs.finish(job.id, ctx.owner, { status: before?.status ?? 'pending', attempts: before?.attempts ?? job.attempts, nextRunAt: before?.nextRunAt ?? at, lastError: before ? job.lastError : `exact cost booked; one more look for other billed parts at ${iso(at)}` }, end);
        counts.retried++;
        continue;
      }
      if (before) {
        const lastError = `sweep at ${iso(end)}: still no detail record`;
        ledger.jobs.finish(job.id, ctx.owner, { status: before.status, attempts: before.attempts, nextRunAt: before.nextRunAt, lastError }, end);
        continue;
      }
      const next = afterNotFound(s, { ...f, attempts: job.attempts }, end);
      const window = settleWindow(s, f.answered);
      const lastError =
        next.status === 'no_record'
          ? `no detail record within the settle window (${hours(window)} after ${job.callId !== null ? 'hangup' : 'the message'}); the estimate stands`
          : next.status === 'failed'
            ? `no detail record after ${next.attempts} attempts; one last look at ${iso(next.nextRunAt)}`
            : `no detail record yet (attempt ${next.attempts} of ${allowed})`;
      if (!ledger.jobs.finish(job.id, ctx.owner, { ...next, lastError }, end)) continue;
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
  });
  return { stoppedBy: run.stoppedBy };
}
