// The dashboard as a finance person reads it (issue 13), in Chromium over the browser host,
// against a simulated Telnyx account over real HTTP. One app for the file; every expected
// figure comes from the ledger's rows (support/truth.ts) or the simulator's ground truth.
//   money people can read · layout at 390..1920 px · the call and message panels · jobs triage
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { connectSimulator, dayInput, haveChromium, startApp, utcMidnightDaysAgo, waitFor, type App } from './support/app.ts';
import { go, openApp, screenshot, type OpenedPage } from './support/browser.ts';
import { exactAmount, ledgerTotals, perCurrency, readLedger, shownAmount, shownTotal } from './support/truth.ts';

const HOUR = 3600_000;
const NOW = Date.now();
const ACCOUNT = { seed: 'e2e-dashboard', calls: 400, messages: 200, startMs: NOW - 20 * HOUR, spanMs: 12 * HOUR, recordDelayMs: { min: 2_000, max: 8_000 } };
const LAST7 = { from: utcMidnightDaysAgo(6), to: utcMidnightDaysAgo(-1) };

let app: App;
let sim: RunningSimulator;
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
    sim = await connectSimulator(app, ACCOUNT);
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

  test('panels: a call in people\'s words, no doubled labels, history in time order, billed agrees', { timeout: 40_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await ledger();
    // A call that was estimated at its hangup and then priced by the import: two history entries.
    const priced = db
      .prepare(
        `SELECT c.id, c.call_leg_id, c.direction, c.our_number, c.other_number, c.started_at, c.billed_sec, c.call_sec
         FROM calls c WHERE c.cost_source = 'detail_record' AND c.billed_sec > 0 AND c.call_leg_id IS NOT NULL
           AND (SELECT COUNT(*) FROM cost_history h WHERE h.call_id = c.id) >= 2 ORDER BY c.id LIMIT 1`,
      )
      .get() as Record<string, bigint | string | null>;
    // A call with no billed time from Telnyx yet (still at its estimate) that lasted a while.
    const unbilled = db
      .prepare(`SELECT id, call_leg_id, call_sec FROM calls WHERE billed_sec IS NULL AND call_sec > 60 AND call_leg_id IS NOT NULL ORDER BY id LIMIT 1`)
      .get() as Record<string, bigint | string | null>;
    assert.ok(priced && unbilled, 'a priced call and an unbilled one');

    const openCall = async (leg: string, id: number) => {
      await go(page, 'calls');
      await page.getByTestId('calls-search').fill(leg);
      await page.getByTestId('calls-search').press('Enter');
      await waitFor(async () => (await page.getByTestId('calls-total').textContent()) === '1 call', `call ${id} found`);
      await page.getByTestId(`call-row-${id}`).click();
      await page.getByTestId('call-detail-badge').waitFor();
    };

    const id = Number(priced.id);
    await openCall(String(priced.call_leg_id), id);
    const title = await page.getByTestId('call-detail-title').textContent();
    assert.equal(title, priced.direction === 'inbound' ? `Inbound call from ${priced.other_number}` : `Outbound call to ${priced.other_number}`);
    const subtitle = page.getByTestId('call-detail-subtitle');
    assert.ok((await subtitle.textContent())?.includes(String(priced.our_number)));
    const started = new Date(Number(priced.started_at)).toISOString();
    assert.equal(await subtitle.locator('time').getAttribute('datetime'), started);
    assert.equal(await subtitle.locator('time').getAttribute('title'), `${started.slice(0, 10)} ${started.slice(11, 19)} UTC`, 'UTC on hover');

    const panelText = (await page.getByTestId('call-detail').textContent()) ?? '';
    assert.doesNotMatch(panelText, /\(\d+ s\)/, 'no "31s (31 s)"');
    assert.doesNotMatch(panelText, /estimate \(estimated\)|\(estimated\)|\(exact\)/i, 'no "estimate (estimated)"');
    const estimateLine = (await page.getByTestId('call-detail-estimate').textContent()) ?? '';
    assert.ok((estimateLine.match(/\/min/g) ?? []).length <= 1, `one rate in "${estimateLine}"`);

    // History oldest first, every entry of the ledger.
    const ats = (await page.locator('[data-testid="call-detail-history"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-at')))));
    const want = (db.prepare('SELECT at FROM cost_history WHERE call_id = ? ORDER BY at, id').pluck().all(id) as bigint[]).map(Number);
    assert.deepEqual(ats, want);
    assert.ok(ats.length >= 2);

    // Billed: the same words in the table and the panel, with and without Telnyx's billed time.
    const billedIn = async (rowId: number) => ({
      table: await page.getByTestId(`call-row-${rowId}`).locator('[data-col="billed"]').textContent(),
      panel: await page.getByTestId('call-detail-billed').textContent(),
    });
    const a = await billedIn(id);
    assert.equal(a.panel, a.table);
    assert.notEqual(a.panel, '—');
    await page.getByTestId('call-detail-close').click();
    await openCall(String(unbilled.call_leg_id), Number(unbilled.id));
    const b = await billedIn(Number(unbilled.id));
    assert.deepEqual(b, { table: '—', panel: '—' }, 'not billed yet: a dash in both');
    assert.match((await page.getByTestId('call-detail-billed').getAttribute('title')) ?? '', /has not reported billed time yet\. The call lasted \d+m/);
    await screenshot(page, 'dashboard-call-panel');
    await page.keyboard.press('Escape');
    await page.getByTestId('calls-search').fill('');
    await page.getByTestId('calls-search').press('Enter');
  });

  test('panels: a message in full, and a cost-status filter on Messages', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await ledger();
    await go(page, 'messages');
    const row = page.locator('[data-testid^="message-row-"]').first();
    await row.waitFor();
    const id = (await row.getAttribute('data-testid'))!.slice('message-row-'.length);
    await row.click();
    const m = db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as Record<string, bigint | string | null>;
    const kind = String(m.message_type);
    assert.equal(
      await page.getByTestId('message-detail-title').textContent(),
      m.direction === 'inbound' ? `Inbound ${kind} from ${m.other_number}` : `Outbound ${kind} to ${m.other_number}`,
    );
    assert.equal(await page.getByTestId('message-detail-cost').locator('.money').getAttribute('data-amount'), m.cost_nanos === null ? null : exactAmount(m.cost_nanos as bigint));
    if (m.carrier_fee_nanos !== null) {
      assert.equal(await page.getByTestId('message-detail-fee').textContent(), shownAmount(m.carrier_fee_nanos as bigint, String(m.currency)));
    }
    assert.equal(await page.getByTestId('message-detail-parts').textContent(), String(m.parts));
    assert.equal(await page.getByTestId('message-detail-rate').textContent(), m.rate === null ? '—' : `${m.rate} ${m.currency} per part`);
    assert.equal(await page.getByTestId('message-detail-id').textContent(), id);
    await screenshot(page, 'dashboard-message-panel');
    // Escape closes it and gives the focus back to the row.
    await page.keyboard.press('Escape');
    await waitFor(async () => (await page.getByTestId('message-detail').count()) === 0, 'the panel to close');
    await waitFor(async () => (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === `message-row-${id}`, 'focus back on the row');

    // The status filter: exactly the ledger's messages in that state (the account's messages
    // all get Telnyx's cost, so "open" and "not billable" must empty a full list).
    const all = Number(await page.getByTestId('messages-table').getAttribute('data-total'));
    assert.ok(all > 0);
    for (const status of ['exact', 'open', 'not_billable'] as const) {
      await page.getByTestId('messages-status').selectOption(status);
      const want = Number(db.prepare('SELECT COUNT(*) FROM messages WHERE cost_status = ?').pluck().get(status));
      await waitFor(async () => (await page.getByTestId('messages-table').getAttribute('data-total')) === String(want), `${want} ${status} messages`);
      const shownBadges = await page.locator('[data-testid^="message-row-"] [data-col="costStatus"] .badge').evaluateAll((els) => els.map((e) => e.getAttribute('data-badge')));
      assert.ok(shownBadges.every((b) => b === status), `${status}: ${shownBadges.join(',')}`);
      t.diagnostic(`${status}: ${want} of ${all}`);
    }
    await page.getByTestId('messages-status').selectOption('');
  });

  test('jobs: the status line opens exactly the pending and failed jobs; each links to its call with its amount', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await ledger();
    // Some jobs fail for good: one retry step, and Telnyx answering 500 until they run out.
    await app.call('settings.update', { retryScheduleMs: [1000] });
    sim.setFaults({ kind: '500', path: '/v2/detail_records' });
    const count = (sql: string) => Number(db.prepare(sql).pluck().get());
    try {
      for (let i = 0; i < 6 && count("SELECT COUNT(*) FROM jobs WHERE status = 'failed'") === 0; i++) {
        await app.call('jobs.processNow', {});
        await new Promise((r) => setTimeout(r, 1100));
      }
    } finally {
      sim.clearFaults();
    }
    const failed = count("SELECT COUNT(*) FROM jobs WHERE status = 'failed'");
    const waiting = count("SELECT COUNT(*) FROM jobs WHERE status IN ('pending','running')");
    assert.ok(failed > 0 && waiting > 0, `${failed} failed and ${waiting} pending jobs`);
    const all = count('SELECT COUNT(*) FROM jobs');

    await page.reload();
    await page.getByTestId('mode-badge').waitFor();
    const link = page.getByTestId('sync-jobs');
    await waitFor(async () => (await link.textContent()) === `${waiting} costs pending · ${failed} failed`, 'the status line counts');
    await link.click();
    await page.getByTestId('screen-jobs').waitFor();
    assert.equal(await page.getByTestId('jobs-status').inputValue(), 'attention');
    await waitFor(async () => (await page.getByTestId('jobs-total').textContent()) === `${waiting + failed} jobs`, `exactly the ${waiting + failed} jobs, not all ${all}`);
    const statuses = await page.locator('[data-testid^="job-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    assert.ok(statuses.length > 0 && statuses.every((x) => x === 'pending' || x === 'running' || x === 'failed'), statuses.join(','));

    // A routine note is muted; only a failed job's note reads as an error.
    const bad = await page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--bad-fg)';
      document.body.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    });
    const noteColor = (status: string) =>
      page.locator(`[data-testid^="job-row-"][data-status="${status}"] [data-col="note"]`).first().evaluate((e) => getComputedStyle(e).color);
    assert.equal(await page.getByRole('columnheader', { name: 'Last error' }).count(), 0);
    assert.equal(await noteColor('failed'), bad, 'a failed job\'s note is an error');
    if (await page.locator('[data-testid^="job-row-"][data-status="pending"] [data-col="note"]:not(:empty)').count()) {
      assert.notEqual(await noteColor('pending'), bad, 'a pending job\'s note is routine');
    }

    // Each row shows what its call is booked at, and opens that call.
    const row = page.locator('[data-testid^="job-row-"][data-status="failed"]').first();
    const jobId = Number((await row.getAttribute('data-testid'))!.slice('job-row-'.length));
    const job = db.prepare('SELECT j.call_id, c.estimated_nanos, c.estimate_currency, c.actual_nanos, c.currency, c.cost_source FROM jobs j JOIN calls c ON c.id = j.call_id WHERE j.id = ?').get(jobId) as Record<string, bigint | string | null>;
    const exactKnown = job.cost_source !== null && job.cost_source !== 'estimate';
    const booked = (exactKnown ? job.actual_nanos : job.estimated_nanos) as bigint;
    const currency = String(exactKnown ? job.currency : job.estimate_currency);
    assert.equal(await row.locator('[data-col="amount"] .money').getAttribute('data-amount'), exactAmount(booked));
    assert.equal(await row.locator('[data-col="amount"]').textContent(), shownAmount(booked, currency));

    // Retry says what it did and what comes next.
    await page.getByTestId(`job-retry-${jobId}`).click();
    const outcome = page.getByTestId('job-retry-outcome');
    await outcome.waitFor();
    assert.match((await outcome.textContent()) ?? '', new RegExp(`^Job ${jobId} queued again with a fresh retry schedule, due .+\\. The cost fetcher runs it on its next pass, or press Process now\\.$`));
    assert.equal(db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(jobId), 'pending');
    await screenshot(page, 'dashboard-jobs-triage');

    await page.getByTestId(`job-subject-${jobId}`).click();
    await page.getByTestId('screen-calls').waitFor();
    await page.getByTestId('call-detail-badge').waitFor();
    assert.equal(await page.getByTestId('call-detail').getByText(String(job.call_id), { exact: true }).count(), 1, 'the job\'s call is open');
    assert.equal(await page.getByTestId('call-detail-booked').locator('.money').getAttribute('data-amount'), exactAmount(booked));
    await page.getByTestId('call-detail-close').click();
    assert.deepEqual(ui.problems, []);
  });

  test('search as people type a number: digits anywhere, with or without "+", spaces or dashes', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await ledger();
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
    await go(page, 'calls');
    for (const [text, digits] of typed) {
      const want = matching(digits);
      assert.ok(want > 0, `${text} is in the ledger`);
      await page.getByTestId('calls-search').fill(text);
      await page.getByTestId('calls-search').press('Enter');
      await waitFor(async () => (await page.getByTestId('calls-total').textContent()) === `${want} call${want === 1 ? '' : 's'}`, `"${text}" finds ${want}`);
      const rows = await page.locator('[data-testid^="call-row-"]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      assert.ok(rows.length > 0 && rows.every((r) => r.includes(digits)), `every row shown has ${digits}`);
      t.diagnostic(`"${text}": ${want} calls`);
    }
    await page.getByTestId('calls-search').fill('');
    await page.getByTestId('calls-search').press('Enter');
  });
});
