// Issue 11, point 9: "under faults, unanswered calls were marked no_record for one pass".
// The cause: a detail-records page whose rows could not be read (the simulator's `renamed`
// fault: cost missing, leg id renamed) was applied as what it could read, and the window
// counted as answered; a call whose record was on that page was "not found", and an
// unanswered call, whose settle window (1 h) had closed, was marked no_record at once, until
// a later pass found its record. reconcile/scan.ts now reads such a page again with backoff
// and, still unreadable, fails the window's query as transient. This test plays exactly that
// case: the same page stays unreadable for every attempt of the pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pollOnce } from '../../electron/core/ingest/poller.ts';
import { clientDeliverySource } from '../../electron/core/ingest/sources.ts';
import { createReconciler } from '../../electron/core/reconcile/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { FAST_READ_RETRY } from '../helpers/ingest.ts';
import { openTestLedger } from '../helpers/ledger.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';

const START = Date.UTC(2026, 0, 10);
const HOUR = 3600_000;

function states(ledger: Ledger) {
  return ledger.db
    .prepare(
      `SELECT c.id, c.cost_status AS status, c.call_sec AS callSec, c.answered_at AS answeredAt, j.status AS job, j.last_error AS lastError
         FROM calls c LEFT JOIN jobs j ON j.call_id = c.id ORDER BY c.id`,
    )
    .all() as { id: number; status: string; callSec: number | null; answeredAt: number | null; job: string | null; lastError: string | null }[];
}

describe('reconcile: a page that cannot be read is not "no record"', () => {
  it('unanswered calls past their settle window stay estimated with a waiting job while their page is unreadable; the next clean pass books them', async () => {
    const sim = await startTestSimulator({
      seed: 'unreadable',
      calls: 60,
      messages: 0,
      startMs: START,
      spanMs: HOUR,
      unansweredRate: 0.5,
      neverRecordRate: 0,
      stragglerRate: 0,
      sipTrunkingRate: 0,
      webrtcRate: 0,
      nowMs: START + 3 * HOUR,
    });
    const client = testClient(sim);
    // Past the unanswered settle window (1 h after hangup), well inside the answered one.
    const at = START + 3 * HOUR;
    const clock = new ManualClock(at);
    const settings = { ...DEFAULT_SETTINGS, readRetry: FAST_READ_RETRY, concurrency: 1, pageConcurrency: 1 };
    const ledger = openTestLedger();
    const reconciler = createReconciler({ ledger, client: () => client, clock, settings: () => settings });
    await pollOnce({
      ledger,
      source: clientDeliverySource(client),
      clock,
      firstLookbackMs: 6 * HOUR,
      hooks: { onCallEnded: (id) => reconciler.onCallEnded(id) },
    });
    const unanswered = states(ledger).filter((c) => c.answeredAt === null && c.callSec === 0);
    assert.ok(unanswered.length >= 10, `unanswered calls played (${unanswered.length})`);

    // Every attempt at the first detail-records page gets its rows renamed (cost missing).
    sim.setFaults([{ kind: 'renamed', count: FAST_READ_RETRY.attempts, path: '/v2/detail_records' }]);
    const faulted = await reconciler.processDue();
    sim.clearFaults();
    assert.ok(faulted.retried > 0, `the pass says it will retry: ${JSON.stringify(faulted)}`);
    const after = states(ledger);
    assert.deepEqual(
      after.filter((c) => c.status === 'no_record'),
      [],
      'no call is marked no_record because a page could not be read',
    );
    // Rows of the pages that were read are booked; the calls of the unreadable page wait.
    const waiting = after.filter((x) => x.answeredAt === null && x.callSec === 0 && x.status !== 'exact');
    assert.ok(waiting.length > 0, 'some unanswered calls had their record on the unreadable page');
    for (const c of waiting) {
      assert.equal(c.status, 'estimated', `unanswered call ${c.id}`);
      // Waiting, not final: pending, or "failed" (past its deadline, due again after the error).
      assert.ok(c.job === 'pending' || c.job === 'failed', `unanswered call ${c.id}'s job is ${c.job}`);
      assert.match(c.lastError ?? '', /rows of call-control page 1 could not be read after 5 attempts/, `call ${c.id} says why`);
    }

    // The next pass reads the page: every call booked from its record, none "no record".
    await clock.advance(60_000);
    const clean = await reconciler.processDue();
    assert.ok(clean.succeeded > 0, JSON.stringify(clean));
    const final = states(ledger);
    assert.deepEqual(
      final.filter((c) => c.status !== 'exact'),
      [],
      'every call exact from its record',
    );
    ledger.close();
    await sim.close();
  });
});
