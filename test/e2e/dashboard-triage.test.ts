// Jobs triage and search (issue 13, points 8 and 5): the status line's "N pending · M failed"
// opens exactly those jobs, each with its booked amount and a link to its call, notes that
// are not errors, Retry saying what comes next; and a number's digits found however typed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { haveChromium, waitFor } from './support/app.ts';
import { go, screenshot } from './support/browser.ts';
import { cssColor, sharedDashboard } from './support/dashboard.ts';
import { exactAmount, shownAmount } from './support/truth.ts';

const d = sharedDashboard('e2e-dashboard-triage');

describe('jobs triage and search', { concurrency: false }, () => {
  test('jobs: the status line opens exactly the pending and failed jobs; each links to its call with its amount', { timeout: 120_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await d.ledger();
    // Some jobs fail for good: one retry step, and Telnyx answering 500 until they run out.
    await d.app.call('settings.update', { retryScheduleMs: [1000] });
    d.sim.setFaults({ kind: '500', path: '/v2/detail_records' });
    const count = (sql: string) => Number(db.prepare(sql).pluck().get());
    try {
      for (let i = 0; i < 6 && count("SELECT COUNT(*) FROM jobs WHERE status = 'failed'") === 0; i++) {
        await d.app.call('jobs.processNow', {});
        await new Promise((r) => setTimeout(r, 1100));
      }
    } finally {
      d.sim.clearFaults();
    }
    const failed = count("SELECT COUNT(*) FROM jobs WHERE status = 'failed'");
    const waiting = count("SELECT COUNT(*) FROM jobs WHERE status IN ('pending','running')");
    assert.ok(failed > 0 && waiting > 0, `${failed} failed and ${waiting} pending jobs`);
    const all = count('SELECT COUNT(*) FROM jobs');

    await d.page.reload();
    await d.page.getByTestId('mode-badge').waitFor();
    const link = d.page.getByTestId('sync-jobs');
    await waitFor(async () => (await link.textContent()) === `${waiting} costs pending · ${failed} failed`, 'the status line counts');
    await link.click();
    await d.page.getByTestId('screen-jobs').waitFor();
    assert.equal(await d.page.getByTestId('jobs-status').inputValue(), 'attention');
    await waitFor(
      async () => (await d.page.getByTestId('jobs-total').textContent()) === `${waiting + failed} jobs`,
      `exactly the ${waiting + failed} jobs, not all ${all}`,
    );
    const statuses = await d.page.locator('[data-testid^="job-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    assert.ok(statuses.length > 0 && statuses.every((x) => x === 'pending' || x === 'running' || x === 'failed'), statuses.join(','));

    // A routine note is muted; only a failed job's note reads as an error.
    const bad = await cssColor(d.page, '--bad-fg');
    const noteColor = (status: string) =>
      d.page
        .locator(`[data-testid^="job-row-"][data-status="${status}"] [data-col="note"]`)
        .first()
        .evaluate((e) => getComputedStyle(e).color);
    assert.equal(await d.page.getByRole('columnheader', { name: 'Last error' }).count(), 0);
    assert.equal(await noteColor('failed'), bad, "a failed job's note is an error");
    if (await d.page.locator('[data-testid^="job-row-"][data-status="pending"] [data-col="note"]:not(:empty)').count()) {
      assert.notEqual(await noteColor('pending'), bad, "a pending job's note is routine");
    }

    // Each row shows what its call is booked at, and opens that call.
    const row = d.page.locator('[data-testid^="job-row-"][data-status="failed"]').first();
    const jobId = Number((await row.getAttribute('data-testid'))!.slice('job-row-'.length));
    const job = db
      .prepare(
        'SELECT j.call_id, c.estimated_nanos, c.estimate_currency, c.exact_nanos, c.currency, c.cost_source FROM jobs j JOIN calls c ON c.id = j.call_id WHERE j.id = ?',
      )
      .get(jobId) as Record<string, bigint | string | null>;
    const exactKnown = job.cost_source !== null && job.cost_source !== 'estimate';
    const booked = (exactKnown ? job.exact_nanos : job.estimated_nanos) as bigint;
    const currency = String(exactKnown ? job.currency : job.estimate_currency);
    assert.equal(await row.locator('[data-col="amount"] .money').getAttribute('data-amount'), exactAmount(booked));
    assert.equal(await row.locator('[data-col="amount"]').textContent(), shownAmount(booked, currency));

    // Retry says what it did and what comes next.
    await d.page.getByTestId(`job-retry-${jobId}`).click();
    const outcome = d.page.getByTestId('job-retry-outcome');
    await outcome.waitFor();
    assert.match(
      (await outcome.textContent()) ?? '',
      new RegExp(`^Job ${jobId} queued again with a fresh retry schedule, due .+\\. The cost fetcher runs it on its next pass, or press Process now\\.$`),
    );
    assert.equal(db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(jobId), 'pending');
    await screenshot(d.page, 'dashboard-jobs-triage');

    await d.page.getByTestId(`job-subject-${jobId}`).click();
    await d.page.getByTestId('screen-calls').waitFor();
    await d.page.getByTestId('call-detail-badge').waitFor();
    assert.equal(await d.page.getByTestId('call-detail').getByText(String(job.call_id), { exact: true }).count(), 1, "the job's call is open");
    assert.equal(await d.page.getByTestId('call-detail-booked').locator('.money').getAttribute('data-amount'), exactAmount(booked));
    await d.page.getByTestId('call-detail-close').click();
    assert.deepEqual(d.ui!.problems, []);
  });

  test('search as people type a number: digits anywhere, with or without "+", spaces or dashes', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await d.ledger();
    const numbers = db.prepare('SELECT our_number, other_number FROM calls').all() as Array<{ our_number: string; other_number: string }>;
    const matching = (digits: string) => numbers.filter((c) => c.our_number.includes(digits) || c.other_number.includes(digits)).length;
    const us = numbers.find((c) => c.other_number.startsWith('+1'))!.other_number; // "+15552060003"
    const de = numbers.find((c) => c.other_number.startsWith('+49'))!.other_number;
    const typed: Array<[string, string]> = [
      [us.slice(2), us.slice(2)], // "5552060003": no "+" nor country code
      [`${us.slice(-7, -4)} ${us.slice(-4)}`, us.slice(-7)], // "206 0003"
      [`${us.slice(2, 5)}-${us.slice(5, 8)}-${us.slice(8)}`, us.slice(2)], // "555-206-0003"
      [de.slice(1), de.slice(1)], // "4917662794222"
    ];
    await go(d.page, 'calls');
    for (const [text, digits] of typed) {
      const want = matching(digits);
      assert.ok(want > 0, `${text} is in the ledger`);
      await d.page.getByTestId('calls-search').fill(text);
      await d.page.getByTestId('calls-search').press('Enter');
      await waitFor(async () => (await d.page.getByTestId('calls-total').textContent()) === `${want} call${want === 1 ? '' : 's'}`, `"${text}" finds ${want}`);
      const rows = await d.page.locator('[data-testid^="call-row-"]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      assert.ok(rows.length > 0 && rows.every((r) => r.includes(digits)), `every row shown has ${digits}`);
      t.diagnostic(`"${text}": ${want} calls`);
    }
    await d.page.getByTestId('calls-search').fill('');
    await d.page.getByTestId('calls-search').press('Enter');
  });
});
