// Live mode in the browser host, end to end: a simulated Telnyx account (its calls ended
// 8..20 h ago), the core switched to it through the contract, and Chromium driving the
// screens. One account and one app for the whole file; the tests run in order and each
// builds on what the one before left in the ledger:
//   sync (estimates) -> Calls: refetch one call -> Import screen -> Overview totals -> CSV exports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright';
import { formatMoney } from '../../shared/money.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { connectSimulator, dayInput, haveChromium, startApp, utcMidnightDaysAgo, waitFor, type App } from './support/app.ts';
import { go, openApp, screenshot, type OpenedPage } from './support/browser.ts';
import {
  ALL_RECORD_TYPES,
  exactAmount,
  ledgerTotals,
  moneyColumns,
  perCurrency,
  readLedger,
  recordsInRange,
  shownAmount,
  shownTotal,
} from './support/truth.ts';

const HOUR = 3600_000;
const NOW = Date.now();
// Calls start 20 h .. 8 h ago: inside the first poll's 24 h look-back, and every record
// (stragglers come up to 6 h after hangup) exists by now.
const ACCOUNT = {
  seed: 'e2e-live',
  // Enough for ~30 pages of records, so an import commits (and reports progress) several times.
  calls: 1000,
  messages: 400,
  startMs: NOW - 20 * HOUR,
  spanMs: 12 * HOUR,
  recordDelayMs: { min: 2_000, max: 8_000 },
  sipTrunkingRate: 0.15,
  webrtcRate: 0.05,
};
// What the Overview's "Last 7 days" means in the page (its context runs in UTC).
const LAST7 = { from: utcMidnightDaysAgo(6), to: utcMidnightDaysAgo(-1) };

// Records every state of the import progress card (status, bar value/max, text) as it changes.
// A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
const WATCH_PROGRESS = `(() => {
  const seen = [];
  window.__progress = seen;
  new MutationObserver(() => {
    const card = document.querySelector('[data-testid="import-progress"]');
    const text = document.querySelector('[data-testid="import-progress-text"]')?.textContent ?? '';
    const bar = document.querySelector('[data-testid="import-progress-bar"]');
    const entry = (card?.getAttribute('data-status') ?? '') + '|' + (bar?.getAttribute('value') ?? '') + '/' + (bar?.getAttribute('max') ?? '') + '|' + text;
    if (card && seen[seen.length - 1] !== entry) seen.push(entry);
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

let app: App;
let sim: RunningSimulator;
let ui: OpenedPage;
let page: Page;
let ready = false;

describe('live mode in the browser host', { concurrency: false }, () => {
  before(async () => {
    app = await startApp();
    sim = await connectSimulator(app, ACCOUNT);
  });

  test('Sync now books an estimate for every call that ended', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    ui = await openApp(app.host);
    page = ui.page;
    assert.equal(await page.getByTestId('mode-badge').getAttribute('data-mode'), 'live');
    await page.getByTestId('sync-now').click();
    await waitFor(async () => (await page.getByTestId('sync-summary').textContent())?.startsWith('Last sync'), 'the sync to finish');
    await go(page, 'calls');
    const counted = await waitFor(async () => Number(await page.getByTestId('calls-table').getAttribute('data-total')), 'calls to show');
    const db = readLedger(await ledgerFile());
    const inLedger = Number(db.prepare('SELECT COUNT(*) FROM calls').pluck().get());
    assert.equal(counted, inLedger);
    // Every call the account made has its hangup stored (deliveries come at most 30 min late).
    assert.equal(inLedger, ACCOUNT.calls);
    const estimated = Number(db.prepare("SELECT COUNT(*) FROM calls WHERE cost_source = 'estimate'").pluck().get());
    assert.ok(estimated > 100, `${estimated} calls booked at their estimate`);
    ready = true;
  });

  test('Calls: search a call by its leg id, open it, Refetch cost replaces the estimate', { timeout: 30_000 }, async (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    // An answered call with one record (no trunk part), booked at its estimate so far.
    const db = readLedger(await ledgerFile());
    let truth = null;
    for (let i = 0; i < sim.account.callCount && !truth; i++) {
      const c = sim.account.call(i);
      if (!c.answered || c.sipTrunked || c.records.length !== 1) continue;
      const row = db.prepare('SELECT id, cost_source FROM calls WHERE call_leg_id = ?').get(c.callLegId) as { id: bigint; cost_source: string } | undefined;
      if (row?.cost_source === 'estimate') truth = { ...c, id: Number(row.id) };
    }
    assert.ok(truth, 'an estimated, answered single-record call');

    await go(page, 'calls');
    await page.getByTestId('calls-search').fill(truth.callLegId);
    await page.getByTestId('calls-search').press('Enter');
    await waitFor(async () => (await page.getByTestId('calls-total').textContent()) === '1 call', 'the search to find one call');
    await page.getByTestId(`call-row-${truth.id}`).click();
    const panel = page.getByTestId('call-detail');
    await panel.waitFor();
    await waitFor(async () => (await page.getByTestId('call-detail-badge').textContent())?.length, 'the call detail');
    assert.match((await page.getByTestId('call-detail-exact').textContent()) ?? '', /^—/, 'no exact cost yet');

    await page.getByTestId('refetch-cost').click();
    const outcome = page.getByTestId('refetch-outcome');
    await waitFor(async () => (await outcome.getAttribute('data-kind')) !== '', 'the refetch outcome');
    assert.equal(await outcome.getAttribute('data-kind'), 'updated');
    // One call's cost with every digit it has: the panel shows it exactly.
    const exact = shownAmount(truth.totalCostNanos, truth.currency);
    assert.ok(((await outcome.textContent()) ?? '').includes(`→ ${exact}`), `the outcome names ${exact}`);
    await waitFor(async () => (await page.getByTestId('call-detail-exact').textContent())?.startsWith(exact), `the exact cost ${exact}`);
    assert.equal(await page.getByTestId('call-detail-exact').locator('.money').getAttribute('data-amount'), exactAmount(truth.totalCostNanos));
    assert.equal(await page.getByTestId('call-detail-badge').getAttribute('data-badge'), 'exact');
    const stored = db.prepare('SELECT exact_nanos, currency, cost_source FROM calls WHERE id = ?').get(truth.id) as Record<string, unknown>;
    assert.deepEqual(stored, { exact_nanos: truth.totalCostNanos, currency: truth.currency, cost_source: 'detail_record' });
    await screenshot(page, 'e2e-calls-refetch');

    // Refetching again finds the same cost.
    await page.getByTestId('refetch-cost').click();
    await waitFor(async () => (await outcome.getAttribute('data-kind')) === 'unchanged', 'an unchanged outcome');
    await page.getByTestId('call-detail-close').click();
    await page.getByTestId('calls-search').fill('');
    await page.getByTestId('calls-search').press('Enter');
  });

  test('Import: a date range with all record types, progress moving, summary = ground truth', { timeout: 45_000 }, async (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    const from = utcMidnightDaysAgo(0, ACCOUNT.startMs);
    const to = utcMidnightDaysAgo(-1);
    // Slow pages, so the progress can be watched (a fault never changes the data).
    sim.setFaults({ kind: 'slow', delayMs: 250, path: '/v2/detail_records' });
    try {
      await go(page, 'import');
      await page.getByTestId('import-range-preset').selectOption('custom');
      await page.getByTestId('import-range-from').fill(dayInput(from));
      await page.getByTestId('import-range-to').fill(dayInput(to - 1));
      for (const type of ALL_RECORD_TYPES) await page.getByTestId(`import-type-${type}`).check();
      // Every text and bar value the progress card shows, as it changes.
      await page.evaluate(WATCH_PROGRESS);
      await page.getByTestId('import-start').click();
      const card = page.getByTestId('import-progress');
      await card.waitFor();
      await waitFor(
        async () =>
          (await card.getAttribute('data-status')) === 'running' && (await page.getByTestId('import-progress-text').textContent())?.includes('records'),
        'a running import',
      );
      await screenshot(page, 'e2e-import-running');
      await waitFor(async () => (await card.getAttribute('data-status')) !== 'running', 'the import to finish', 30_000);
      assert.equal(await card.getAttribute('data-status'), 'completed', (await page.getByTestId('import-progress-text').textContent()) ?? '');
      await screenshot(page, 'e2e-import-summary');

      const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
      const running = seen.filter((s) => s.startsWith('running|'));
      assert.ok(running.length >= 3, `the progress changed while running:\n${seen.join('\n')}`);
      const values = running.map((s) => Number(s.split('|')[1]!.split('/')[0] || 0));
      assert.ok(values[values.length - 1]! > values[0]!, `the bar moved: ${values.join(' -> ')}`);
      assert.deepEqual(
        [...values].sort((a, b) => a - b),
        values,
        'and only forward',
      );

      const imports = await app.call('import.list', {});
      const done = imports.imports[0]!;
      assert.deepEqual(done.range, { from, to });
      assert.deepEqual(done.recordTypes, [...ALL_RECORD_TYPES].sort());
      const truth = recordsInRange(sim.account, from, to, sim.now());
      assert.equal(done.records, truth.listed, 'rows listed by Telnyx (a duplicated record is listed twice)');
      const summary = await page.getByTestId('import-summary').textContent();
      const n = (x: number) => x.toLocaleString('en-US');
      assert.match(summary ?? '', new RegExp(`^Records${n(truth.listed)}Rejected0Pages${n(done.pagesDone)}Took`));
      assert.match(
        (await page.getByTestId('import-progress-text').textContent()) ?? '',
        new RegExp(`^Import completed: ${n(truth.listed)} records from ${n(done.pagesDone)} pages`),
      );
      const db = readLedger(await ledgerFile());
      assert.equal(Number(db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get()), truth.distinct, 'each record stored once');
      await page.getByTestId(`import-row-${done.importId}`).waitFor();
    } finally {
      sim.clearFaults();
    }
  });

  test('Overview: estimated vs exact per number; totals equal the ledger and the ground truth', { timeout: 30_000 }, async (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    await go(page, 'overview');
    await page.getByTestId('overview-range-preset').selectOption('last7');
    const rows = page.getByTestId('summary-row');
    const db = readLedger(await ledgerFile());
    const expected = ledgerTotals(db, LAST7.from, LAST7.to);
    await waitFor(async () => (await rows.count()) === expected.size, `${expected.size} summary rows`);

    for (const [key, want] of expected) {
      const [number, currency] = key.split(' ') as [string, string];
      const row = page.locator(`[data-testid="summary-row"][data-number="${number}"][data-currency="${currency}"]`);
      // Each total twice: the exact sum (data-amount, and the title on hover) and the
      // rounded text, both worked out from the ledger's rows.
      await waitFor(async () => (await row.locator('[data-col="exact"] .money').getAttribute('data-amount')) === exactAmount(want.exact), `${key} exact`);
      for (const [col, nanos] of moneyColumns(want)) {
        const cell = row.locator(`[data-col="${col}"] .money`);
        assert.equal(await cell.getAttribute('data-amount'), exactAmount(nanos), `${key} ${col} exact`);
        assert.equal(await cell.textContent(), shownTotal(nanos, currency), `${key} ${col} shown`);
        assert.equal(await cell.getAttribute('title'), shownAmount(nanos, currency), `${key} ${col} title: the exact value on hover`);
      }
      // Estimates are in the rate settings' currency (USD): an EUR row has exact costs only.
      if (currency === 'USD') assert.notEqual(want.estimated, 0n, `${key}: calls that came through webhooks carry an estimate`);
    }

    // Footer: one line per currency, never adding two currencies.
    // Ground truth: a call's exact cost is known once it has a detail record or its connection
    // sent a call.cost event (both carry every billed part).
    const truthExact = new Map<string, bigint>();
    for (let i = 0; i < sim.account.callCount; i++) {
      const c = sim.account.call(i);
      if (c.startMs < LAST7.from || c.startMs >= LAST7.to || !(c.hasRecord || c.costEvent)) continue;
      truthExact.set(c.currency, (truthExact.get(c.currency) ?? 0n) + c.totalCostNanos);
    }
    const byCurrency = perCurrency(expected);
    assert.deepEqual([...byCurrency.keys()].sort(), ['EUR', 'USD']);
    for (const [currency, want] of byCurrency) {
      const cells = await page.getByTestId(`summary-total-${currency}`).locator('td').allTextContents();
      // Currency, calls, minutes, SMS, estimated, exact, booked, variance, %, SMS cost, pending, failed
      assert.equal(cells[0], currency);
      assert.equal(cells[1], String(want.calls));
      assert.equal(cells[3], String(want.messages));
      assert.equal(cells[4], shownTotal(want.estimated, currency), `${currency} estimated total`);
      assert.equal(cells[5], shownTotal(want.exact, currency), `${currency} exact total (ledger)`);
      assert.equal(cells[5], shownTotal(truthExact.get(currency)!, currency), `${currency} exact total (ground truth)`);
      assert.equal(cells[6], shownTotal(want.booked, currency), `${currency} booked total`);
      assert.equal(cells[9], shownTotal(want.messagesTotal, currency), `${currency} SMS total`);
      const footer = page.getByTestId(`summary-total-${currency}`);
      for (const [col, nanos] of moneyColumns(want)) {
        assert.equal(await footer.locator(`[data-col="${col}"] .money`).getAttribute('data-amount'), exactAmount(nanos), `${currency} ${col} total exact`);
      }
      assert.equal(
        await footer.locator('[data-col="exact"] .money').getAttribute('data-amount'),
        exactAmount(truthExact.get(currency)!),
        `${currency} exact total exact (ground truth)`,
      );
    }
    // Some calls have both an estimate and an exact cost: the variance is shown for them.
    const variances = await rows.locator('[data-col="variance-pct"]').allTextContents();
    assert.ok(
      variances.some((v) => v !== '—'),
      'a variance percentage is shown',
    );
    await screenshot(page, 'e2e-overview-live');
  });

  test('Export: every CSV report downloads and matches the ledger', { timeout: 45_000 }, async (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    await go(page, 'overview');
    const db = readLedger(await ledgerFile());
    const files: Record<string, { text: string; rows: Array<Record<string, string>>; totals: Array<Record<string, string>> }> = {};
    await page.getByTestId('export-open').click();
    await page.getByTestId('export-dialog').waitFor();
    for (const report of ['calls', 'messages', 'summary', 'history'] as const) {
      await page.getByTestId('export-report').selectOption(report);
      const download = page.waitForEvent('download');
      await page.getByTestId('export-run').click();
      const d = await download;
      assert.match(d.suggestedFilename(), new RegExp(`^cost-desk-${report}-${dayInput(LAST7.from)}-to-${dayInput(LAST7.to - 1)}\\.csv$`));
      const text = readFileSync(await d.path(), 'utf8');
      // Data rows only: the Total rows (one per currency) come last and are checked below.
      const all = parse(text, { columns: true, bom: true, strict: true } as never) as Array<Record<string, string>>;
      files[report] = { text, rows: all.filter((r) => r.Row !== 'Total'), totals: all.filter((r) => r.Row === 'Total') };
      await waitFor(async () => (await page.getByTestId('export-outcome').getAttribute('data-outcome')) === 'download', `${report} outcome`);
    }
    await page.getByTestId('export-close').click();

    // RFC 4180: CRLF after every record (the file ends with one), no bare LF.
    for (const [report, f] of Object.entries(files)) {
      assert.ok(f.text.endsWith('\r\n'), `${report} ends with CRLF`);
      assert.equal(f.text.replace(/\r\n/g, '').includes('\n'), false, `${report}: no bare LF`);
    }

    // calls: one row per call started in the range, exact money strings from the ledger.
    const calls = db.prepare('SELECT * FROM calls WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id').all(LAST7.from, LAST7.to) as Array<
      Record<string, unknown>
    >;
    const callRows = files.calls!.rows;
    assert.equal(callRows.length, calls.length);
    const money = (v: unknown) => (typeof v === 'bigint' ? formatMoney(v) : '');
    let checked = 0;
    for (const [k, c] of calls.entries()) {
      const r = callRows[k]!;
      assert.equal(r['Ledger id'], String(c.id));
      assert.equal(r.Estimated, money(c.estimated_nanos));
      const exact = c.cost_source !== null && c.cost_source !== 'estimate';
      assert.equal(r.Exact, exact ? money(c.exact_nanos) : '');
      assert.equal(r.Booked, exact ? money(c.exact_nanos) : money(c.estimated_nanos));
      if (exact && typeof c.estimated_nanos === 'bigint' && c.estimate_currency === c.currency) {
        assert.equal(r.Variance, formatMoney((c.exact_nanos as bigint) - c.estimated_nanos));
        checked++;
      }
      // E.164 numbers are written as they are: "+" and digits cannot run as a formula.
      assert.equal(r['Other number'], String(c.other_number)); // E.164 as it is (issue 13)
      // The dialog's zone is the browser's (UTC here, or as set): the same instant either way.
      assert.equal(Date.parse(r.Started!), Number(c.started_at));
    }
    assert.ok(checked > 50, `${checked} calls with a variance`);
    assert.ok(!files.calls!.text.includes(`,'+`), 'no E.164 number neutralized in the raw text');

    // messages
    const messages = db.prepare('SELECT * FROM messages WHERE sent_at >= ? AND sent_at < ? ORDER BY sent_at, rowid').all(LAST7.from, LAST7.to) as Array<
      Record<string, unknown>
    >;
    assert.equal(files.messages!.rows.length, messages.length);
    assert.ok(messages.length > 100);
    for (const [k, m] of messages.entries()) {
      const r = files.messages!.rows[k]!;
      assert.equal(r['Message id'], String(m.id));
      assert.equal(r.Cost, money(m.cost_nanos));
      assert.equal(r['Our number'], String(m.our_number));
    }

    // summary: the Overview's rows, amounts unformatted but the same decimals.
    const totals = ledgerTotals(db, LAST7.from, LAST7.to);
    assert.equal(files.summary!.rows.length, totals.size);
    for (const r of files.summary!.rows) {
      const want = totals.get(`${r.Number!.replace(/^'/, '')} ${r.Currency}`);
      assert.ok(want, `summary row ${r.Number} ${r.Currency}`);
      assert.equal(r.Calls, String(want.calls));
      assert.equal(r.Exact, formatMoney(want.exact));
      assert.equal(r.Booked, formatMoney(want.booked));
      assert.equal(r.Estimated, formatMoney(want.estimated));
      assert.equal(r['SMS cost'], formatMoney(want.messagesTotal));
    }
    // One "All numbers" Total row per currency: the ledger's booked total of that currency.
    const booked = new Map<string, bigint>();
    for (const [k, v] of totals) booked.set(k.split(' ')[1]!, (booked.get(k.split(' ')[1]!) ?? 0n) + v.booked);
    assert.deepEqual(
      files.summary!.totals.map((r) => [r.Number, r.Currency, r.Booked]),
      [...booked.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, b]) => ['All numbers', c, formatMoney(b)]),
    );

    // history: every change written in the range; its detail in words.
    const history = db.prepare('SELECT * FROM cost_history WHERE at >= ? AND at < ? ORDER BY at, id').all(LAST7.from, LAST7.to) as Array<
      Record<string, unknown>
    >;
    assert.equal(files.history!.rows.length, history.length);
    assert.ok(history.length >= calls.length, 'at least the estimate of every call');
    for (const [k, h] of history.entries()) {
      const r = files.history!.rows[k]!;
      assert.equal(r['Cost after'], money(h.new_nanos));
      // The detail in words, not the stored JSON.
      assert.equal(r.Detail!.startsWith('{'), false);
      if (h.detail !== null) assert.ok(r.Detail !== '', `detail of change ${String(h.id)}`);
    }
    const withJson = history.find((h) => typeof h.detail === 'string' && h.detail.includes('"'));
    assert.ok(withJson, 'a history row with stored JSON detail');
  });

  test('Settings: "Check my Telnyx setup" runs the account doctor against the account', { timeout: 30_000 }, async (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    await go(page, 'settings');
    await page.getByTestId('doctor-run').click();
    const items = page.getByTestId('doctor-checks').locator('li');
    await waitFor(async () => (await items.count()) > 0, 'the doctor checks');
    const statuses = await items.evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-status'), li.textContent ?? '']));
    // The same report the contract gives (the simulator's applications have webhook URLs).
    const report = await app.call('doctor.run', {});
    assert.equal(statuses.length, report.checks.length);
    assert.deepEqual(
      statuses.map((s) => s[0]),
      report.checks.map((c) => c.status),
    );
    assert.ok(statuses.some((s) => /API key/.test(s[1]!)));
    assert.equal(report.problems, 0);
    await screenshot(page, 'settings-doctor-light');
  });

  test('Settings: "Check against Telnyx" shows the month beside the usage report, as the contract does', { timeout: 30_000 }, async (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    const month = new Date(NOW - 20 * HOUR).toISOString().slice(0, 7);
    await page.getByTestId('verify-month').fill(month);
    await page.getByTestId('verify-run').click();
    const table = page.getByTestId('verify-table');
    await table.waitFor();
    const report = await app.call('verify.month', { month });
    const shownRows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    assert.deepEqual(
      shownRows,
      report.rows.map((r) => [r.product, r.currency, r.ledger, r.telnyx, r.difference]),
    );
    assert.equal(await table.getAttribute('data-matches'), String(report.matches));
  });

  test('no console errors in the page', (t) => {
    if (!ready) return t.skip('needs the synced app of the first test');
    assert.deepEqual(ui.problems, []);
  });
});

async function ledgerFile(): Promise<string> {
  return (await app.call('app.info', {})).ledgerFile;
}
