// The reconciler's two kinds of pass, one at a time within a process (serialized): a pass
// over due jobs (the loop's, and the old cron endpoint), and a sweep that re-checks the
// failed and no-record jobs of a range.
import { attemptsAllowed } from '../jobs/schedule.ts';
import type { TelnyxClient } from '../telnyx/index.ts';
import { runBatch, type Before } from './batch.ts';
import { adoptOpenCalls, reclaimDeadOwners } from './call-end.ts';
import { addCounts, emptyCounts, type PassCounts } from './context.ts';
import { Coverage } from './coverage.ts';
import { errorText } from './errors.ts';
import { pause, readPause } from './pause.ts';
import { serialized, type ReconcilerState } from './state.ts';

export function processDue(r: ReconcilerState, po: { limit?: number; signal?: AbortSignal } = {}): Promise<PassCounts> {
  return serialized(r, async (): Promise<PassCounts> => {
    const { ctx, o } = r;
    const { ledger, clock, log } = ctx;
    const counts = emptyCounts(clock.now());
    const client = o.client();
    if (!client) return counts;
    if (readPause(ledger)) return counts;
    r.freshSettings();
    adoptOpenCalls(ctx);
    reclaimDeadOwners(ctx);
    // A run row (and an info line) only for passes that had something to do: the loop
    // looks every minute, and "nothing due" a thousand times a day is noise.
    const run: { id: number | null } = { id: null };
    let error: string | null = null;
    try {
      await claimAndRun(r, client, counts, run, po);
    } catch (err) {
      error = errorText(err);
      log.error({ err: error }, 'reconcile pass failed');
      throw err;
    } finally {
      if (run.id !== null) ledger.runs.finish(run.id, error ? 'error' : 'ok', counts, error, clock.now());
      const line = { ...counts, at: new Date(counts.at).toISOString() };
      if (run.id !== null) log.info(line, 'reconcile pass finished');
      else log.debug(line, 'reconcile pass finished');
      if (counts.processed > 0 || counts.costsUpdated > 0) o.onChange?.();
    }
    return counts;
  });
}

/**
 * Claims due jobs batch by batch and fetches their costs until none is due, `limit` jobs
 * were taken, the signal aborts, or Telnyx says stop. Starts the pass's run row (`run.id`)
 * with the first batch.
 */
async function claimAndRun(
  r: ReconcilerState,
  client: TelnyxClient,
  counts: PassCounts,
  run: { id: number | null },
  po: { limit?: number; signal?: AbortSignal },
): Promise<void> {
  const { ctx } = r;
  const { ledger, clock, owner } = ctx;
  const s = ctx.settings();
  let left = po.limit ?? Number.POSITIVE_INFINITY;
  const coverage = { voice: new Coverage(), messages: new Coverage() };
  while (left > 0 && !po.signal?.aborted) {
    const now = clock.now();
    const claimed = ledger.jobs.claimDue(owner, now, now + s.leaseMs, Math.min(s.claimBatch, left));
    if (claimed.length === 0) break;
    run.id ??= ledger.runs.start('reconcile', counts.at);
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
      pause(r, errorText(result.stoppedBy.error));
      break;
    }
    if (result.stoppedBy?.failure === 'rate') break; // the rest waits for the next pass
  }
}

export function sweep(r: ReconcilerState, range: { from: number; to: number }, so: { signal?: AbortSignal } = {}): Promise<PassCounts> {
  return serialized(r, async (): Promise<PassCounts> => {
    const { ctx, o } = r;
    const { ledger, clock, log } = ctx;
    const counts = emptyCounts(clock.now());
    r.freshSettings();
    adoptOpenCalls(ctx, ledger.backlog.openEndedCallsIn(range.from, range.to));
    const client = o.client();
    if (!client || readPause(ledger)) return counts;
    const s = ctx.settings();
    const ids = ledger.backlog.retryableJobsIn(range.from, range.to);
    const coverage = { voice: new Coverage(), messages: new Coverage() };
    for (let k = 0; k < ids.length && !so.signal?.aborted; k += s.claimBatch) {
      const stoppedBy = await sweepBatch(r, client, ids.slice(k, k + s.claimBatch), counts, { signal: so.signal, coverage });
      if (stoppedBy?.failure === 'pause') {
        pause(r, errorText(stoppedBy.error));
        break;
      }
      if (stoppedBy) break;
    }
    log.info({ ...counts, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() }, 'sweep finished');
    if (counts.processed > 0) o.onChange?.();
    return counts;
  });
}

/** Claims and fetches one batch of a sweep; what it could not decide goes back exactly as it was. */
async function sweepBatch(
  r: ReconcilerState,
  client: TelnyxClient,
  ids: readonly number[],
  counts: PassCounts,
  bo: { signal: AbortSignal | undefined; coverage: { voice: Coverage; messages: Coverage } },
) {
  const { ctx } = r;
  const { ledger, clock, owner } = ctx;
  const s = ctx.settings();
  const t = clock.now();
  const before = new Map<number, Before>();
  const claimed = ledger.tx(() =>
    ids.flatMap((id) => {
      const job = ledger.jobs.get(id);
      if (!job || (job.status !== 'failed' && job.status !== 'no_record')) return [];
      const got = ledger.jobs.claim(id, owner, t, t + s.leaseMs);
      if (!got) return [];
      before.set(id, { status: job.status, attempts: job.attempts, nextRunAt: job.nextRunAt });
      return [got];
    }),
  );
  const batch = emptyCounts(t);
  try {
    const result = await runBatch(ctx, client, claimed, batch, { mode: 'sweep', before, signal: bo.signal, coverage: bo.coverage });
    return result.stoppedBy;
  } finally {
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
}
