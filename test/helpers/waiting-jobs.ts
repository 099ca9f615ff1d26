// Calls first seen through their webhooks (ended, no cost yet), each with a fetcher's job,
// that an import then prices: the import settles those jobs in its own commits (the import's
// jobsOwner, jobs/settle.ts) and leaves the one the fetcher is working to it.
import assert from 'node:assert/strict';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import type { Clock } from '../../electron/core/util/clock.ts';
import { insertHungUpCall } from './call-rows.ts';

/** The reconciler (fetcher) whose jobs the import settles. */
export const FETCHER = 'fetcher-of-this-app';

export interface WaitingCall {
  leg: string;
  session: string;
  endedAt: number;
}

/** Three calls a completed import priced from one record each: what a later import prices again. */
export function callsPricedAlone(sample: Ledger): WaitingCall[] {
  const calls = sample.db
    .prepare(
      `SELECT call_leg_id AS leg, call_session_id AS session, ended_at AS endedAt FROM calls c
       WHERE cost_status = 'exact' AND call_leg_id IS NOT NULL AND call_session_id IS NOT NULL
         AND (SELECT COUNT(*) FROM detail_records d WHERE d.call_id = c.id) = 1
       ORDER BY id LIMIT 3`,
    )
    .all() as WaitingCall[];
  assert.equal(calls.length, 3);
  return calls;
}

/**
 * The calls in `ledger` as their webhooks left them, each with a job; the fetcher is working
 * the last one's right now. Then watch() gives an import's onCallsUpdated and checks, after
 * it, that each commit settled the jobs itself and left the fetcher's own.
 */
export function seedWaitingJobs(ledger: Ledger, calls: readonly WaitingCall[], clock: Clock) {
  const ids = calls.map((k) => insertHungUpCall(ledger, k.endedAt, { leg: k.leg, session: k.session, control: null }));
  const last = ids.length - 1;
  for (const [i, id] of ids.entries()) ledger.jobs.ensureForCall(id, i === last ? 0 : clock.now() + 3_600_000, 0);
  assert.deepEqual(
    ledger.jobs.claimDue(FETCHER, clock.now(), clock.now() + 60_000, 1).map((j) => j.callId),
    [ids[last]],
  );
  // After each commit, on the importing thread: which of the commit's calls still have an open job.
  const seen: { settled: number; stillOpen: number[] }[] = [];
  return {
    onCallsUpdated: (callIds: number[], settled: number) => seen.push({ settled, stillOpen: ledger.jobs.callsWithOpenJobs(callIds) }),
    assertSettledByCommits(how: string): void {
      const jobs = ids.map((id) => ledger.jobs.forCall(id)!.status);
      assert.deepEqual(jobs, [...ids.slice(0, last).map(() => 'completed'), 'running'], `${how}: the fetcher's own running job is left to it`);
      assert.equal(
        seen.reduce((n, s) => n + s.settled, 0),
        last,
        `${how}: the commits settled the waiting jobs themselves`,
      );
      assert.deepEqual(
        seen.flatMap((s) => s.stillOpen),
        [ids[last]],
        `${how}: no call a commit priced had a job left for the importing thread to settle, but the fetcher's own`,
      );
    },
  };
}
