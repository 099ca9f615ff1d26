// The cost fetcher against the simulator over real HTTP, on real ledger files, with a manual
// clock driving the retry schedule: records that come late, never, or twice; calls that come
// from stored webhook events; 30% injected faults; an auth failure; manual refetch outcomes.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { startSimulator, type CallTruth, type RunningSimulator, type SimulatorOptions } from '../../electron/core/simulator/index.ts';
import { createTelnyxClient, type TelnyxClient } from '../../electron/core/telnyx/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { createLogger } from '../../electron/core/util/logger.ts';
import { readFileSync } from 'node:fs';
import { createReconciler, type Reconciler, type ReconcileSettings } from '../../electron/core/reconcile/index.ts';
import { insertEndedCalls } from '../helpers/seed-calls.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { pollOnce } from '../../electron/core/ingest/poller.ts';
import { clientDeliverySource } from '../../electron/core/ingest/sources.ts';
import { openTestLedger } from '../helpers/ledger.ts';
import { tempDir } from '../helpers/temp.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 15, 12);

interface Harness {
  clock: ManualClock;
  sim: RunningSimulator;
  client: TelnyxClient;
  ledger: Ledger;
  r: Reconciler;
  settings: ReconcileSettings;
  truths: CallTruth[];
  file: string;
}

async function harness(
  t: TestContext,
  o: { sim: SimulatorOptions; settings?: Partial<ReconcileSettings>; clockStart?: number; file?: string; dir?: string; logFile?: string },
): Promise<Harness> {
  const dir = o.dir ?? tempDir('reconcile-');
  const clock = new ManualClock(o.clockStart ?? T0);
  const sim = await startSimulator({ ...o.sim, now: () => clock.now() });
  // The client's own retries run on the wall clock, fast; the schedule runs on the manual one.
  const logger = o.logFile ? createLogger({ destination: o.logFile, level: 'info' }) : undefined;
  const client = createTelnyxClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, timeoutMs: 400, retry: { baseMs: 2, maxMs: 20 }, logger });
  const file = join(dir, o.file ?? 'ledger.db');
  const ledger = openLedgerFile(file);
  const settings: ReconcileSettings = {
    rates: DEFAULT_SETTINGS.rates,
    retryScheduleMs: DEFAULT_SETTINGS.retryScheduleMs,
    settleWindowMs: DEFAULT_SETTINGS.settleWindowMs,
    ...o.settings,
  };
  const r = createReconciler({ ledger, client: () => client, clock, settings: () => settings, logger });
  t.after(async () => {
    await r.stop();
    await client.close();
    await sim.close();
    ledger.close();
  });
  const truths = Array.from({ length: sim.account.callCount }, (_, i) => sim.account.call(i));
  return { clock, sim, client, ledger, r, settings, truths, file };
}

/**
 * Live: calls end as the clock passes their end; a pass runs when something is due, but (like
 * the reconciler's own loop) never sooner than `gapMs` after the previous one.
 */
async function runLive(h: Harness, until: number, gapMs = 20_000): Promise<{ passes: number; requests: number }> {
  const pending = [...h.truths].sort((a, b) => a.endMs - b.endMs);
  let k = 0;
  let passes = 0;
  let requests = 0;
  for (;;) {
    const now = h.clock.now();
    const ended: CallTruth[] = [];
    while (k < pending.length && pending[k]!.endMs <= now) ended.push(pending[k++]!);
    for (const id of insertEndedCalls(h.ledger, ended, now)) h.r.onCallEnded(id);
    const c = await h.r.processDue();
    passes++;
    requests += c.requests;
    const nextCall = k < pending.length ? pending[k]!.endMs : Infinity;
    const nextJob = h.ledger.jobs.nextDueAt() ?? Infinity;
    const next = Math.max(Math.min(nextCall, nextJob), now + gapMs);
    if (nextCall === Infinity && nextJob === Infinity) break;
    if (next > until) break;
    await h.clock.advance(Math.max(0, next - h.clock.now()));
  }
  return { passes, requests };
}

/** Backlog: calls already in the ledger; passes until no job is waiting. */
async function runUntilSettled(h: Harness, maxPasses = 400): Promise<{ passes: number; requests: number }> {
  let passes = 0;
  let requests = 0;
  for (; passes < maxPasses; passes++) {
    const c = await h.r.processDue();
    requests += c.requests;
    const counts = h.ledger.jobs.countByStatus();
    if (counts.pending + counts.running + counts.failed === 0) return { passes: passes + 1, requests };
    const next = h.ledger.jobs.nextDueAt();
    if (next !== null && next > h.clock.now()) await h.clock.advance(next - h.clock.now());
  }
  throw new Error(`not settled after ${maxPasses} passes: ${JSON.stringify(h.ledger.jobs.countByStatus())}`);
}

function callOf(h: Harness, t: CallTruth) {
  const c = h.ledger.calls.byLeg(t.callLegId);
  assert.ok(c, `call ${t.index} is in the ledger`);
  return c;
}

function assertNoDoubleApply(h: Harness, callId: number) {
  const rows = h.ledger.history.forCall(callId);
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1]!;
    const b = rows[k]!;
    assert.ok(!(a.newNanos === b.newNanos && a.newSource === b.newSource && a.newStatus === b.newStatus), `call ${callId}: the same cost applied twice`);
  }
  return rows;
}

test('records that appear minutes after hangup: first tries find nothing, retries on schedule find them', async (t) => {
  const h = await harness(t, {
    sim: {
      calls: 30,
      messages: 0,
      numbers: 3,
      startMs: T0,
      spanMs: 10 * MIN,
      recordDelayMs: { min: 45_000, max: 200_000 },
      stragglerRate: 0,
      neverRecordRate: 0,
      duplicateRecordRate: 0,
      sipTrunkingRate: 0.3,
      unansweredRate: 0.1,
    },
  });
  const { requests } = await runLive(h, T0 + 3 * 3600_000);
  assert.deepEqual(h.ledger.jobs.countByStatus(), { pending: 0, running: 0, completed: 30, failed: 0, not_billable: 0, no_record: 0 });
  let retried = 0;
  for (const truth of h.truths) {
    const c = callOf(h, truth);
    assert.equal(c.costStatus, 'exact');
    assert.equal(c.costSource, 'detail_record');
    assert.equal(c.exactNanos, truth.totalCostNanos, `call ${truth.index} costs the sum of its records`);
    assert.equal(c.currency, truth.currency);
    const job = h.ledger.jobs.forCall(c.id)!;
    if (job.attempts > 1) retried++;
    const rows = assertNoDoubleApply(h, c.id);
    assert.equal(rows[0]!.newSource, 'estimate');
    // The first calls are estimated at the fallback rate; once a number has exact costs, at its learned rate.
    assert.match(
      rows[0]!.reason,
      truth.answered
        ? /^estimated @ (0\.015\/min fallback, 60\/60|[\d.]+\/min learned from \d+ calls? of \+\d+ (in|out)bound( \(no [A-Z]{3} fallback rate in Settings\))?, \d+\/\d+) increments/
        : /not answered/,
    );
    assert.equal(rows.at(-1)!.newNanos, truth.totalCostNanos);
    assert.ok(rows.length <= 1 + truth.records.length);
  }
  assert.ok(retried >= 25, `most calls needed more than one try (${retried})`);
  // Batched: fewer requests than one query per call, attempt and record type.
  const attempts = h.truths.reduce((n, tr) => n + h.ledger.jobs.forCall(callOf(h, tr).id)!.attempts, 0);
  assert.ok(requests < attempts * 3, `requests: ${requests}, attempts: ${attempts}`);
});

test('records that never come: failed after the schedule, no_record after the settle window, estimate kept', async (t) => {
  const h = await harness(t, {
    sim: { calls: 12, messages: 0, numbers: 2, startMs: T0, spanMs: 5 * MIN, neverRecordRate: 1, unansweredRate: 0, stragglerRate: 0 },
    settings: { settleWindowMs: 2 * 3600_000 },
  });
  await runLive(h, T0 + 100 * MIN);
  const counts = h.ledger.jobs.countByStatus();
  assert.equal(counts.failed, 12, JSON.stringify(counts));
  for (const truth of h.truths) {
    const c = callOf(h, truth);
    assert.equal(c.costStatus, 'estimated');
    const job = h.ledger.jobs.forCall(c.id)!;
    assert.equal(job.attempts, 7);
    assert.equal(job.nextRunAt, truth.endMs + 2 * 3600_000);
    assert.match(job.lastError ?? '', /after 7 attempts/);
  }
  assert.equal(h.r.status().failed, 12);
  const estimates = new Map(h.truths.map((tr) => [tr.index, callOf(h, tr).estimatedNanos]));
  await h.clock.advance(T0 + 4 * 3600_000 - h.clock.now());
  const pass = await h.r.processDue();
  assert.equal(pass.noRecord, 12);
  for (const truth of h.truths) {
    const c = callOf(h, truth);
    assert.equal(c.costStatus, 'no_record');
    assert.equal(c.estimatedNanos, estimates.get(truth.index));
    assert.ok(c.estimatedNanos! > 0n);
    assert.equal(h.ledger.jobs.forCall(c.id)!.status, 'no_record');
    const last = h.ledger.history.forCall(c.id).at(-1)!;
    assert.equal(last.newStatus, 'no_record');
    assert.match(last.reason, /settle window/);
  }
  assert.deepEqual(h.r.status(), { paused: false, pauseReason: null, pending: 0, failed: 0 });
});

test('records listed twice are counted once', async (t) => {
  const h = await harness(t, {
    sim: {
      calls: 40,
      messages: 0,
      numbers: 3,
      startMs: T0 - 6 * 3600_000,
      spanMs: 3600_000,
      duplicateRecordRate: 1,
      sipTrunkingRate: 0.5,
      neverRecordRate: 0,
      stragglerRate: 0,
    },
  });
  insertEndedCalls(h.ledger, h.truths, h.clock.now());
  await runUntilSettled(h);
  await runUntilSettled(h); // and a second time over the same records
  for (const truth of h.truths) {
    const c = callOf(h, truth);
    assert.equal(c.exactNanos, truth.totalCostNanos);
    assertNoDoubleApply(h, c.id);
    assert.equal(h.ledger.records.forCall(c.id).length, truth.records.length);
  }
});

test('calls that arrive as stored webhook events: estimate at hangup, call.cost events count, the rest fetched', async (t) => {
  const h = await harness(t, {
    sim: { calls: 60, messages: 0, numbers: 3, startMs: T0 - 3 * 3600_000, spanMs: 3600_000, callCostEventRate: 0.5, stragglerRate: 0, neverRecordRate: 0 },
  });
  const poll = await pollOnce({
    ledger: h.ledger,
    source: clientDeliverySource(h.client),
    clock: h.clock,
    hooks: { onCallEnded: (id) => h.r.onCallEnded(id), onMessageWithoutCost: (id) => h.r.onMessageWithoutCost(id) },
  });
  assert.ok(poll.newEvents > 60);
  const viaEvent = h.truths.filter((tr) => tr.costEvent);
  assert.ok(viaEvent.length > 10);
  for (const truth of viaEvent) assert.equal(callOf(h, truth).costSource, 'call_cost_event');
  const { requests } = await runUntilSettled(h);
  for (const truth of h.truths) {
    const c = callOf(h, truth);
    assert.equal(c.costStatus, 'exact', `call ${truth.index}`);
    assert.equal(c.exactNanos, truth.totalCostNanos);
    assert.equal(h.ledger.jobs.forCall(c.id)!.status, 'completed');
    if (truth.costEvent) assert.equal(h.ledger.jobs.forCall(c.id)!.attempts, 0, 'exact from its call.cost event: never fetched');
    const rows = assertNoDoubleApply(h, c.id);
    assert.equal(rows[0]!.newSource, 'estimate', 'estimated at hangup');
  }
  assert.ok(requests <= 12, `requests: ${requests}`);
});

test('with 30% injected faults the ledger ends exactly like the fault-free run', async (t) => {
  const dir = tempDir('reconcile-faults-');
  const sim: SimulatorOptions = { seed: 7, calls: 400, messages: 0, numbers: 4, startMs: T0 - 2 * 86_400_000, spanMs: 2 * 86_400_000 - 2 * 3600_000 };
  const settings = { maxWindowMs: 3 * 3600_000 };
  const clean = await harness(t, { sim, settings, dir, file: 'clean.db' });
  const faulty = await harness(t, { sim, settings, dir, file: 'faulty.db' });
  // Eight kinds of fault, together on 30% of requests (retries included).
  const p = 1 - 0.7 ** (1 / 8);
  faulty.sim.setFaults([
    { kind: 429, probability: p, seed: 1, retryAfterSec: 0 },
    { kind: 500, probability: p, seed: 2 },
    { kind: 503, probability: p, seed: 3 },
    { kind: 'slow', probability: p, seed: 4, delayMs: 1500 },
    { kind: 'drop', probability: p, seed: 5 },
    { kind: 'drop', probability: p, seed: 6, when: 'mid-body' },
    { kind: 'malformed', probability: p, seed: 8 },
    { kind: 'truncated', probability: p, seed: 9 },
  ]);
  for (const h of [clean, faulty]) {
    for (const id of insertEndedCalls(h.ledger, h.truths, h.clock.now())) h.r.onCallEnded(id);
    await runUntilSettled(h);
  }
  const stats = faulty.sim.stats();
  const faults = Object.values(stats.faults).reduce((a, b) => a + b, 0);
  assert.ok(faults / stats.requests > 0.24, `faults injected: ${faults} of ${stats.requests}`);
  const row = (h: Harness, tr: CallTruth) => {
    const c = callOf(h, tr);
    return {
      status: c.costStatus,
      source: c.costSource,
      actual: c.exactNanos,
      currency: c.currency,
      estimate: c.estimatedNanos,
      job: h.ledger.jobs.forCall(c.id)!.status,
    };
  };
  let exact = 0;
  for (const tr of clean.truths) {
    assert.deepEqual(row(faulty, tr), row(clean, tr), `call ${tr.index}`);
    if (row(clean, tr).status === 'exact') {
      exact++;
      assert.equal(row(clean, tr).actual, tr.totalCostNanos);
    } else {
      assert.equal(tr.hasRecord, false, `call ${tr.index} has a record but ended ${row(clean, tr).status}`);
    }
  }
  assert.ok(exact > 380);
  const totals = (h: Harness) =>
    h.ledger.db
      .prepare(
        `SELECT our_number, COALESCE(currency, estimate_currency) AS cur,
           SUM(CASE WHEN cost_source <> 'estimate' THEN exact_nanos ELSE estimated_nanos END) AS booked, COUNT(*) AS n
         FROM calls GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .safeIntegers(true)
      .all();
  assert.deepEqual(totals(faulty), totals(clean));
});

test('an auth failure pauses the fetcher without using attempts; resume carries on', async (t) => {
  const h = await harness(t, { sim: { calls: 20, messages: 0, startMs: T0 - 3 * 3600_000, spanMs: 3600_000 } });
  for (const id of insertEndedCalls(h.ledger, h.truths, h.clock.now())) h.r.onCallEnded(id);
  h.sim.setFaults({ kind: 401 });
  const first = await h.r.processDue();
  assert.equal(first.processed, 0);
  const st = h.r.status();
  assert.equal(st.paused, true);
  assert.match(st.pauseReason ?? '', /rejected the API key/);
  assert.equal(st.pending, 20);
  for (const tr of h.truths) {
    const job = h.ledger.jobs.forCall(callOf(h, tr).id)!;
    assert.equal(job.attempts, 0);
    assert.equal(job.status, 'pending');
  }
  // Paused: no request at all, however often a pass is asked for.
  const before = h.sim.stats().requests;
  await h.clock.advance(10 * MIN);
  await h.r.processDue();
  assert.equal(h.sim.stats().requests, before);
  // A second reconciler on the same ledger file (a CLI cron) sees the same pause.
  const other = openLedgerFile(h.file);
  t.after(() => other.close());
  const cron = createReconciler({ ledger: other, client: () => h.client, clock: h.clock, settings: () => h.settings });
  assert.equal(cron.status().paused, true);
  h.sim.clearFaults();
  h.r.resume();
  assert.equal(cron.status().paused, false);
  await runUntilSettled(h);
  for (const tr of h.truths) assert.equal(callOf(h, tr).exactNanos, tr.hasRecord ? tr.totalCostNanos : null);
});

test('manual refetch: updated, unchanged, not available yet, not billable, errors', async (t) => {
  const h = await harness(t, {
    sim: {
      calls: 10,
      messages: 0,
      numbers: 2,
      startMs: T0 - 10 * MIN,
      spanMs: 5 * MIN,
      recordDelayMs: { min: 20 * MIN, max: 25 * MIN },
      stragglerRate: 0,
      neverRecordRate: 0,
      unansweredRate: 0,
      sipTrunkingRate: 0,
    },
  });
  const ids = insertEndedCalls(h.ledger, h.truths, h.clock.now());
  for (const id of ids) h.r.onCallEnded(id);
  const truth = h.truths[0]!;
  const id = callOf(h, truth).id;
  const estimate = callOf(h, truth).estimatedNanos!;

  const early = await h.r.refetchCall(id);
  assert.equal(early.kind, 'not_available_yet');
  assert.equal(early.kind === 'not_available_yet' && early.nextRetryAt, h.ledger.jobs.forCall(id)!.nextRunAt);

  await h.clock.advance(90 * MIN);
  const updated = await h.r.refetchCall(id);
  assert.deepEqual(updated, {
    kind: 'updated',
    old: { amount: formatNanos(estimate), currency: 'USD' },
    new: { amount: formatNanos(truth.totalCostNanos), currency: truth.currency },
    source: 'detail_record',
  });
  assert.equal(h.ledger.jobs.forCall(id)!.status, 'completed');
  assert.deepEqual(await h.r.refetchCall(id), { kind: 'unchanged', cost: { amount: formatNanos(truth.totalCostNanos), currency: truth.currency } });
  assert.equal(h.ledger.history.forCall(id).length, 2);

  const missing = await h.r.refetchCall(999_999);
  assert.equal(missing.kind === 'error' && missing.error.code, 'not_found');
  h.sim.setFaults({ kind: 401, count: 1 });
  const denied = await h.r.refetchCall(callOf(h, h.truths[1]!).id);
  assert.equal(denied.kind === 'error' && denied.error.code, 'auth');
  assert.equal(h.r.status().paused, true);
  // A refetch that works proves the key again.
  assert.equal((await h.r.refetchCall(callOf(h, h.truths[1]!).id)).kind, 'updated');
  assert.equal(h.r.status().paused, false);
  const keyless = createReconciler({ ledger: h.ledger, client: () => null, clock: h.clock, settings: () => h.settings });
  const noKey = await keyless.refetchCall(id);
  assert.equal(noKey.kind === 'error' && noKey.error.code, 'no_key');
});

test('manual refetch of a call Telnyx marks not billable', async (t) => {
  // The simulator never marks a record not billable, so a one-route Telnyx stand-in serves one.
  const ledger = openTestLedger();
  t.after(() => ledger.close());
  const clock = new ManualClock(T0);
  const leg = '6a1f3c2e-0000-4000-8000-000000000001';
  const server = http.createServer((req, res) => {
    const created = new Date(T0 - 10 * MIN).toISOString();
    const type = new URL(req.url!, 'http://x').searchParams.get('filter[record_type]');
    const data =
      type === 'call-control'
        ? [
            {
              id: 'rec-1',
              telnyx_leg_id: leg,
              telnyx_session_id: 'sess-1',
              cli: '+15550001111',
              cld: '+12025550100',
              direction: 'outbound',
              billable: false,
              cost: '0',
              currency: 'USD',
              created_at: created,
              call_sec: 0,
              billed_sec: 0,
            },
          ]
        : [];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data, meta: { page_number: 1, page_size: 50, total_pages: 1, total_results: data.length } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = createTelnyxClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`, apiKey: 'KEYTEST0000000000000000' });
  t.after(() => client.close());
  const id = ledger.calls.insert(
    {
      callLegId: leg,
      callSessionId: 'sess-1',
      callControlId: 'v3:abc',
      ourNumber: '+15550001111',
      otherNumber: '+12025550100',
      direction: 'outbound',
      startedAt: T0 - 20 * MIN,
      endedAt: T0 - 19 * MIN,
      callSec: 0,
    },
    clock.now(),
  );
  const r = createReconciler({
    ledger,
    client: () => client,
    clock,
    settings: () => ({ rates: DEFAULT_SETTINGS.rates, retryScheduleMs: DEFAULT_SETTINGS.retryScheduleMs, settleWindowMs: 3600_000 }),
  });
  r.onCallEnded(id);
  const out = await r.refetchCall(id);
  assert.equal(out.kind, 'not_billable');
  assert.equal(ledger.calls.get(id)!.costStatus, 'not_billable');
  assert.equal(ledger.jobs.forCall(id)!.status, 'not_billable');
  assert.equal(r.listJobs({ status: 'not_billable' }).total, 1);
});

test('jobs list, retry and sweep', async (t) => {
  const h = await harness(t, {
    sim: { calls: 10, messages: 0, numbers: 2, startMs: T0, spanMs: 5 * MIN, neverRecordRate: 1, unansweredRate: 0, stragglerRate: 0 },
    settings: { retryScheduleMs: [5_000, 60_000], settleWindowMs: 6 * 3600_000 },
  });
  await runLive(h, T0 + 90 * MIN);
  const failed = h.r.listJobs({ status: 'failed', limit: 5 });
  assert.equal(failed.total, 10);
  assert.equal(failed.rows.length, 5);
  const view = failed.rows[0]!;
  assert.equal(view.kind, 'call_cost');
  assert.equal(view.attempts, 2);
  assert.ok(view.ourNumber?.startsWith('+'));
  assert.equal(h.r.jobForCall(view.callId!)!.id, view.id);
  const again = h.r.retryJob(view.id)!;
  assert.equal(again.status, 'pending');
  assert.equal(again.attempts, 0);
  assert.equal(h.r.retryJob(123_456), undefined);
  const requests = h.sim.stats().requests;
  const swept = await h.r.sweep({ from: T0 - 3600_000, to: T0 + 3600_000 });
  assert.equal(swept.processed, 9, 'the nine failed jobs were looked at again');
  assert.ok(h.sim.stats().requests - requests <= 3, 'in one window per record type');
  assert.equal(h.r.listJobs({ status: 'failed' }).total, 9, 'still failed: nothing came');
});

test('messages that came without a cost get it from their detail record', async (t) => {
  const h = await harness(t, {
    sim: { calls: 0, messages: 40, numbers: 3, startMs: T0 - 3 * 3600_000, spanMs: 3600_000, neverRecordRate: 0, stragglerRate: 0 },
  });
  const messages = Array.from({ length: h.sim.account.messageCount }, (_, i) => h.sim.account.message(i));
  for (const m of messages) {
    const side = m.direction === 'outbound' ? { ourNumber: m.from, otherNumber: m.to } : { ourNumber: m.to, otherNumber: m.from };
    h.ledger.messages.upsert(
      { id: m.id, ...side, direction: m.direction, messageType: m.type, parts: m.parts, sentAt: m.sentMs, completedAt: m.completedMs },
      h.clock.now(),
    );
    h.r.onMessageWithoutCost(m.id);
  }
  assert.equal(h.r.status().pending, 40);
  const { requests } = await runUntilSettled(h);
  for (const m of messages) {
    const row = h.ledger.messages.get(m.id)!;
    assert.equal(row.costStatus, 'exact');
    assert.equal(row.costSource, 'detail_record');
    assert.equal(row.costNanos, m.costNanos);
    assert.equal(h.ledger.jobs.forMessage(m.id)!.status, 'completed');
  }
  assert.ok(requests <= 4, `requests: ${requests}`);
});

test('the loop wakes at the next due time on the injected clock, and stops cleanly', async (t) => {
  const h = await harness(t, {
    sim: {
      calls: 30,
      messages: 0,
      numbers: 2,
      startMs: T0,
      spanMs: 3 * MIN,
      recordDelayMs: { min: 6 * MIN, max: 9 * MIN },
      stragglerRate: 0,
      neverRecordRate: 0,
      unansweredRate: 0,
    },
    clockStart: T0 + 5 * MIN,
  });
  const short = h.truths.filter((tr) => tr.endMs <= h.clock.now());
  assert.ok(short.length >= 15);
  h.r.start();
  h.r.start(); // idempotent
  for (const id of insertEndedCalls(h.ledger, short, h.clock.now())) h.r.onCallEnded(id);
  const open = () => h.ledger.db.prepare(`SELECT COUNT(*) FROM jobs WHERE status <> 'completed'`).pluck().get() as number;
  for (let k = 0; k < 400 && open() > 0; k++) {
    await new Promise((r) => setTimeout(r, 15)); // let the loop finish what it is doing (real I/O)
    await h.clock.advance(10_000);
  }
  assert.equal(open(), 0, JSON.stringify(h.ledger.jobs.countByStatus()));
  for (const tr of short) assert.equal(callOf(h, tr).exactNanos, tr.totalCostNanos);
  await h.r.stop();
  assert.equal(h.ledger.db.prepare(`SELECT COUNT(*) FROM jobs WHERE status = 'running'`).pluck().get(), 0);
  const runs = h.ledger.db.prepare(`SELECT COUNT(*) FROM runs WHERE kind = 'reconcile'`).pluck().get() as number;
  assert.ok(runs >= 2 && runs < 100, `passes with work: ${runs}`);
});

test('log lines a person can grep, and never the API key', async (t) => {
  const dir = tempDir('reconcile-log-');
  const logFile = join(dir, 'log.jsonl');
  const h = await harness(t, { sim: { calls: 20, messages: 0, startMs: T0 - 3 * 3600_000, spanMs: 3600_000, neverRecordRate: 0 }, logFile, dir });
  for (const id of insertEndedCalls(h.ledger, h.truths, h.clock.now())) h.r.onCallEnded(id);
  h.sim.setFaults({ kind: 500, count: 1 });
  await runUntilSettled(h);
  await h.r.refetchCall(callOf(h, h.truths[0]!).id);
  const text = readFileSync(logFile, 'utf8');
  assert.ok(!text.includes(h.sim.apiKey), 'the API key is never logged');
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const msgs = new Set(lines.map((l) => l.msg));
  for (const m of ['fetch starting', 'cost found in detail records', 'cost applied', 'reconcile pass finished', 'telnyx request failed, retrying'])
    assert.ok(msgs.has(m), m);
  const start = lines.find((l) => l.msg === 'fetch starting' && !l.manual)!;
  assert.ok(Array.isArray(start.ids) && typeof start.from === 'string' && typeof start.to === 'string');
  const applied = lines.find((l) => l.msg === 'cost applied')!;
  assert.ok(typeof applied.callId === 'number' && typeof applied.old === 'string' && typeof applied.new === 'string');
  const finished = lines.find((l) => l.msg === 'reconcile pass finished')!;
  assert.equal(finished.processed, 20);
});

function formatNanos(n: bigint): string {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let frac = (a % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${a / 1_000_000_000n}.${frac}`;
}
