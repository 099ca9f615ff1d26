// Every screen, light and dark: a screenshot under test-results/screenshots/<screen>-<scheme>.png
// and an axe-core scan (WCAG 2 A/AA and best practices) that must find nothing serious or
// critical. Moderate and minor findings are printed as test diagnostics.
//   welcome (first run) · overview · calls with the detail panel · messages, and with its panel ·
//   import with progress and its summary · jobs after "Process now" · settings
import assert from 'node:assert/strict';
import { before, test, type TestContext } from 'node:test';
import type { Page } from 'playwright';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { connectSimulator, dayInput, haveChromium, importRange, lastDayAccount, startApp, utcMidnightDaysAgo, waitFor, type App } from './support/app.ts';
import { axeScan, describeFindings, go, openApp, screenshot, type AxeFinding } from './support/browser.ts';

const NOW = Date.now();
const ACCOUNT = lastDayAccount('e2e-screens', 300, 150, NOW);

let live: App;
let firstRun: App;
let sim: RunningSimulator;

before(async () => {
  firstRun = await startApp();
  live = await startApp();
  sim = await connectSimulator(live, ACCOUNT);
  await live.call('sync.now', {});
  // Half of the account imported: the rest stays at its estimate with a pending job.
  await importRange(live, { from: ACCOUNT.startMs, to: ACCOUNT.startMs + ACCOUNT.spanMs / 2 });
});

const SCHEMES = ['light', 'dark'] as const;
const COLOR_RULES = ['color-contrast', 'link-in-text-block'];

/**
 * The screen as it is now, in each color scheme: a screenshot and an axe scan. Only colors
 * change between the schemes (same DOM), so dark mode is scanned with the color rules only.
 */
async function check(t: TestContext, page: Page, screen: string, findings: { blocking: AxeFinding[]; other: AxeFinding[] }) {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    const name = `${screen}-${scheme}`;
    const path = await screenshot(page, name);
    const r = await axeScan(page, name, scheme === 'dark' ? { rules: COLOR_RULES } : {});
    findings.blocking.push(...r.blocking);
    findings.other.push(...r.other);
    t.diagnostic(`${path}${r.other.length ? ` — axe (moderate/minor): ${r.other.map((f) => `${f.id} [${f.impact}]`).join(', ')}` : ''}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('every screen, light and dark: screenshot and axe', { timeout: 60_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const findings = { blocking: [] as AxeFinding[], other: [] as AxeFinding[] };

  // Welcome: a core with no key and no demo yet.
  const welcome = await openApp(firstRun.host);
  await welcome.page.getByTestId('welcome').waitFor();
  await check(t, welcome.page, 'welcome', findings);
  await welcome.page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await welcome.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), true, 'the page follows the emulated scheme');
  await welcome.context.close();

  const { page, problems } = await openApp(live.host);

  await go(page, 'overview');
  await page.getByTestId('overview-range-preset').selectOption('last7');
  await waitFor(async () => (await page.getByTestId('summary-row').count()) > 0, 'summary rows');
  await page.locator('[data-testid^="daily-chart-"] svg').first().waitFor();
  await check(t, page, 'overview', findings);

  await go(page, 'calls');
  await waitFor(async () => Number(await page.getByTestId('calls-table').getAttribute('data-total')) > 0, 'calls');
  await page.locator('[data-testid^="call-row-"]').first().click();
  await page.getByTestId('call-detail-badge').waitFor();
  await check(t, page, 'calls-detail', findings);
  await page.getByTestId('call-detail-close').click();

  await go(page, 'messages');
  await waitFor(async () => (await page.getByTestId('messages-total').textContent())?.endsWith('messages'), 'messages');
  await check(t, page, 'messages', findings);
  await page.locator('[data-testid^="message-row-"]').first().click();
  await page.getByTestId('message-detail').waitFor();
  await check(t, page, 'messages-detail', findings);
  await page.getByTestId('message-detail-close').click();

  // Import the rest of the account while watching it, slowly enough to catch it running.
  await go(page, 'import');
  await page.getByTestId('import-range-preset').selectOption('custom');
  await page.getByTestId('import-range-from').fill(dayInput(utcMidnightDaysAgo(0, ACCOUNT.startMs)));
  await page.getByTestId('import-range-to').fill(dayInput(NOW));
  sim.setFaults({ kind: 'slow', delayMs: 500, path: '/v2/detail_records' });
  try {
    await page.getByTestId('import-start').click();
    const card = page.getByTestId('import-progress');
    await waitFor(async () => (await card.getAttribute('data-status')) === 'running', 'a running import');
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `import-progress-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await waitFor(async () => (await card.getAttribute('data-status')) === 'completed', 'the import to complete', 30_000);
  } finally {
    sim.clearFaults();
  }
  await page.getByTestId('import-summary').waitFor();
  await check(t, page, 'import-summary', findings);

  await go(page, 'jobs');
  await page.getByTestId('jobs-process-now').click();
  await waitFor(async () => (await page.getByTestId('process-counts').getAttribute('data-has-counts')) === 'true', 'process counts', 30_000);
  await page.getByTestId('jobs-table').waitFor();
  await check(t, page, 'jobs', findings);

  await go(page, 'settings');
  await page.getByTestId('settings-form').waitFor();
  await check(t, page, 'settings', findings);

  // The export dialog (modal) over the overview.
  await go(page, 'overview');
  await page.getByTestId('export-open').click();
  await page.getByTestId('export-dialog').waitFor();
  await check(t, page, 'export-dialog', findings);

  if (findings.other.length) t.diagnostic(`axe moderate/minor findings:\n${describeFindings(findings.other)}`);
  assert.equal(findings.blocking.length, 0, `serious or critical axe violations:\n${describeFindings(findings.blocking)}`);
  assert.deepEqual(problems, []);
});
