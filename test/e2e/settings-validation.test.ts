// Settings validation comes from the contract, not from rules copied into the form: the page
// sends what was typed, the core's dispatch answers each broken rule with its field path, and
// the form marks those fields with the contract's own messages (real Chromium, browser host
// over real HTTP, where NaN travels as JSON null).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haveChromium, startApp } from './support/app.ts';
import { go, openApp } from './support/browser.ts';

test('settings: the core names each broken rule and the form marks that field', { timeout: 60_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const app = await startApp();
  await app.call('demo.start', {});
  const { page, problems } = await openApp(app.host);
  await go(page, 'settings');
  const before = await app.call('settings.get', {});

  await page.getByTestId('settings-rate-first').fill('abc');
  await page.getByTestId('settings-rate-next').fill('7200');
  await page.getByTestId('settings-rate-currency').fill('U5');
  await page.getByTestId('settings-rate-inbound').fill('0,01');
  await page.getByTestId('settings-retry-schedule').fill('0.5s, 2m');
  await page.getByTestId('settings-save').click();

  const error = (id: string) => page.locator(`#set-${id}-error`);
  await error('first').waitFor();
  assert.equal(await error('first').textContent(), 'Whole seconds, 1–3600');
  assert.equal(await error('next').textContent(), 'Whole seconds, 1–3600');
  assert.equal(await error('currency').textContent(), 'A three-letter currency code, e.g. USD');
  assert.equal(await error('inbound').textContent(), 'A decimal amount per minute, e.g. 0.0035');
  assert.equal(await error('schedule').textContent(), 'Each delay from 1 second to 24 hours');
  assert.equal(await page.getByTestId('settings-rate-first').getAttribute('aria-invalid'), 'true');
  assert.match((await page.getByTestId('settings-error').textContent()) ?? '', /Some settings need fixing/);
  assert.deepEqual(await app.call('settings.get', {}), before, 'a rejected patch changes nothing');

  // Fixed: saved, and the marks are gone.
  await page.getByTestId('settings-rate-first').fill('6');
  await page.getByTestId('settings-rate-next').fill('6');
  await page.getByTestId('settings-rate-currency').fill('USD');
  await page.getByTestId('settings-rate-inbound').fill('0.01');
  await page.getByTestId('settings-retry-schedule').fill('5s, 30s');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('settings-saved').filter({ hasText: 'Settings saved.' }).waitFor();
  assert.equal(await page.locator('.field-error').count(), 0);
  const after = await app.call('settings.get', {});
  assert.deepEqual(
    [after.rates.firstIncrementSec, after.rates.nextIncrementSec, after.rates.inboundPerMinute, after.retryScheduleMs],
    [6, 6, '0.01', [5000, 30000]],
  );
  assert.deepEqual(problems, []);
});
