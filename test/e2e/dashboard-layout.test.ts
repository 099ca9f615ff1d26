// Layout (issue 13, point 6): at 1280, 1440 and 1920 px no column and no amount is cut off
// and the call panel lies over the table; at 390 px the navigation shows every screen; a
// reversed custom period shows its error and clears the rows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dayInput, haveChromium, utcMidnightDaysAgo, waitFor } from './support/app.ts';
import { go, screenshot } from './support/browser.ts';
import { fitsWidth, NOW, overviewLast7, sharedDashboard, truncated } from './support/dashboard.ts';

const d = sharedDashboard('e2e-dashboard-layout');

describe('dashboard layout', { concurrency: false }, () => {
  test('layout: every column and every amount whole at 1280, 1440 and 1920 px; the panel overlays', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const money = '.money:not(.money-none)';
    for (const width of [1280, 1440, 1920]) {
      await d.page.setViewportSize({ width, height: 900 });
      await overviewLast7(d.page);
      const summary = await fitsWidth(d.page, '.table-scroll:has([data-testid="summary-table"])');
      assert.ok(summary.fits, `${width}px: the summary table needs no sideways scroll (${summary.scroll} > ${summary.client})`);
      const failed = await d.page.getByTestId('summary-table').getByRole('columnheader', { name: 'Failed' }).boundingBox();
      assert.ok(failed && failed.x + failed.width <= width, `${width}px: the Failed column is on screen`);
      assert.deepEqual(await truncated(d.page, `[data-testid="summary-table"] td, [data-testid="summary-table"] ${money}`), [], `${width}px summary`);
      await screenshot(d.page, `dashboard-overview-${width}`);

      for (const screen of ['calls', 'messages'] as const) {
        await go(d.page, screen);
        const rowSel = screen === 'calls' ? '[data-testid^="call-row-"]' : '[data-testid^="message-row-"]';
        await d.page.locator(rowSel).first().waitFor();
        const fit = await fitsWidth(d.page, `.vt-scroll:has([data-testid="${screen}-table"])`);
        assert.ok(fit.fits, `${width}px ${screen}: every column on screen (${fit.scroll} > ${fit.client})`);
        assert.deepEqual(
          await truncated(d.page, `${rowSel} td, ${rowSel} td > *, [data-testid="${screen}-table"] th`),
          [],
          `${width}px ${screen}: no cell cut off`,
        );
        assert.ok((await d.page.locator(`${rowSel} ${money}`).count()) > 20, `${screen}: amounts were checked`);
      }

      // The call panel opens over the table: the columns keep their widths, no amount is cut.
      await go(d.page, 'calls');
      const header = d.page.getByTestId('calls-table').getByRole('columnheader', { name: 'Booked' });
      const before = await header.boundingBox();
      await d.page.locator('[data-testid^="call-row-"]').first().click();
      await d.page.getByTestId('call-detail-badge').waitFor();
      const after = await header.boundingBox();
      assert.deepEqual(after, before, `${width}px: the table is not squeezed by the panel`);
      const panel = (await d.page.getByTestId('call-detail').boundingBox())!;
      const table = (await d.page.getByTestId('calls-table').boundingBox())!;
      assert.ok(panel.x < table.x + table.width && panel.x + panel.width <= width, `${width}px: the panel lies over the table's right edge`);
      assert.deepEqual(
        await truncated(d.page, `[data-testid^="call-row-"] td:has(.money), [data-testid^="call-row-"] ${money}, [data-testid="call-detail"] ${money}`),
        [],
      );
      await screenshot(d.page, `dashboard-calls-panel-${width}`);
      await d.page.getByTestId('call-detail-close').click();
    }
    await d.page.setViewportSize({ width: 1440, height: 900 });
  });

  test('layout: at 390 px the navigation shows every screen', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await d.page.setViewportSize({ width: 390, height: 844 });
    try {
      await go(d.page, 'overview');
      const links = d.page.getByRole('navigation', { name: 'Main' }).getByRole('link');
      const screens = ['Overview', 'Calls', 'Messages', 'Import', 'Jobs', 'Alerts', 'Statements', 'Settings'];
      assert.deepEqual(await links.allTextContents(), screens);
      for (const name of screens) {
        const link = d.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
        const box = (await link.boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= 390, `${name} fits across (${box.x}..${box.x + box.width})`);
        assert.ok(await link.isVisible(), `${name} visible`);
        assert.deepEqual(await truncated(d.page, `.sidebar a[data-testid="nav-${name.toLowerCase()}"]`), [], `${name} whole`);
        // Nothing lies on top of it: the link is what is hit at its centre.
        const hit = await d.page.evaluate(
          ([x, y]) => document.elementFromPoint(x!, y!)?.closest('a')?.textContent,
          [box.x + box.width / 2, box.y + box.height / 2],
        );
        assert.equal(hit, name);
      }
      const nav = await fitsWidth(d.page, '.sidebar ul');
      assert.ok(nav.fits, `the nav needs no sideways scroll (${nav.scroll} > ${nav.client})`);
      await d.page.getByRole('link', { name: 'Settings' }).click();
      await d.page.getByTestId('screen-settings').waitFor();
      await screenshot(d.page, 'dashboard-390-settings');
      await go(d.page, 'calls');
      await d.page.locator('[data-testid^="call-row-"]').first().click();
      await d.page.getByTestId('call-detail-badge').waitFor();
      const panel = (await d.page.getByTestId('call-detail').boundingBox())!;
      assert.ok(panel.x >= 0 && panel.x + panel.width <= 390, 'the call panel fits the window');
      await screenshot(d.page, 'dashboard-390-call-panel');
      await d.page.getByTestId('call-detail-close').click();
    } finally {
      await d.page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  test('a reversed custom period shows the error and clears the rows', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const from = utcMidnightDaysAgo(0, d.account.startMs);
    for (const screen of ['calls', 'messages'] as const) {
      await go(d.page, screen);
      await d.page.getByTestId(`${screen}-range-preset`).selectOption('custom');
      await d.page.getByTestId(`${screen}-range-from`).fill(dayInput(from));
      await d.page.getByTestId(`${screen}-range-to`).fill(dayInput(NOW));
      await waitFor(async () => Number(await d.page.getByTestId(`${screen}-table`).getAttribute('data-total')) > 0, `${screen} in the period`);
      // The end before the start: an error, and no row of the last valid period stays.
      await d.page.getByTestId(`${screen}-range-to`).fill(dayInput(from - 86400_000));
      await d.page.getByTestId(`${screen}-range-problem`).waitFor();
      assert.match((await d.page.getByTestId(`${screen}-range-problem`).textContent()) ?? '', /start date must be on or before the end date/);
      await waitFor(async () => (await d.page.getByTestId(`${screen}-table`).getAttribute('data-total')) === '0', `${screen}: no rows`);
      assert.equal(await d.page.locator('[data-testid^="call-row-"], [data-testid^="message-row-"]').count(), 0);
      await d.page.getByTestId(`${screen}-empty`).waitFor();
      // Fixed again: the rows come back.
      await d.page.getByTestId(`${screen}-range-to`).fill(dayInput(NOW));
      await waitFor(async () => Number(await d.page.getByTestId(`${screen}-table`).getAttribute('data-total')) > 0, `${screen} back`);
      await d.page.getByTestId(`${screen}-range-preset`).selectOption('all');
    }
    await go(d.page, 'overview');
    await d.page.getByTestId('overview-range-preset').selectOption('custom');
    await d.page.getByTestId('overview-range-from').fill(dayInput(from));
    await d.page.getByTestId('overview-range-to').fill(dayInput(from - 86400_000));
    await d.page.getByTestId('overview-range-problem').waitFor();
    await waitFor(async () => (await d.page.getByTestId('summary-row').count()) === 0, 'no summary rows');
    assert.equal(await d.page.locator('[data-testid^="daily-chart-"]').count(), 0);
    await d.page.getByTestId('overview-empty').waitFor();
    await d.page.getByTestId('overview-range-preset').selectOption('last7');
    await waitFor(async () => (await d.page.getByTestId('summary-row').count()) > 0, 'the figures back');
  });
});
