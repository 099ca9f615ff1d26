// Time to the first dashboard paint in the browser host: the core and the web host on a
// ledger of 100,000 calls (30 days, 20 numbers, two currencies; the same fixture as
// queries.ts), Chromium opening the Overview. Per load, from navigation start:
//   first-contentful-paint (Performance API), and the summary table shown with data (the
//   first summary row in the DOM, seen by a MutationObserver installed before any script).
// Each load is a fresh browser context (empty cache, the token taken from the URL again).
// Prints median and p95 of 10 loads and the ratio to the 1 s target, and where the time goes
// (medians of each step: the HTML, the scripts and stylesheet, the app's own performance
// marks, the summary request and the core's time for it from the host's Server-Timing, and
// every API call the page made before the table showed). No assertions.
//   node --import tsx test/bench/first-paint.ts [calls] [loads]
// FIRST_PAINT_RENDERER=DIR measures another build of the renderer (e.g. an older commit's,
// built with `vite build --outDir DIR`) against the same host, core and fixture.
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
const LOADS = Number(process.argv[3] ?? 10);
const TARGET_MS = 1000;
const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER = process.env.FIRST_PAINT_RENDERER ? resolve(process.env.FIRST_PAINT_RENDERER) : join(ROOT, 'dist', 'renderer');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Installed before the page's own scripts: the moment the first summary row is in the DOM
// (React commits the table in one go, rows and all), relative to navigation start. It tells
// the bench through a binding rather than being polled: waitForSelector/waitForFunction
// inject Playwright's own script into the page, a task of 50-100 ms here that lands on the
// page's main thread while it is still starting (measured: it delayed the table it waited for).
const WATCH = `(() => {
  const seen = () => {
    if (window.__summaryAt === undefined && document.querySelector('[data-testid="summary-row"]')) {
      window.__summaryAt = performance.now();
      window.__benchSummaryShown?.();
      return true;
    }
    return false;
  };
  new MutationObserver((_, o) => { if (seen()) o.disconnect(); }).observe(document, { subtree: true, childList: true });
})()`;

interface Load {
  fcp: number;
  summary: number;
  rows: number;
  /** Milestones in ms from navigation start (NaN when absent, e.g. a build without the marks). */
  steps: Record<string, number>;
  /** The API calls made before the table showed, in order ("overview.summary", ...). */
  calls: string[];
}

// Read in the page once the table is shown. Resource Timing gives the requests (fetches
// included) and, same-origin, the host's Server-Timing; the app sets cost-desk:* marks.
const MEASURE = `(() => {
  const at = window.__summaryAt;
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource').filter((e) => e.startTime < at);
  const api = res.filter((e) => e.name.includes('/api/call/'));
  const method = (e) => decodeURIComponent(e.name.slice(e.name.indexOf('/api/call/') + 10));
  const summary = api.find((e) => method(e) === 'overview.summary');
  const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
  const assets = res.filter((e) => ['.js', '.css'].some((ext) => new URL(e.name).pathname.endsWith(ext)));
  return {
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    summary: at,
    rows: document.querySelectorAll('[data-testid="summary-row"]').length,
    calls: api.map(method),
    steps: {
      'html received': nav.responseEnd,
      'scripts + stylesheet received': assets.length ? Math.max(...assets.map((e) => e.responseEnd)) : NaN,
      'first paint': performance.getEntriesByName('first-paint')[0]?.startTime ?? NaN,
      'first contentful paint': performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      'boot module ran (mark)': mark('cost-desk:boot'),
      'first api call sent': api.length ? Math.min(...api.map((e) => e.startTime)) : NaN,
      'summary request sent': summary?.startTime ?? NaN,
      'summary answered': summary?.responseEnd ?? NaN,
      '  core time for it (Server-Timing)': summary?.serverTiming?.find((t) => t.name === 'core')?.duration ?? NaN,
      'app chunk evaluated (mark)': mark('cost-desk:app-loaded'),
      'first React commit (mark)': mark('cost-desk:app-rendered'),
      'summary table in the DOM': at,
    },
  };
})()`;

function printBreakdown(loads: Load[]): void {
  console.log('  where the time goes (median per step, ms from navigation start):');
  for (const step of Object.keys(loads[0]?.steps ?? {})) {
    const xs = loads.map((l) => l.steps[step] ?? NaN).filter((x) => Number.isFinite(x));
    console.log(`    ${step.padEnd(36)} ${xs.length ? median(xs).toFixed(0).padStart(5) : '    -'}`);
  }
}

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
      const loads: Load[] = [];
      for (let k = 0; k < LOADS + 1; k++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC' });
        await context.addInitScript(WATCH);
        let signal = () => {};
        const shown = new Promise<void>((resolve) => (signal = resolve));
        await context.exposeBinding('__benchSummaryShown', () => signal());
        const page = await context.newPage();
        await page.goto(host.url, { waitUntil: 'commit' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([shown, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no summary row within 30 s')), 30_000)))]);
        clearTimeout(timer);
        const m = (await page.evaluate(MEASURE)) as Load;
        await context.close();
        if (k === 0) continue; // warm-up: the core's first queries fill SQLite's page cache
        loads.push(m);
        console.log(
          `  load ${String(k).padStart(2)}: first-contentful-paint ${m.fcp.toFixed(0).padStart(5)} ms, summary table with data ${m.summary.toFixed(0).padStart(5)} ms (${m.rows} rows; api calls before it: ${m.calls.join(', ')})`,
        );
      }
      const fcp = loads.map((l) => l.fcp);
      const summary = loads.map((l) => l.summary);
      console.log(
        `node ${process.version}, ${browser.version()}, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}; ${LOADS} loads after 1 warm-up`,
      );
      console.log(
        `  first-contentful-paint     median ${median(fcp).toFixed(0).padStart(5)} ms, p95 ${p95(fcp).toFixed(0).padStart(5)} ms, ratio to ${TARGET_MS} ms ${(median(fcp) / TARGET_MS).toFixed(2)}`,
      );
      console.log(
        `  summary table with data    median ${median(summary).toFixed(0).padStart(5)} ms, p95 ${p95(summary).toFixed(0).padStart(5)} ms, ratio to ${TARGET_MS} ms ${(median(summary) / TARGET_MS).toFixed(2)}`,
      );
      printBreakdown(loads);
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
