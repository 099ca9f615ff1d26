// Chromium for the e2e tests (Debian's /usr/bin/chromium through the Playwright library),
// pages opened on the browser host, screenshots and axe scans.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright';
import { CHROMIUM, ROOT, onClose, startLiveApp, type App } from './app.ts';
import type { RunningSimulator, SimulatorOptions } from '../../../electron/core/simulator/index.ts';
import type { WebHost } from '../../../electron/web/server.ts';

export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

let shared: Promise<Browser> | null = null;

/** One browser per test file, closed when the file is done. */
export function browser(): Promise<Browser> {
  if (!shared) {
    shared = chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    const b = shared;
    onClose(async () => (await b).close());
  }
  return shared;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  problems: string[];
}

/**
 * A fresh context (own sessionStorage: the token is taken from the URL again) on the host's
 * address. Times show in UTC so date inputs and ranges are the same on every machine.
 */
export async function openApp(
  host: Pick<WebHost, 'url'>,
  o: { colorScheme?: 'light' | 'dark'; path?: string; waitForApp?: boolean; timezoneId?: string } = {},
): Promise<OpenedPage> {
  const b = await browser();
  const context = await b.newContext({
    viewport: { width: 1440, height: 900 },
    colorScheme: o.colorScheme ?? 'light',
    timezoneId: o.timezoneId ?? 'UTC',
    locale: 'en-US',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(o.path ? `${host.url}${o.path}` : host.url);
  if (o.waitForApp ?? true) await page.getByTestId('mode-badge').waitFor();
  return { context, page, problems };
}

/** Clicks a nav link and waits for that screen (or the welcome panel on first run). */
export async function go(page: Page, route: 'overview' | 'calls' | 'messages' | 'import' | 'jobs' | 'alerts' | 'statements' | 'settings'): Promise<void> {
  await page.getByTestId(`nav-${route}`).click();
  await page.locator(`[data-testid="screen-${route}"], [data-testid="welcome"]`).first().waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // No animations or blinking caret in the picture.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

export interface AxeFinding {
  screen: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core (every rule: WCAG 2.x A/AA and best practices) on the page as it is now. axe is
 * injected once per page (the app is one document) rather than per scan as AxeBuilder does:
 * on a two-core machine re-injecting it cost ~1 s a scan, and asking only for violations
 * keeps a scan of a big table around a second. `rules` limits the scan to those rules.
 */
export async function axeScan(page: Page, screen: string, o: { rules?: readonly string[] } = {}): Promise<{ blocking: AxeFinding[]; other: AxeFinding[] }> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const options = { resultTypes: ['violations'], ...(o.rules ? { runOnly: { type: 'rule', values: o.rules } } : {}) };
  const r = (await page.evaluate(`window.axe.run(document, ${JSON.stringify(options)})`)) as AxeResults;
  const all = r.violations.map((v) => ({
    screen,
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
  }));
  return {
    blocking: all.filter((f) => f.impact === 'serious' || f.impact === 'critical'),
    other: all.filter((f) => f.impact !== 'serious' && f.impact !== 'critical'),
  };
}

export function describeFindings(findings: AxeFinding[]): string {
  return findings.map((f) => `${f.screen}: [${f.impact}] ${f.id} — ${f.help} (${f.targets.join(' | ')})`).join('\n');
}

/** The axe rules a dark-scheme scan runs: only colours change between the schemes (same DOM). */
export const DARK_RULES = ['color-contrast', 'link-in-text-block'] as const;

/**
 * The page as it is now in the light then the dark scheme: a screenshot (`name-scheme`, its path
 * a diagnostic) and an axe scan of each, the dark one with `darkRules` only; serious and critical
 * findings are added to `findings`, the others reported as a diagnostic. Ends in the light scheme.
 */
export async function shotsAndAxeBothSchemes(
  t: TestContext,
  page: Page,
  name: string,
  findings: AxeFinding[],
  darkRules: readonly string[] = DARK_RULES,
): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    t.diagnostic(await screenshot(page, `${name}-${scheme}`));
    const r = await axeScan(page, `${name}-${scheme}`, scheme === 'dark' ? { rules: darkRules } : {});
    findings.push(...r.blocking);
    if (r.other.length) t.diagnostic(`axe (moderate/minor): ${describeFindings(r.other)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The page in the dark scheme: a screenshot named `shot` and an axe scan of every rule (`screen`), then back to light. */
export async function darkShotAndAxe(page: Page, shot: string, screen: string): Promise<{ blocking: AxeFinding[]; other: AxeFinding[] }> {
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, shot);
  const r = await axeScan(page, screen);
  await page.emulateMedia({ colorScheme: 'light' });
  return r;
}

/** The first rows (at most `max`, once one is there) of a table whose rows' test ids are `${prefix}${id}`, each with its id. */
export async function firstRows(page: Page, prefix: string, max: number): Promise<Array<{ row: Locator; id: string }>> {
  const rows = page.locator(`[data-testid^="${prefix}"]`);
  await rows.first().waitFor();
  const out: Array<{ row: Locator; id: string }> = [];
  for (let i = 0; i < Math.min(await rows.count(), max); i++) {
    const row = rows.nth(i);
    out.push({ row, id: (await row.getAttribute('data-testid'))!.slice(prefix.length) });
  }
  return out;
}

/** A started app in live mode against a simulator of `account`, open in a fresh page. */
export async function openLiveApp(account: SimulatorOptions): Promise<OpenedPage & { app: App; sim: RunningSimulator }> {
  const { app, sim } = await startLiveApp(account);
  return { app, sim, ...(await openApp(app.host)) };
}
