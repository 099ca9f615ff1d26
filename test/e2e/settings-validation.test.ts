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

  // Typed into the form's fields (test id settings-<field>), then Save.
  const saveTyped = async (typed: Record<'rate-first' | 'rate-next' | 'rate-currency' | 'rate-inbound' | 'retry-schedule', string>) => {
    for (const [field, text] of Object.entries(typed)) await page.getByTestId(`settings-${field}`).fill(text);
    await page.getByTestId('settings-save').click();
  };
  await saveTyped({ 'rate-first': 'abc', 'rate-next': '7200', 'rate-currency': 'U5', 'rate-inbound': '0,01', 'retry-schedule': '0.5s, 2m' });

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
  await saveTyped({ 'rate-first': '6', 'rate-next': '6', 'rate-currency': 'USD', 'rate-inbound': '0.01', 'retry-schedule': '5s, 30s' });
  await page.getByTestId('settings-saved').filter({ hasText: 'Settings saved.' }).waitFor();
  assert.equal(await page.locator('.field-error').count(), 0);
  const after = await app.call('settings.get', {});
  assert.deepEqual(
    [after.rates.firstIncrementSec, after.rates.nextIncrementSec, after.rates.inboundPerMinute, after.retryScheduleMs],
    [6, 6, '0.01', [5000, 30000]],
  );
  assert.deepEqual(problems, []);
});
