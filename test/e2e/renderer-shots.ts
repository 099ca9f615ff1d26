// Renderer smoke helper (not a test file): screenshots every screen in light and dark and
// runs axe on each. Two ways to run it:
//   tsx test/e2e/renderer-shots.ts                 # builds the --mode mock bundle, serves it
//                                                  # with the product CSP, uses the dev mock
//   tsx test/e2e/renderer-shots.ts 'http://127.0.0.1:PORT/?token=T'   # a running browser host
// Output: test-results/renderer/*.png and a summary of axe serious/critical violations.
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright';
import { AxeBuilder } from '@axe-core/playwright';

const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test-results/renderer');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

export function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    res.end(readFileSync(file));
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      ok({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/` });
    }),
  );
}

async function scan(page: Page, name: string, problems: string[]) {
  const r = await new AxeBuilder({ page }).analyze();
  for (const v of r.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      problems.push(
        `${name}: [${v.impact}] ${v.id} — ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')})`,
      );
    } else {
      console.log(`  (minor) ${name}: ${v.id} ${v.impact}`);
    }
  }
}

async function main() {
  const given = process.argv[2];
  let base = given;
  let server: Server | null = null;
  if (!base) {
    execFileSync('npx', ['vite', 'build', '--mode', 'mock', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    const s = await serveStatic(join(root, 'dist-mock/renderer'));
    server = s.server;
    base = `${s.url}?mock&mode=${process.env.MOCK_MODE ?? 'demo'}`;
  }
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const problems: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(base);
    await page.waitForSelector('[data-testid="mode-badge"]');
    for (const route of ['overview', 'calls', 'messages', 'import', 'jobs', 'settings']) {
      await page.click(`[data-testid="nav-${route}"]`);
      await page.waitForSelector(`[data-testid="screen-${route}"], [data-testid="welcome"]`);
      await page.waitForTimeout(700);
      await page.screenshot({ path: join(out, `${route}-${scheme}.png`) });
      await scan(page, `${route}/${scheme}`, problems);
    }
    // Calls detail panel
    await page.click('[data-testid="nav-calls"]');
    await page.waitForSelector('[data-testid^="call-row-"]');
    await page.locator('[data-testid^="call-row-"]').first().click();
    await page.waitForSelector('[data-testid="call-detail-history"], [data-testid="call-detail"] .muted');
    await page.click('[data-testid="refetch-cost"]');
    await page.waitForSelector('[data-testid="refetch-outcome"] .outcome');
    await page.screenshot({ path: join(out, `calls-detail-${scheme}.png`) });
    await scan(page, `calls-detail/${scheme}`, problems);
    await page.keyboard.press('Escape');
    // Export dialog
    await page.click('[data-testid="nav-overview"]');
    const exportOpen = page.locator('[data-testid="export-open"]');
    if (await exportOpen.count()) {
      await exportOpen.click();
      await page.waitForSelector('[data-testid="export-dialog"]');
      await page.screenshot({ path: join(out, `export-${scheme}.png`) });
      await scan(page, `export/${scheme}`, problems);
      await page.keyboard.press('Escape');
    }
    await ctx.close();
  }
  await browser.close();
  server?.close();
  console.log(problems.length ? `PROBLEMS:\n${problems.join('\n')}` : 'no serious/critical axe violations, no console errors');
  process.exitCode = problems.some((p) => p.includes('[serious]') || p.includes('[critical]') || p.startsWith('page error')) ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
