// Time to the first dashboard paint in the browser host: the core and the web host on a
// ledger of 100,000 calls (30 days, 20 numbers, two currencies; the same fixture as
// queries.ts), Chromium opening the Overview. Per load, from navigation start:
//   first-contentful-paint (Performance API), and the summary table shown with data (the
//   first summary row in the DOM, seen by a MutationObserver installed before any script).
// Each load is a fresh browser context (empty cache, the token taken from the URL again).
// Prints median and p95 of 10 loads and the ratio to the 1 s target. No assertions.
//   node --import tsx test/bench/first-paint.ts [calls]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright';
import { createCore } from '../../electron/core/index.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { memorySecretStore } from '../../electron/core/runtime/secret-store.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { buildRenderer, rendererBuilt } from '../../electron/web/renderer-build.ts';
import { startWebHost } from '../../electron/web/server.ts';
import { buildCalls, median, p95 } from './queries.ts';

const CALLS = Number(process.argv[2] ?? 100_000);
const LOADS = 10;
const TARGET_MS = 1000;
const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER = join(ROOT, 'dist', 'renderer');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Installed before the page's own scripts: the moment the first summary row is in the DOM
// (React commits the table in one go, rows and all), relative to navigation start.
const WATCH = `(() => {
  const seen = () => {
    if (window.__summaryAt === undefined && document.querySelector('[data-testid="summary-row"]')) {
      window.__summaryAt = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, o) => { if (seen()) o.disconnect(); }).observe(document, { subtree: true, childList: true });
})()`;

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`first-paint: skipped, no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM)`);
    return;
  }
  if (!rendererBuilt(RENDERER)) {
    const failed = buildRenderer(ROOT);
    if (failed) throw new Error(`could not build the renderer: ${failed}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cost-desk-bench-paint-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    // The fixture goes into the live ledger before the core opens it; a key makes it live
    // mode (the Overview, not the welcome panel). No loops: nothing talks to Telnyx.
    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    const f = buildCalls(ledger, CALLS, Date.now());
    ledger.close();
    console.log(`fixture: ${CALLS.toLocaleString('en-US')} calls over 30 days in ${(f.ms / 1000).toFixed(1)} s`);
    const core = await createCore({
      dataDir: dir,
      secrets: memorySecretStore('KEYBENCH0000000000000000000000_first_paint'),
      host: 'web',
      logger: silentLogger(),
      autoStart: false,
    });
    const host = await startWebHost({ core, rendererDir: RENDERER });
    try {
      const loads: Array<{ fcp: number; summary: number; rows: number }> = [];
      for (let k = 0; k < LOADS + 1; k++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });
        await context.addInitScript(WATCH);
        const page = await context.newPage();
        await page.goto(host.url);
        await page.waitForSelector('[data-testid="summary-row"]', { timeout: 30_000 });
        await page.waitForFunction('window.__summaryAt !== undefined');
        const m = (await page.evaluate(`({
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          summary: window.__summaryAt,
          rows: document.querySelectorAll('[data-testid="summary-row"]').length,
        })`)) as { fcp: number; summary: number; rows: number };
        await context.close();
        if (k === 0) continue; // warm-up: the core's first queries fill SQLite's page cache
        loads.push(m);
        console.log(`  load ${String(k).padStart(2)}: first-contentful-paint ${m.fcp.toFixed(0).padStart(5)} ms, summary table with data ${m.summary.toFixed(0).padStart(5)} ms (${m.rows} rows)`);
      }
      const fcp = loads.map((l) => l.fcp);
      const summary = loads.map((l) => l.summary);
      console.log(`node ${process.version}, ${browser.version()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${LOADS} loads after 1 warm-up`);
      console.log(`  first-contentful-paint     median ${median(fcp).toFixed(0).padStart(5)} ms, p95 ${p95(fcp).toFixed(0).padStart(5)} ms, ratio to ${TARGET_MS} ms ${(median(fcp) / TARGET_MS).toFixed(2)}`);
      console.log(`  summary table with data    median ${median(summary).toFixed(0).padStart(5)} ms, p95 ${p95(summary).toFixed(0).padStart(5)} ms, ratio to ${TARGET_MS} ms ${(median(summary) / TARGET_MS).toFixed(2)}`);
    } finally {
      await host.close();
      await core.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
