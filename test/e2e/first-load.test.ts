// The first load of the browser host's page: the static shell in index.html shows the app's
// frame before any script runs, the Overview's questions are asked once each, by the boot module before React
// is loaded, and the access token leaves the address bar yet survives a reload.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright';
import { connectSimulator, haveChromium, lastDayAccount, startApp, type App } from './support/app.ts';
import { axeScan, browser, describeFindings } from './support/browser.ts';

const NOW = Date.now();
const ACCOUNT = lastDayAccount('e2e-first-load', 200, 80, NOW);

let app: App;

/** A fresh context and page with the same settings as openApp, and every API call the page makes. */
async function newPage(): Promise<{ page: Page; calls: string[]; questions: string[]; problems: string[] }> {
  const context = await (
    await browser()
  ).newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  const page = await context.newPage();
  const calls: string[] = [];
  const questions: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (!path.startsWith('/api/call/')) return;
    calls.push(decodeURIComponent(path.slice('/api/call/'.length)));
    questions.push(`${calls.at(-1)} ${r.postData() ?? ''}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, calls, questions, problems };
}

/** The Overview with everything its first render asks for: table, chart and number list. */
async function overviewShown(page: Page): Promise<void> {
  await page.getByTestId('summary-row').first().waitFor();
  await page.locator('[data-testid^="daily-chart-"]').first().waitFor();
  await page.waitForFunction(`(document.querySelector('[data-testid="overview-number"]')?.options.length ?? 0) > 1`);
}

describe('first load of the browser host page', { concurrency: false }, () => {
  before(async () => {
    app = await startApp();
    await connectSimulator(app, ACCOUNT);
    await app.call('sync.now', {});
  });

  test('before any script runs, the static shell shows the app frame (brand, screens, loading)', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const { page } = await newPage();
    // No script of the app ever arrives: what is on screen is index.html and the stylesheet.
    await page.route(/\/assets\/.*\.js$/, (route) => route.abort());
    await page.goto(app.host.url);
    await page.getByText('Telnyx Cost Desk', { exact: true }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Overview', 'Calls', 'Messages', 'Import', 'Jobs', 'Alerts', 'Statements', 'Settings']);
    // The address names no screen: the Overview is the current one, as in the app.
    assert.equal(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current'), 'page');
    assert.equal(await page.getByRole('status').filter({ hasText: 'Loading…' }).count(), 1);
    // The same stylesheet as the app: the shell's grid is laid out, not unstyled HTML.
    assert.equal(await page.locator('.shell').evaluate((e) => getComputedStyle(e).display), 'grid');
    const r = await axeScan(page, 'static-shell');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
    await page.context().close();
  });

  test('the Overview asks each question once, starting before React is loaded', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const { page, calls, questions, problems } = await newPage();
    await page.goto(app.host.url);
    await overviewShown(page);
    await page.getByTestId('first-glance').waitFor();
    const count = (m: string) => calls.filter((c) => c === m).length;
    for (const m of ['app.info', 'sync.status', 'overview.daily', 'numbers.list']) {
      assert.equal(count(m), 1, `${m} asked ${count(m)} times (calls: ${calls.join(', ')})`);
    }
    // The summary twice: the period and the period before (the first glance), each once.
    assert.equal(count('overview.summary'), 2, `calls: ${calls.join(', ')}`);
    assert.equal(new Set(questions).size, questions.length, `a question asked twice: ${questions.join(' | ')}`);
    // The shell's mode first, then the table the screen is about.
    assert.deepEqual(calls.slice(0, 2), ['app.info', 'overview.summary']);
    // Asked by the boot module: the summary request went out before the app chunk ran.
    const order = (await page.evaluate(`(() => {
      const summary = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/call/overview.summary'));
      const loaded = performance.getEntriesByName('cost-desk:app-loaded', 'mark')[0];
      return { summary: summary ? summary.startTime : null, loaded: loaded ? loaded.startTime : null };
    })()`)) as { summary: number | null; loaded: number | null };
    assert.ok(order.summary !== null && order.loaded !== null, JSON.stringify(order));
    assert.ok(order.summary < order.loaded, `summary asked at ${order.summary} ms, app chunk ran at ${order.loaded} ms`);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('the token leaves the address bar once the app is up, and a reload still gets in', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const { page, problems } = await newPage();
    await page.goto(`${app.host.url}#/calls`);
    await page.getByTestId('screen-calls').waitFor();
    await page.waitForURL((u) => !u.searchParams.has('token'));
    assert.equal(new URL(page.url()).hash, '#/calls');
    await page.reload();
    await page.getByTestId('screen-calls').waitFor();
    await page.getByTestId('nav-overview').click();
    await overviewShown(page);
    assert.equal(await page.getByTestId('startup-error').count(), 0);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
