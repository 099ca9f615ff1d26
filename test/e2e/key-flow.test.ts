// The key flow (issue 13, point 9): a key is tested against Telnyx (the simulator over real
// HTTP) before it is saved and the answer is shown; a rejected key is not kept; leaving demo
// mode asks first (a modal dialog, Escape/cancel keeps the demo); switching modes never puts
// "The database connection is not open" on screen.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright';
import { startSimulator } from '../../electron/core/simulator/index.ts';
import { CHROMIUM, haveChromium, onClose, startApp, waitFor, type App } from './support/app.ts';
import { axeScan, describeFindings, go, openApp, screenshot, type OpenedPage } from './support/browser.ts';

let app: App;
let ui: OpenedPage | undefined;
let page: Page;
let apiKey = '';

/** Every text that ever appears on the page (a closed ledger's message may flash by). */
async function watchTexts(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as { seenTexts: string[] };
    w.seenTexts = [];
    new MutationObserver(() => w.seenTexts.push(document.body.innerText)).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}
const seenTexts = (p: Page) => p.evaluate(() => (window as unknown as { seenTexts: string[] }).seenTexts.join('\n'));

describe('the key flow', { concurrency: false }, () => {
  before(async () => {
    app = await startApp();
    const sim = await startSimulator({ seed: 'e2e-key-flow', calls: 40, messages: 10, startMs: Date.now() - 6 * 3_600_000, spanMs: 3 * 3_600_000 });
    onClose(() => sim.close());
    apiKey = sim.apiKey;
    await app.call('settings.update', { apiBaseUrl: sim.baseUrl });
    if (existsSync(CHROMIUM)) {
      ui = await openApp(app.host, { waitForApp: false });
      page = ui.page;
      await page.getByTestId('welcome').waitFor();
      await watchTexts(page);
    }
  });
  after(() => ui?.context.close());

  test('a rejected key is said so and not kept; a good one is checked with Telnyx, then saved', { timeout: 60_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await page.getByTestId('welcome-enter-key').click();
    await page.getByTestId('screen-settings').waitFor();
    await page.getByTestId('settings-api-key').fill('KEY0WRONGWRONGWRONG');
    await page.getByTestId('settings-save-key').click();
    await page.getByTestId('settings-key-error').waitFor();
    assert.equal(await page.getByTestId('api-key-status').getAttribute('data-set'), 'false', 'a rejected key is not kept');
    assert.equal((await app.call('settings.get', {})).apiKeySet, false);
    await page.getByTestId('settings-api-key').fill(apiKey);
    await page.getByTestId('settings-save-key').click();
    const outcome = page.getByTestId('settings-key-outcome');
    await waitFor(async () => ((await outcome.textContent()) ?? '').includes('API key saved'), 'the key saved');
    assert.equal(await outcome.textContent(), 'Checked with Telnyx: Telnyx accepted the key. API key saved.');
    assert.equal(await page.getByTestId('api-key-status').getAttribute('data-set'), 'true');
    assert.equal((await app.call('app.info', {})).mode, 'live');
    await screenshot(page, 'e2e-key-flow-saved');
    const r = await axeScan(page, 'key-flow-saved');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
  });

  test('leaving demo mode asks first; switching never shows a closed ledger', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    await go(page, 'settings');
    await page.getByTestId('settings-demo-start').click();
    await waitFor(async () => (await app.call('app.info', {})).mode === 'demo', 'demo mode');
    await page.getByTestId('demo-stop').waitFor();
    await page.getByTestId('demo-stop').click();
    const dialog = page.getByTestId('leave-demo');
    await dialog.waitFor();
    assert.equal(await dialog.evaluate((d) => (d as HTMLDialogElement).open), true);
    await screenshot(page, 'e2e-key-flow-leave-demo');
    const r = await axeScan(page, 'key-flow-leave-demo');
    assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await app.call('app.info', {})).mode, 'demo', 'Escape keeps the demo');
    await page.getByTestId('demo-stop').click();
    await page.getByTestId('leave-demo-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await app.call('app.info', {})).mode, 'demo', 'cancel keeps the demo');
    await page.getByTestId('demo-stop').click();
    await page.getByTestId('leave-demo-confirm').click();
    await waitFor(async () => (await app.call('app.info', {})).mode === 'live', 'back to live');
    await page.getByTestId('settings-demo-start').waitFor();
    // Around both switches, every screen of the app was asked for its data again.
    for (const s of ['overview', 'calls', 'messages', 'jobs'] as const) await go(page, s);
    assert.doesNotMatch(await seenTexts(page), /database connection is not open/i);
    assert.deepEqual(
      ui!.problems.filter((p) => /not open/i.test(p)),
      [],
    );
  });
});

describe('a network error in the key flow', { concurrency: false }, () => {
  test('is one readable line with the action to take, wherever it shows', { timeout: 90_000 }, async (t) => {
    if (!haveChromium(t)) return;
    const app = await startApp();
    // A loopback port nothing listens on: the connection is refused, as when offline.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await app.call('settings.update', { apiBaseUrl: `http://127.0.0.1:${port}/v2` });
    const ui = await openApp(app.host, { waitForApp: false });
    const page = ui.page;
    try {
      await page.getByTestId('welcome-enter-key').click();
      await page.getByTestId('screen-settings').waitFor();
      await page.getByTestId('settings-api-key').fill('KEY0123456789ABCDEFGHIJ');
      await page.getByTestId('settings-save-key').click();
      const outcome = page.getByTestId('settings-key-outcome');
      await waitFor(async () => ((await outcome.textContent()) ?? '').includes('API key saved'), 'the key saved unchecked');
      await page.getByTestId('sync-now').click();
      const syncError = page.getByTestId('sync-error');
      await syncError.waitFor();
      assert.equal(
        (await outcome.innerText()).trim(),
        'API key saved without a check. Telnyx could not be reached to check it (connection refused): check your internet connection and the API base URL in Settings; it is checked again at the next sync.',
      );
      // A warning, not a success.
      assert.equal(await outcome.locator('.notice-warn').count(), 1);
      assert.equal(
        (await syncError.innerText()).trim(),
        'Telnyx could not be reached (connection refused): check your internet connection and the API base URL in Settings.',
      );
      // The request and the cause code stay on hover.
      assert.match((await syncError.getAttribute('title')) ?? '', /ECONNREFUSED/);
      // One line on screen at 1440 px: the status line's error is one line box high.
      const lines = await syncError.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
      assert.equal(lines, 1, 'the sync error takes one line');
      await screenshot(page, 'e2e-key-flow-network-error');
      const r = await axeScan(page, 'key-flow-network-error');
      assert.equal(r.blocking.length, 0, `axe found serious/critical problems:\n${describeFindings(r.blocking)}`);
    } finally {
      await ui.context.close();
    }
  });
});
