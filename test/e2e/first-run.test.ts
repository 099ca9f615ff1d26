// First run in the browser host: no API key, so the Overview is the welcome panel. "Explore
// with demo data" switches the core to demo mode (its own simulator and ledger), the DEMO
// DATA badge appears, and after the first sync the dashboard shows the demo account.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haveChromium, startApp, waitFor } from './support/app.ts';
import { go, openApp, screenshot } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

test('first run: the welcome panel starts demo mode and the dashboard fills', { timeout: 60_000 }, async (t) => {
  if (!haveChromium(t)) return;
  // The loops run as in the real app: demo mode syncs by itself.
  const app = await startApp({ autoStart: true, demoCalls: 300 });
  const { page, problems } = await openApp(app.host);

  const badge = page.getByTestId('mode-badge');
  assert.equal(await badge.getAttribute('data-mode'), 'unconfigured');
  await page.getByTestId('welcome').waitFor();
  assert.equal(await page.getByTestId('demo-start').textContent(), 'Explore with demo data');
  assert.equal(await page.getByTestId('sync-now').isDisabled(), true, 'nothing to sync without a key');

  await page.getByTestId('demo-start').click();
  await waitFor(async () => (await badge.getAttribute('data-mode')) === 'demo', 'demo mode');
  assert.equal(await badge.textContent(), 'DEMO DATA');
  await page.getByTestId('screen-overview').waitFor();
  assert.match(await page.title(), /\(demo data\)$/);
  const info = await app.call('app.info', {});
  assert.equal(info.mode, 'demo');
  assert.match(info.ledgerFile, /demo-ledger\.db$/, 'demo data lives in its own ledger');

  // The first sync runs as soon as demo mode starts; the Overview reloads on ledger.changed.
  const rows = page.getByTestId('summary-row');
  await waitFor(async () => (await rows.count()) > 0, 'summary rows', 30_000);
  await waitFor(async () => (await page.getByTestId('sync-summary').textContent())?.startsWith('Last sync'), 'the first sync');
  const db = readLedger(info.ledgerFile);
  const numbers = Number(db.prepare('SELECT COUNT(DISTINCT our_number) FROM calls').pluck().get());
  const calls = Number(db.prepare('SELECT COUNT(*) FROM calls').pluck().get());
  assert.ok(calls > 10, `${calls} demo calls synced`);
  await waitFor(async () => (await rows.count()) >= numbers, `a row for each of the ${numbers} numbers`);
  const shown = (await rows.locator('td:nth-child(3)').allTextContents()).reduce((s, c) => s + Number(c.replace(/,/g, '')), 0);
  assert.ok(shown > 0 && shown <= calls, `${shown} calls in the last 7 days of ${calls}`);
  await screenshot(page, 'e2e-demo-overview');

  await go(page, 'calls');
  await waitFor(async () => Number(await page.getByTestId('calls-table').getAttribute('data-total')) > 0, 'demo calls listed');
  assert.deepEqual(problems, []);
});
