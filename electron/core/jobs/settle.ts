// Settling a call's job: its cost is final (exact with every part, or not billable), so the
// fetcher stops looking. The reconciler settles jobs as its passes book costs
// (reconcile/apply-page.ts); an import settles those of the calls it priced inside each
// chunk's own transaction (ingest/chunk-commit.ts, on the write worker too), so the app's
// main thread never waits for the write lock to do it after the chunk.
import type { Call } from '../ledger/calls.ts';
import type { Ledger } from '../ledger/index.ts';
import type { JobStatus } from '../../../shared/domain.ts';
import { callCompletion, type Completion } from './completion.ts';

export interface SettleCallJobOptions {
  /** Settle even a job another live process holds (a manual refetch). */
  force?: boolean;
  /** Leave `owner`'s own running jobs alone (the batch that holds them writes their outcome). Default true. */
  skipOwn?: boolean;
  /** The call as the caller just read it (saves reading it again). */
  known?: Call;
  /** May refuse a completion (the reconciler's check that its search covered every part). */
  allow?(call: Call, done: NonNullable<Completion>, jobStatus: JobStatus): boolean;
}

/** Marks the call's job done, for `owner`, if its cost is now final. Returns what it became, or null. */
export function settleCallJobIfDone(ledger: Ledger, owner: string, callId: number, now: number, o: SettleCallJobOptions = {}): Completion {
  const job = ledger.jobs.forCall(callId);
  if (!job || job.status === 'completed' || job.status === 'not_billable') return null;
  if ((o.skipOwn ?? true) && job.status === 'running' && job.leaseOwner === owner) return null;
  const call = o.known ?? ledger.calls.get(callId);
  if (!call) return null;
  const done = callCompletion(call);
  if (!done || (o.allow && !o.allow(call, done, job.status))) return null;
  return ledger.jobs.settle(job.id, done, owner, now, o.force ?? false) ? done : null;
}

/**
 * The jobs of calls whose cost an import (or a report) just applied: an import reads whole
 * date ranges, so every part it could see is in. Only the calls with an open job are read.
 * Call inside the transaction that applied the costs. Returns how many jobs were settled.
 */
export function settleImportedCallJobs(ledger: Ledger, owner: string, callIds: readonly number[], now: number): number {
  if (callIds.length === 0) return 0;
  let n = 0;
  for (const id of ledger.jobs.callsWithOpenJobs(callIds)) if (settleCallJobIfDone(ledger, owner, id, now)) n++;
  return n;
}
