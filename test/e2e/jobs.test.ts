// Jobs: calls end (their call.hangup webhooks are stored) before Telnyx has their detail
// records, so each gets an estimate and a pending cost job. "Process now" in the Jobs screen
// runs one pass; the counts it shows must be what jobs.processNow means, checked against
// the jobs table before and after and against the simulator's request log.
//
// The simulator's clock is pinned a few minutes after the last call ended: records created
// later than that are not listed yet (the "records delayed" state). Then it is let go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright';
import { connectSimulator, haveChromium, startApp, waitFor } from './support/app.ts';
import { openApp, screenshot } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

async function counts(page: Page) {
  const read = async (id: string) => Number((await page.getByTestId(`count-${id}`).textContent())?.replace(/,/g, ''));
  return {
    processed: await read('processed'),
    succeeded: await read('succeeded'),
    failed: await read('failed'),
    retried: await read('retried'),
    notBillable: await read('not-billable'),
    requests: await read('requests'),
  };
}

test('Process now: pending jobs of calls without records yet, then with them', { timeout: 60_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const app = await startApp();
  const now = Date.now();
  // 300 calls in the hour that ended 3 h ago; records come 1..12 min after hangup, and every
  // billable call gets one (so the second pass can settle every job).
  const start = now - 4 * HOUR;
  const sim = await connectSimulator(app, {
    seed: 'e2e-jobs',
    calls: 300,
    messages: 150,
    startMs: start,
    spanMs: HOUR,
    recordDelayMs: { min: 1 * MIN, max: 12 * MIN },
    stragglerRate: 0,
    neverRecordRate: 0,
    callCostEventRate: 0,
  });
  const pinned = start + HOUR + 5 * MIN;
  sim.setNow(pinned);

  const { page, problems } = await openApp(app.host);
  await page.getByTestId('sync-now').click();
  await waitFor(async () => (await page.getByTestId('sync-summary').textContent())?.startsWith('Last sync'), 'the sync');

  const db = readLedger((await app.call('app.info', {})).ledgerFile);
  const byStatus = () =>
    Object.fromEntries(
      (db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as Array<{ status: string; n: bigint }>).map((r) => [r.status, Number(r.n)]),
    ) as Record<string, number>;
  const before = byStatus();
  const pending = before.pending ?? 0;
  assert.deepEqual(Object.keys(before), ['pending'], 'after the sync every job waits');
  // Calls that ended but whose records the simulator does not list yet.
  let waiting = 0;
  for (let i = 0; i < sim.account.callCount; i++) {
    const c = sim.account.call(i);
    if (c.endMs <= pinned && c.billable && c.records.every((r) => r.createdMs > pinned)) waiting++;
  }
  assert.ok(waiting >= 10, `${waiting} ended calls have no record yet`);

  // The status line links to them.
  await waitFor(async () => (await page.getByTestId('sync-jobs').textContent()) === `${pending} costs pending`, 'the pending count in the status line');
  await page.getByTestId('sync-jobs').click();
  await page.getByTestId('screen-jobs').waitFor();
  await waitFor(async () => (await page.getByTestId('jobs-total').textContent()) === `${pending} jobs`, `${pending} jobs listed`);
  assert.equal(await page.locator('[data-testid^="job-row-"][data-status="pending"]').count(), Math.min(pending, 100));
  assert.equal(await page.getByTestId('process-counts').getAttribute('data-has-counts'), 'false');

  // Pass 1: the records that exist are found; the rest are tried again later.
  sim.resetStats();
  await page.getByTestId('jobs-process-now').click();
  await waitFor(async () => (await page.getByTestId('process-counts').getAttribute('data-has-counts')) === 'true', 'the counts', 30_000);
  const first = await counts(page);
  const after1 = byStatus();
  assert.equal(first.processed, pending, 'every due job was processed');
  assert.equal(first.processed, first.succeeded + first.failed + first.retried + first.notBillable, 'each processed job has one outcome');
  assert.equal(first.succeeded, after1.completed ?? 0, 'succeeded = jobs now completed');
  assert.equal(first.notBillable, after1.not_billable ?? 0);
  assert.equal(first.failed, (after1.failed ?? 0) + (after1.no_record ?? 0));
  assert.equal(first.retried, after1.pending ?? 0, 'retried = jobs still pending');
  assert.ok(first.retried >= waiting, `at least the ${waiting} calls without a record are retried (${first.retried})`);
  assert.ok(first.succeeded > 0, 'some costs were found');
  assert.equal(first.requests, sim.stats().byPath['/v2/detail_records'] ?? 0, 'requests = detail-record queries made');
  assert.ok(first.requests > 0);
  const settledCalls = Number(
    db.prepare("SELECT COUNT(*) FROM jobs j JOIN calls c ON c.id = j.call_id WHERE j.status = 'completed' AND c.cost_status = 'exact'").pluck().get(),
  );
  assert.equal(
    settledCalls,
    Number(db.prepare("SELECT COUNT(*) FROM jobs WHERE status = 'completed' AND call_id IS NOT NULL").pluck().get()),
    'a completed call job means an exact cost',
  );
  // The list is still filtered to what the status line counts: pending (running too) or failed.
  const attention = (after1.pending ?? 0) + (after1.running ?? 0) + (after1.failed ?? 0);
  assert.equal(await page.getByTestId('jobs-status').inputValue(), 'attention');
  await waitFor(async () => (await page.getByTestId('jobs-total').textContent()) === `${attention} jobs`, 'the list reloaded');
  // What the pass did and what comes next, in words.
  const nextDue = Number(db.prepare("SELECT MIN(next_run_at) FROM jobs WHERE status IN ('pending','failed')").pluck().get());
  const summary = (await page.getByTestId('process-summary').textContent()) ?? '';
  assert.ok(
    summary.startsWith(
      `Processed ${first.processed} due jobs: ${first.succeeded} found the exact cost, ${first.retried} will be tried again, ${first.failed} failed, ${first.notBillable} not billable. Next job due at `,
    ),
    summary,
  );
  const dueTime = await page.evaluate((ms) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }), nextDue);
  assert.ok(summary.endsWith(`${dueTime}.`), `${summary} names ${dueTime}`);
  await screenshot(page, 'e2e-jobs-pass1');

  // Telnyx catches up; the jobs are due again 5 s after their attempt (the minimum gap).
  sim.setNow(null);
  const due = Number(db.prepare("SELECT MAX(next_run_at) FROM jobs WHERE status = 'pending'").pluck().get());
  await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now() + 200)));
  sim.resetStats();
  const hadCounts = await page.getByTestId('count-processed').textContent();
  await page.getByTestId('jobs-process-now').click();
  // (288 jobs in pass 1, a few dozen in pass 2: the shown count changes.)
  await waitFor(async () => (await page.getByTestId('count-processed').textContent()) !== hadCounts, 'the counts of pass 2', 30_000);
  const second = await counts(page);
  const after2 = byStatus();
  // The pending jobs were processed; a job already final (an unanswered call past its 1 h
  // settle window is "no record") is settled too when its record turns up in the same pages.
  const revived = (after1.no_record ?? 0) + (after1.failed ?? 0) - (after2.no_record ?? 0) - (after2.failed ?? 0);
  assert.equal(second.processed, first.retried + revived, 'the jobs left pending (and late records of final ones)');
  assert.equal(second.succeeded, second.processed, 'and every one found its cost');
  assert.equal(after2.pending ?? 0, 0);
  assert.equal(after2.completed, first.succeeded + second.succeeded);
  assert.equal(second.requests, sim.stats().byPath['/v2/detail_records'] ?? 0);
  const status = await app.call('sync.status', {});
  assert.equal(status.pendingJobs, 0);
  await waitFor(async () => (await page.getByTestId('jobs-total').textContent()) === '0 jobs', 'no job pending or failed');
  await page.getByTestId('jobs-status').selectOption('');
  await waitFor(
    async () => (await page.locator('[data-testid^="job-row-"][data-status="completed"]').count()) === Math.min(after2.completed ?? 0, 100),
    'completed rows',
  );
  await waitFor(async () => (await page.getByTestId('sync-jobs').count()) === 0, 'no pending costs in the status line');
  await screenshot(page, 'e2e-jobs-pass2');
  assert.deepEqual(problems, []);
});
