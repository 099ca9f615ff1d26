// Jobs: rows an import could not read (issue 11, point 1), in Chromium. The simulator sends
// every detail-records page with renamed fields (its `renamed` fault: `uuid` becomes
// `message_uuid`, `cost` is left out), so after its retries the import ends "completed with
// problems" and keeps each row as received. The Jobs screen must say what could not be read,
// from which import and page, why, show the row as received, and offer the way out: import
// the range again, which (the fault gone) reads those pages again and leaves nothing unread.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectSimulator, haveChromium, startApp, utcMidnightDaysAgo, waitFor } from './support/app.ts';
import { axeScan, describeFindings, go, openApp, screenshot } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const DAY = 86_400_000;

test('Jobs lists the rows an import could not read, and importing the range again reads them', { timeout: 90_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const app = await startApp();
  const from = utcMidnightDaysAgo(3);
  const range = { from, to: from + DAY };
  const sim = await connectSimulator(app, {
    seed: 'e2e-problems',
    calls: 4,
    messages: 30,
    startMs: from + 3_600_000,
    spanMs: 12 * 3_600_000,
    neverRecordRate: 0,
    stragglerRate: 0,
  });
  const inRange = Array.from({ length: sim.account.messageCount }, (_, i) => sim.account.message(i)).filter(
    (m) => m.recordCreatedMs !== null && m.recordCreatedMs >= range.from && m.recordCreatedMs < range.to,
  ).length;
  assert.ok(inRange >= 10, `${inRange} message records in the range`);

  // The range is a whole day, which a batch report would cover: this test is about pages read
  // under a fault, so reports are off.
  await app.call('settings.update', { reportImportMinDays: 0 });
  sim.setFaults([{ kind: 'renamed', probability: 1, path: '/v2/detail_records' }]);
  const started = await app.call('import.start', { range, recordTypes: ['messaging'] });
  const done = await waitFor(
    async () => (await app.call('import.list', {})).imports.find((i) => i.importId === started.importId && i.status !== 'running'),
    'the faulted import',
    30_000,
  );
  sim.clearFaults();
  assert.equal(done.status, 'completed_with_problems');
  // Every listed row was unreadable and is counted (a record Telnyx lists twice counts twice).
  assert.ok(done.rejected >= inRange, `${done.rejected} unreadable rows for ${inRange} records`);
  const n = done.rejected;

  const { page, problems } = await openApp(app.host);
  await go(page, 'jobs');
  const section = page.getByTestId('import-problems');
  await section.waitFor();
  // What, how many, and that nothing in it was booked.
  assert.match(
    (await page.getByTestId('import-problems-lede').textContent()) ?? '',
    new RegExp(
      `^${n} rows Telnyx sent could not be read, even after retries .* kept exactly as received and counted; nothing in it is booked\\. Import the range again`,
    ),
  );
  // From which import, its range and types, and the way out.
  const line = page.getByTestId(`problem-import-${done.importId}`);
  assert.match(
    (await line.textContent()) ?? '',
    new RegExp(`^Import ${done.importId}: .+, messaging — ${n} rows could not be read \\(completed with problems\\)\\.`),
  );
  // Each row: import, type, page, row, why, as received.
  const listed = await app.call('import.problems', { offset: 0, limit: 50 });
  assert.equal(listed.total, n);
  assert.equal(await page.locator('[data-testid="import-problems-table"] tbody tr').count(), Math.min(n, 50));
  const first = listed.rows[0]!;
  const row = page.getByTestId(`import-problem-${first.importId}-${first.recordType}-${first.page}-${first.index}`);
  const cells = await row.locator('th, td').allTextContents();
  assert.deepEqual(cells.slice(0, 5), [String(first.importId), 'messaging', String(first.page), String(first.index + 1), first.reason]);
  assert.match(first.reason, /uuid: missing/, 'why: the id field is not there');
  await row.getByText('Show').click();
  const raw = (await row.getByTestId('import-problem-raw').textContent()) ?? '';
  assert.match(raw, /"message_uuid"/, 'the row exactly as Telnyx sent it');
  const axe = await axeScan(page, 'jobs (import problems)');
  assert.deepEqual(axe.blocking, [], describeFindings(axe.blocking));
  await screenshot(page, 'e2e-jobs-import-problems');

  // The way out: the same range again reads those pages again (the fault is gone).
  const ledger = readLedger((await app.call('app.info', {})).ledgerFile);
  assert.equal(Number(ledger.prepare('SELECT COUNT(*) FROM messages').pluck().get()), 0, 'nothing half-read was booked');
  await page.getByTestId(`problem-import-again-${done.importId}`).click();
  assert.match(
    (await page.getByTestId(`problem-import-outcome-${done.importId}`).textContent()) ?? '',
    new RegExp(`^Import ${done.importId} is reading those pages again`),
  );
  await waitFor(async () => (await page.getByTestId('import-problems').count()) === 0, 'the unreadable rows read', 30_000);
  assert.match((await page.getByTestId(`problem-import-outcome-${done.importId}`).textContent()) ?? '', /No unreadable rows remain\.$/);
  const after = (await app.call('import.list', {})).imports.find((i) => i.importId === done.importId)!;
  assert.equal(after.status, 'completed');
  assert.equal(after.rejected, 0);
  assert.equal(Number(ledger.prepare('SELECT COUNT(*) FROM messages').pluck().get()), inRange, 'every message of the range is in');
  assert.deepEqual(problems, []);
});
