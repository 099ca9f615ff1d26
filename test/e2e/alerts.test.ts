// Alerts in Chromium: a rule added on the screen, costs landing from an import over HTTP
// fire it, the Alerts screen lists exactly the ledger's firings, and Acknowledge takes one
// off the open count; screenshots and an axe scan, light and dark.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haveChromium, importRange, JANUARY_START, januaryAccount, waitFor } from './support/app.ts';
import { describeFindings, go, openLiveApp, shotsAndAxeBothSchemes, type AxeFinding } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const START = JANUARY_START;
const ACCOUNT = januaryAccount('e2e-alerts', 300, 50, 3);

test('Alerts: a rule from the screen fires as an import lands; acknowledge one', { timeout: 90_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const { app, page, problems } = await openLiveApp(ACCOUNT);
  const findings: AxeFinding[] = [];
  const check = (name: string) => shotsAndAxeBothSchemes(t, page, name, findings);

  await go(page, 'alerts');
  await page.getByTestId('alerts-none').waitFor();
  await page.getByTestId('rule-kind').selectOption('call_cost');
  await page.getByTestId('rule-threshold').fill('0.30');
  await page.getByTestId('rule-currency').fill('USD');
  await page.getByTestId('rule-add').click();
  await waitFor(async () => (await page.getByTestId('alert-rule').count()) === 1, 'the rule listed');
  assert.match((await page.getByTestId('alert-rule').textContent()) ?? '', /One call costing more than 0\.30 USD · every number/);

  await importRange(app, { from: START, to: START + 5 * 86_400_000 });

  // What must fire: every USD call booked above 0.30, from the ledger file itself.
  const db = readLedger((await app.call('app.info', {})).ledgerFile);
  const costly = Number(
    db
      .prepare(
        "SELECT COUNT(*) FROM calls WHERE COALESCE(exact_nanos, estimated_nanos) > 300000000 AND (CASE WHEN exact_nanos IS NOT NULL THEN currency ELSE estimate_currency END) = 'USD'",
      )
      .pluck()
      .get(),
  );
  db.close();
  assert.ok(costly >= 2, `${costly} calls above 0.30 USD`);
  await waitFor(async () => (await page.getByTestId('alerts-open').textContent()) === `${costly} not acknowledged`, `${costly} open alerts on screen`);
  assert.equal(await page.getByTestId('alert-row').count(), costly);
  assert.match((await page.getByTestId('alert-summary').first().textContent()) ?? '', /^A call of \+\d+ on 2026-01-0\d cost \d+\.\d+ USD \(threshold 0\.30\)$/);
  await check('alerts');

  await page.getByTestId('alert-ack').first().click();
  await waitFor(async () => (await page.getByTestId('alerts-open').textContent()) === `${costly - 1} not acknowledged`, 'one acknowledged');
  assert.equal(await page.locator('[data-testid="alert-row"][data-open="false"]').count(), 1);
  assert.equal((await app.call('alerts.list', { unacknowledgedOnly: true })).unacknowledged, costly - 1);
  await check('alerts-acknowledged');

  assert.equal(findings.length, 0, `serious or critical axe violations:\n${describeFindings(findings)}`);
  assert.deepEqual(problems, []);
});
