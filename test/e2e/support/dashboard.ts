// The setup the dashboard e2e files share (issue 13): a simulated Telnyx account over real
// HTTP, the browser host in live mode against it, one sync (estimates for every ended call)
// and an import of the first half of the account (exact costs), so the ledger holds calls
// and messages in every cost state. Each test file starts its own, with its own seed.
import { existsSync } from 'node:fs';
import { before } from 'node:test';
import type Database from 'better-sqlite3';
import type { Page } from 'playwright';
import type { RunningSimulator } from '../../../electron/core/simulator/index.ts';
import { CHROMIUM, importRange, lastDayAccount, startLiveApp, utcMidnightDaysAgo, waitFor, type App } from './app.ts';
import { go, openApp, type OpenedPage } from './browser.ts';
import { readLedger } from './truth.ts';

export const NOW = Date.now();
/** What the Overview's "Last 7 days" means in the page (its context runs in UTC). */
export const LAST7 = { from: utcMidnightDaysAgo(6), to: utcMidnightDaysAgo(-1) };

export function dashboardAccount(seed: string) {
  return lastDayAccount(seed, 400, 200, NOW);
}

export interface Dashboard {
  app: App;
  sim: RunningSimulator;
  account: ReturnType<typeof dashboardAccount>;
  /** The page on the host (undefined without Chromium: the tests skip then). */
  ui: OpenedPage | undefined;
  page: Page;
  /** A read-only connection to the ledger file. */
  ledger(): Promise<Database.Database>;
}

export async function startDashboard(seed: string): Promise<Dashboard> {
  const account = dashboardAccount(seed);
  const { app, sim } = await startLiveApp(account);
  await app.call('sync.now', {});
  await importRange(app, { from: account.startMs, to: account.startMs + account.spanMs / 2 });
  const ui = existsSync(CHROMIUM) ? await openApp(app.host) : undefined;
  return {
    app,
    sim,
    account,
    ui,
    page: ui?.page as Page,
    ledger: async () => readLedger((await app.call('app.info', {})).ledgerFile),
  };
}

/**
 * The dashboard a test file's tests share: started (with `seed`) before the file's first test,
 * by a hook this registers on the file. The object is filled in then: read it inside tests.
 */
export function sharedDashboard(seed: string): Dashboard {
  const d = {} as Dashboard;
  before(async () => {
    Object.assign(d, await startDashboard(seed));
  });
  return d;
}

/** Elements among `selector` whose content is wider than their box (cut off or ellipsized). */
export async function truncated(p: Page, selector: string): Promise<string[]> {
  return p
    .locator(selector)
    .evaluateAll((els) =>
      els
        .filter((e) => e.scrollWidth > e.clientWidth + 0.5)
        .map((e) => `${e.getAttribute('data-col') ?? e.className}: "${e.textContent}" ${e.scrollWidth}>${e.clientWidth}`),
    );
}

/** True when the element shows its whole width: nothing scrolled out of sight horizontally. */
export async function fitsWidth(p: Page, selector: string): Promise<{ fits: boolean; scroll: number; client: number }> {
  return p
    .locator(selector)
    .first()
    .evaluate((e) => ({ fits: e.scrollWidth <= e.clientWidth, scroll: e.scrollWidth, client: e.clientWidth }));
}

export async function overviewLast7(p: Page): Promise<void> {
  await go(p, 'overview');
  await p.getByTestId('overview-range-preset').selectOption('last7');
  await waitFor(async () => (await p.getByTestId('summary-row').count()) > 0, 'summary rows');
}

/** The computed colour of a CSS custom property ("--bad-fg") in the current scheme. */
export function cssColor(p: Page, variable: string): Promise<string> {
  return p.evaluate((v) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${v})`;
    document.body.append(probe);
    const c = getComputedStyle(probe).color;
    probe.remove();
    return c;
  }, variable);
}
