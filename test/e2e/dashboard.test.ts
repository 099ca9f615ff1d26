// The dashboard as a finance person reads it (issue 13), in Chromium over the browser host,
// against a simulated Telnyx account over real HTTP. One app for the file; every expected
// figure comes from the ledger's rows (support/truth.ts) or the simulator's ground truth.
//   money people can read · layout at 390..1920 px · the call and message panels · jobs triage
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright';
import { connectSimulator, dayInput, haveChromium, startApp, utcMidnightDaysAgo, waitFor, type App } from './support/app.ts';
import { go, openApp, screenshot, type OpenedPage } from './support/browser.ts';
import { exactAmount, ledgerTotals, perCurrency, readLedger, shownAmount, shownTotal } from './support/truth.ts';

const HOUR = 3600_000;
const NOW = Date.now();
const ACCOUNT = { seed: 'e2e-dashboard', calls: 400, messages: 200, startMs: NOW - 20 * HOUR, spanMs: 12 * HOUR, recordDelayMs: { min: 2_000, max: 8_000 } };
const LAST7 = { from: utcMidnightDaysAgo(6), to: utcMidnightDaysAgo(-1) };

let app: App;
let ui: OpenedPage;
let page: Page;

async function ledger() {
  return readLedger((await app.call('app.info', {})).ledgerFile);
}

/** Elements among `selector` whose content is wider than their box (cut off or ellipsized). */
async function truncated(p: Page, selector: string): Promise<string[]> {
  return p.locator(selector).evaluateAll((els) =>
    els.filter((e) => e.scrollWidth > e.clientWidth + 0.5).map((e) => `${e.getAttribute('data-col') ?? e.className}: "${e.textContent}" ${e.scrollWidth}>${e.clientWidth}`),
  );
}

/** True when the element shows its whole width: nothing scrolled out of sight horizontally. */
async function fitsWidth(p: Page, selector: string): Promise<{ fits: boolean; scroll: number; client: number }> {
  return p.locator(selector).first().evaluate((e) => ({ fits: e.scrollWidth <= e.clientWidth, scroll: e.scrollWidth, client: e.clientWidth }));
}

async function overviewLast7(p: Page): Promise<void> {
  await go(p, 'overview');
  await p.getByTestId('overview-range-preset').selectOption('last7');
  await waitFor(async () => (await p.getByTestId('summary-row').count()) > 0, 'summary rows');
}

describe('the dashboard', { concurrency: false }, () => {
  before(async () => {
    app = await startApp();
    await connectSimulator(app, ACCOUNT);
    await app.call('sync.now', {});
    // The first half imported (exact costs); the rest stays at its estimate with a pending job.
    const p = await app.call('import.start', {
      range: { from: ACCOUNT.startMs, to: ACCOUNT.startMs + ACCOUNT.spanMs / 2 },
      recordTypes: ['call-control', 'sip-trunking', 'webrtc', 'messaging'],
    });
    await waitFor(async () => (await app.call('import.list', {})).imports.find((i) => i.importId === p.importId)?.status === 'completed', 'the import');
  });

  test('money: totals to the minor unit with grouping, one cost with every digit, exact on hover', { timeout: 40_000 }, async (t) => {
    if (!haveChromium(t)) return;
    ui = await openApp(app.host);
    page = ui.page;
    await overviewLast7(page);
    const db = await ledger();
    const byCurrency = perCurrency(ledgerTotals(db, LAST7.from, LAST7.to));
    for (const [currency, want] of byCurrency) {
      const footer = page.getByTestId(`summary-total-${currency}`);
      for (const [col, nanos] of [['estimated', want.estimated], ['exact', want.exact], ['booked', want.booked]] as const) {
        const cell = footer.locator(`[data-col="${col}"] .money`);
        const text = (await cell.textContent()) ?? '';
        assert.equal(text, shownTotal(nanos, currency), `${currency} ${col}`);
        assert.match(text, /^-?\d{1,3}(,\d{3})*\.\d{2} [A-Z]{3}$/, `${currency} ${col}: two decimals, grouped`);
        assert.equal(await cell.getAttribute('data-amount'), exactAmount(nanos));
        assert.equal(await cell.getAttribute('title'), shownAmount(nanos, currency), 'every digit on hover');
      }
    }
    // Billed minutes in thousands are grouped: the core's per-number minutes summed exactly.
    const summary = await app.call('overview.summary', { range: LAST7 });
    const tenths = summary.rows.filter((r) => r.currency === 'USD').reduce((a, r) => a + BigInt(r.minutes.replace('.', '')), 0n);
    assert.ok(tenths >= 10_000n, `USD minutes ${tenths} tenths: over a thousand`);
    const usdMinutes = await page.getByTestId('summary-total-USD').locator('[data-col="minutes"]').textContent();
    assert.equal(usdMinutes, `${(tenths / 10n).toLocaleString('en-US')}.${tenths % 10n}`);
    assert.match(usdMinutes ?? '', /^\d{1,3}(,\d{3})+\.\d$/);

    // Variance: over the estimate in one hue, under in another; neither is the "bad" red.
    const over = page.locator('[data-col="variance"] .money[data-variance="over"]').first();
    const under = page.locator('[data-col="variance"] .money[data-variance="under"]').first();
    assert.ok((await under.count()) > 0 || (await over.count()) > 0, 'a variance is shown');
    const colorOf = (sel: string) => page.evaluate((s) => getComputedStyle(document.querySelector(s)!).color, sel);
    const bad = await page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--bad-fg)';
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    });
    for (const side of ['over', 'under'] as const) {
      const el = page.locator(`[data-col="variance"] .money[data-variance="${side}"]`).first();
      if ((await el.count()) === 0) continue;
      const text = (await el.textContent()) ?? '';
      assert.ok(side === 'over' ? text.startsWith('+') : text.startsWith('-'), `${side}: ${text} carries its sign`);
      assert.match((await el.getAttribute('title')) ?? '', new RegExp(`${side} the estimate$`));
      assert.notEqual(await colorOf(`[data-col="variance"] .money[data-variance="${side}"]`), bad, `${side} is not shown as an error`);
    }
    if ((await over.count()) && (await under.count())) {
      assert.notEqual(await colorOf('[data-col="variance"] .money[data-variance="over"]'), await colorOf('[data-col="variance"] .money[data-variance="under"]'));
    }
    // A legend names the four words.
    const legend = page.getByTestId('money-legend');
    assert.deepEqual(await legend.locator('dt').allTextContents(), ['Estimated', 'Exact', 'Booked', 'Variance']);
    for (const h of ['Estimated', 'Exact', 'Booked', 'Variance']) {
      assert.ok((await page.getByTestId('summary-table').getByRole('columnheader', { name: h, exact: true }).getAttribute('title'))?.length, `${h} header has a tooltip`);
    }

    // Calls: one call's cost with the precision it has, never padded past it or rounded.
    await go(page, 'calls');
    await waitFor(async () => Number(await page.getByTestId('calls-table').getAttribute('data-total')) > 0, 'calls');
    const rows = page.locator('[data-testid^="call-row-"]');
    await rows.first().waitFor();
    const n = Math.min(await rows.count(), 15);
    let longer = 0;
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      const id = Number((await row.getAttribute('data-testid'))!.slice('call-row-'.length));
      const c = db.prepare('SELECT estimated_nanos, estimate_currency FROM calls WHERE id = ?').get(id) as { estimated_nanos: bigint | null; estimate_currency: string | null };
      if (c.estimated_nanos === null) continue;
      const cell = row.locator('[data-col="estimated"] .money');
      assert.equal(await cell.textContent(), shownAmount(c.estimated_nanos, c.estimate_currency!), `call ${id} estimate`);
      assert.equal(await cell.getAttribute('data-amount'), exactAmount(c.estimated_nanos));
      if (/\.\d{3,}/.test((await cell.textContent()) ?? '')) longer++;
    }
    t.diagnostic(`${longer} of ${n} estimates shown with more than two decimals`);
    await screenshot(page, 'dashboard-money-calls');

    // Messages: a cost with five decimals keeps them ("0.00805 USD"), the fee too.
    await go(page, 'messages');
    const mrows = page.locator('[data-testid^="message-row-"]');
    await mrows.first().waitFor();
    const m = Math.min(await mrows.count(), 25);
    let fine = 0;
    for (let i = 0; i < m; i++) {
      const row = mrows.nth(i);
      const id = (await row.getAttribute('data-testid'))!.slice('message-row-'.length);
      const r = db.prepare('SELECT cost_nanos, currency FROM messages WHERE id = ?').get(id) as { cost_nanos: bigint | null; currency: string | null };
      if (r.cost_nanos === null) continue;
      const text = await row.locator('[data-col="cost"] .money').textContent();
      assert.equal(text, shownAmount(r.cost_nanos, r.currency!), `message ${id} cost`);
      if (r.cost_nanos % 1_000_000n !== 0n) fine++;
    }
    t.diagnostic(`${fine} of ${m} message costs finer than a thousandth`);
  });

  test('layout: every column and every amount whole at 1280, 1440 and 1920 px; the panel overlays', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const money = '.money:not(.money-none)';
    for (const width of [1280, 1440, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await overviewLast7(page);
      const summary = await fitsWidth(page, '.table-scroll:has([data-testid="summary-table"])');
      assert.ok(summary.fits, `${width}px: the summary table needs no sideways scroll (${summary.scroll} > ${summary.client})`);
      const failed = await page.getByTestId('summary-table').getByRole('columnheader', { name: 'Failed' }).boundingBox();
      assert.ok(failed && failed.x + failed.width <= width, `${width}px: the Failed column is on screen`);
      assert.deepEqual(await truncated(page, `[data-testid="summary-table"] td, [data-testid="summary-table"] ${money}`), [], `${width}px summary`);
      await screenshot(page, `dashboard-overview-${width}`);

      for (const screen of ['calls', 'messages'] as const) {
        await go(page, screen);
        const rowSel = screen === 'calls' ? '[data-testid^="call-row-"]' : '[data-testid^="message-row-"]';
        await page.locator(rowSel).first().waitFor();
        const fit = await fitsWidth(page, `.vt-scroll:has([data-testid="${screen}-table"])`);
        assert.ok(fit.fits, `${width}px ${screen}: every column on screen (${fit.scroll} > ${fit.client})`);
        assert.deepEqual(await truncated(page, `${rowSel} td, ${rowSel} td > *, [data-testid="${screen}-table"] th`), [], `${width}px ${screen}: no cell cut off`);
        assert.ok((await page.locator(`${rowSel} ${money}`).count()) > 20, `${screen}: amounts were checked`);
      }

      // The call panel opens over the table: the columns keep their widths, no amount is cut.
      await go(page, 'calls');
      const header = page.getByTestId('calls-table').getByRole('columnheader', { name: 'Booked' });
      const before = await header.boundingBox();
      await page.locator('[data-testid^="call-row-"]').first().click();
      await page.getByTestId('call-detail-badge').waitFor();
      const after = await header.boundingBox();
      assert.deepEqual(after, before, `${width}px: the table is not squeezed by the panel`);
      const panel = (await page.getByTestId('call-detail').boundingBox())!;
      const table = (await page.getByTestId('calls-table').boundingBox())!;
      assert.ok(panel.x < table.x + table.width && panel.x + panel.width <= width, `${width}px: the panel lies over the table's right edge`);
      assert.deepEqual(await truncated(page, `[data-testid^="call-row-"] td:has(.money), [data-testid^="call-row-"] ${money}, [data-testid="call-detail"] ${money}`), []);
      await screenshot(page, `dashboard-calls-panel-${width}`);
      await page.getByTestId('call-detail-close').click();
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('layout: at 390 px the navigation shows all six screens', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await go(page, 'overview');
      const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
      assert.deepEqual(await links.allTextContents(), ['Overview', 'Calls', 'Messages', 'Import', 'Jobs', 'Settings']);
      for (const name of ['Overview', 'Calls', 'Messages', 'Import', 'Jobs', 'Settings']) {
        const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
        const box = (await link.boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= 390, `${name} fits across (${box.x}..${box.x + box.width})`);
        assert.ok(await link.isVisible(), `${name} visible`);
        assert.deepEqual(await truncated(page, `.sidebar a[data-testid="nav-${name.toLowerCase()}"]`), [], `${name} whole`);
        // Nothing lies on top of it: the link is what is hit at its centre.
        const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('a')?.textContent, [box.x + box.width / 2, box.y + box.height / 2]);
        assert.equal(hit, name);
      }
      const nav = await fitsWidth(page, '.sidebar ul');
      assert.ok(nav.fits, `the nav needs no sideways scroll (${nav.scroll} > ${nav.client})`);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByTestId('screen-settings').waitFor();
      await screenshot(page, 'dashboard-390-settings');
      await go(page, 'calls');
      await page.locator('[data-testid^="call-row-"]').first().click();
      await page.getByTestId('call-detail-badge').waitFor();
      const panel = (await page.getByTestId('call-detail').boundingBox())!;
      assert.ok(panel.x >= 0 && panel.x + panel.width <= 390, 'the call panel fits the window');
      await screenshot(page, 'dashboard-390-call-panel');
      await page.getByTestId('call-detail-close').click();
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  test('a reversed custom period shows the error and clears the rows', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const from = utcMidnightDaysAgo(0, ACCOUNT.startMs);
    for (const screen of ['calls', 'messages'] as const) {
      await go(page, screen);
      await page.getByTestId(`${screen}-range-preset`).selectOption('custom');
      await page.getByTestId(`${screen}-range-from`).fill(dayInput(from));
      await page.getByTestId(`${screen}-range-to`).fill(dayInput(NOW));
      await waitFor(async () => Number(await page.getByTestId(`${screen}-table`).getAttribute('data-total')) > 0, `${screen} in the period`);
      // The end before the start: an error, and no row of the last valid period stays.
      await page.getByTestId(`${screen}-range-to`).fill(dayInput(from - 86400_000));
      await page.getByTestId(`${screen}-range-problem`).waitFor();
      assert.match((await page.getByTestId(`${screen}-range-problem`).textContent()) ?? '', /start date must be on or before the end date/);
      await waitFor(async () => (await page.getByTestId(`${screen}-table`).getAttribute('data-total')) === '0', `${screen}: no rows`);
      assert.equal(await page.locator('[data-testid^="call-row-"], [data-testid^="message-row-"]').count(), 0);
      await page.getByTestId(`${screen}-empty`).waitFor();
      // Fixed again: the rows come back.
      await page.getByTestId(`${screen}-range-to`).fill(dayInput(NOW));
      await waitFor(async () => Number(await page.getByTestId(`${screen}-table`).getAttribute('data-total')) > 0, `${screen} back`);
      await page.getByTestId(`${screen}-range-preset`).selectOption('all');
    }
    await go(page, 'overview');
    await page.getByTestId('overview-range-preset').selectOption('custom');
    await page.getByTestId('overview-range-from').fill(dayInput(from));
    await page.getByTestId('overview-range-to').fill(dayInput(from - 86400_000));
    await page.getByTestId('overview-range-problem').waitFor();
    await waitFor(async () => (await page.getByTestId('summary-row').count()) === 0, 'no summary rows');
    assert.equal(await page.locator('[data-testid^="daily-chart-"]').count(), 0);
    await page.getByTestId('overview-empty').waitFor();
    await page.getByTestId('overview-range-preset').selectOption('last7');
    await waitFor(async () => (await page.getByTestId('summary-row').count()) > 0, 'the figures back');
  });
});
