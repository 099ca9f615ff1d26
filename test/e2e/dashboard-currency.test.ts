// Right numbers (issue 13, point 1): fallback rates per currency and per number in Settings;
// an estimate is always in its number's currency (a EUR number never gets a USD estimate, the
// EUR chart never plots USD sums); a variance that cannot be computed reads "n/a", never 0.
// A simulated account over real HTTP with USD and EUR numbers (every third one bills in EUR,
// electron/core/simulator/numbers.ts): its first half imported (exact costs; comparison
// estimates only where Settings have a rate in the call's currency), then one sync books
// estimates for the rest. Expected values from the ledger's rows.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import type { Page } from 'playwright';
import { formatMoney } from '../../shared/money.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { CHROMIUM, connectSimulator, haveChromium, importRange, startApp, utcMidnightDaysAgo, waitFor, type App } from './support/app.ts';
import { axeScan, describeFindings, go, openApp, screenshot, type OpenedPage } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const HOUR = 3_600_000;
const NOW = Date.now();
const START = NOW - 20 * HOUR;
/** What the Overview's "Last 7 days" means in the page (its context runs in UTC). */
const LAST7 = { from: utcMidnightDaysAgo(6), to: utcMidnightDaysAgo(-1) };

let app: App;
let sim: RunningSimulator;
let ui: OpenedPage | undefined;
let page: Page;

const ledger = async () => readLedger((await app.call('app.info', {})).ledgerFile);

/**
 * Per (number, currency) of the calls started in `range`: how many have both an estimate and
 * an exact cost in one currency (0: nothing to compare, the variance is n/a).
 */
function comparedPerGroup(db: Database.Database, range: { from: number; to: number }) {
  return db
    .prepare(
      `SELECT our_number AS number, COALESCE(currency, estimate_currency, 'USD') AS cur,
         SUM(cost_source IS NOT NULL AND cost_source <> 'estimate' AND exact_nanos IS NOT NULL AND estimated_nanos IS NOT NULL AND estimate_currency = currency) AS compared
       FROM calls WHERE started_at >= ? AND started_at < ? GROUP BY 1, 2`,
    )
    .all(range.from, range.to) as { number: string; cur: string; compared: number | bigint }[];
}

describe("right numbers: estimates in the number's currency, n/a variance", { concurrency: false }, () => {
  before(async () => {
    app = await startApp();
    sim = await connectSimulator(app, {
      seed: 'e2e-dashboard-currency',
      calls: 300,
      messages: 60,
      numbers: 6,
      startMs: START,
      spanMs: 12 * HOUR,
      recordDelayMs: { min: 2_000, max: 8_000 },
    });
    if (existsSync(CHROMIUM)) {
      ui = await openApp(app.host);
      page = ui.page;
    }
  });
  after(() => ui?.context.close());

  const eurNumbers = () => sim.account.numbers.filter((n) => n.currency === 'EUR').map((n) => n.e164);

  test('Settings: fallback rates per currency and per number, a broken line named', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const [own] = eurNumbers();
    assert.ok(own, 'the account has EUR numbers');
    await go(page, 'settings');
    await page.getByTestId('settings-other-rates').fill('EUR 0.005');
    await page.getByTestId('settings-save').click();
    await page.locator('#set-otherRates-error').waitFor();
    assert.match((await page.locator('#set-otherRates-error').textContent()) ?? '', /Line 1: write a currency and two rates/);
    assert.equal(await page.getByTestId('settings-other-rates').getAttribute('aria-invalid'), 'true');
    // A fallback for GBP only: the EUR numbers (but one) have no EUR rate to be estimated at.
    await page.getByTestId('settings-other-rates').fill('GBP 0.0040 0.0090');
    await page.getByTestId('settings-number-rates').fill(`${own} EUR 0.0060 0.0120`);
    await page.getByTestId('settings-save').click();
    await waitFor(async () => (await page.getByTestId('settings-saved').textContent()) === 'Settings saved.', 'saved');
    const rates = (await app.call('settings.get', {})).rates;
    assert.deepEqual(rates.otherCurrencies, [{ currency: 'GBP', inboundPerMinute: '0.0040', outboundPerMinute: '0.0090' }]);
    assert.deepEqual(rates.numbers, [{ number: own, currency: 'EUR', inboundPerMinute: '0.0060', outboundPerMinute: '0.0120' }]);
    await screenshot(page, 'e2e-settings-currency-rates');
    const r = await axeScan(page, 'settings-currency-rates');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
  });

  test('every estimate of a EUR number is in EUR, imported comparisons included', { timeout: 120_000 }, async () => {
    await importRange(app, { from: START, to: START + 6 * HOUR }, 60_000);
    await app.call('sync.now', {});
    const db = await ledger();
    const eur = eurNumbers();
    const rows = db
      .prepare(
        `SELECT our_number, estimate_currency, estimate_method, currency FROM calls WHERE estimated_nanos IS NOT NULL AND our_number IN (${eur.map(() => '?').join(',')})`,
      )
      .all(...eur) as { our_number: string; estimate_currency: string; estimate_method: string; currency: string | null }[];
    db.close();
    assert.ok(rows.length > 20, `${rows.length} estimates of EUR numbers`);
    const usd = rows.filter((r) => r.estimate_currency !== 'EUR');
    assert.deepEqual(usd.slice(0, 3), [], `${usd.length} EUR-number estimates not in EUR`);
    assert.ok(
      rows.some((r) => r.estimate_method.includes(`fallback for ${eur[0]}`)),
      "the number's own rate is used",
    );
    // The others, with no EUR fallback: from their own exact calls, once they have some.
    assert.ok(
      rows.some((r) => r.our_number !== eur[0] && / learned from \d+ calls? of /.test(r.estimate_method)),
      "learned from the number's EUR calls",
    );
  });

  test('Overview: EUR figures are EUR sums only, and a variance nothing can be compared for reads n/a', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const db = await ledger();
    // The UTC day of the first EUR call (the page runs in UTC).
    const dayStart = Math.floor(START / (24 * HOUR)) * 24 * HOUR;
    // Per (number, currency), the ledger says whether any call has both an estimate and an
    // exact cost in one currency (EUR numbers without a EUR rate have none: their imported
    // calls got no comparison estimate, the synced ones no exact cost yet).
    const groups = comparedPerGroup(db, LAST7);
    // The daily chart's EUR estimates per day: EUR estimates of calls in EUR only.
    const eurEstimated = BigInt(
      (db
        .prepare(
          `SELECT COALESCE(SUM(estimated_nanos), 0) FROM calls WHERE started_at >= ? AND started_at < ?
             AND estimate_currency = 'EUR' AND COALESCE(currency, estimate_currency) = 'EUR'`,
        )
        .safeIntegers(true)
        .pluck()
        .get(dayStart, dayStart + 24 * HOUR) as bigint) ?? 0n,
    );
    // The core says null for a row with nothing to compare (a period of estimates only: the
    // synced half, where no exact cost has come yet), never an amount of 0.
    const late = { from: START + 9 * HOUR, to: NOW };
    const lateCompared = comparedPerGroup(db, late);
    db.close();
    const lateRows = (await app.call('overview.summary', { range: late })).rows;
    for (const g of lateCompared) {
      const row = lateRows.find((r) => r.number === g.number && r.currency === g.cur);
      assert.ok(row, `${g.number} ${g.cur}`);
      assert.equal(row.variance === null, Number(g.compared) === 0, `${g.number} ${g.cur}: variance ${JSON.stringify(row.variance)}`);
    }

    await go(page, 'overview');
    await page.getByTestId('overview-range-preset').selectOption('last7');
    await waitFor(async () => (await page.getByTestId('summary-row').count()) >= groups.length, "the period's rows");
    // On screen, the same rule: "n/a" exactly where nothing can be compared.
    for (const g of groups) {
      const row = page.locator(`[data-testid="summary-row"][data-number="${g.number}"][data-currency="${g.cur}"]`);
      const cell = row.locator('[data-col="variance"] .money');
      if (Number(g.compared) === 0) {
        assert.equal(await cell.textContent(), 'n/a', `${g.number} ${g.cur}`);
        assert.equal(await cell.getAttribute('data-variance'), 'n/a');
      } else assert.notEqual(await cell.textContent(), 'n/a', `${g.number} ${g.cur}`);
    }
    for (const n of eurNumbers()) {
      assert.equal(await page.locator(`[data-testid="summary-row"][data-number="${n}"][data-currency="USD"]`).count(), 0, `${n} has no USD row`);
    }
    await page.locator('.daily-table summary').click();
    const day = new Date(dayStart).toISOString().slice(0, 10);
    const eurDay = page
      .locator('[data-testid="daily-table"] tbody tr')
      .filter({ has: page.locator(`th:text-is("${day}")`) })
      .filter({ has: page.locator('td:text-is("EUR")') });
    assert.equal(await eurDay.locator('td').nth(1).getAttribute('title'), `${formatMoney(eurEstimated)} EUR`);
    await screenshot(page, 'e2e-overview-currency-na');
    const r = await axeScan(page, 'overview-currency-na');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
  });
});
