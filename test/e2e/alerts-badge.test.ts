// The nav's alert badge in Chromium: the number of fired alerts not acknowledged, kept up to
// date by the query cache's invalidation (ledger.changed with the 'alerts' topic) while the
// user stays on another screen: alerts firing as an import lands, one acknowledged by another
// client, one on the Alerts screen. Counts from the ledger file itself; screenshots; axe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haveChromium, importRange, JANUARY_START, januaryAccount, waitFor } from './support/app.ts';
import { describeFindings, go, openLiveApp, shotsAndAxeBothSchemes, type AxeFinding } from './support/browser.ts';
import { readLedger } from './support/truth.ts';

const START = JANUARY_START;
const ACCOUNT = januaryAccount('e2e-alerts', 300, 50, 3);

test('nav badge: open alerts counted as they fire and as they are acknowledged, without a reload', { timeout: 90_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const { app, page, problems } = await openLiveApp(ACCOUNT);
  const badge = page.getByTestId('nav-alerts-badge');
  await go(page, 'calls');
  assert.equal(await badge.count(), 0, 'no badge while nothing fired');
  let loads = 0;
  page.on('load', () => loads++);

  // A rule, then costs landing: the badge shows what fired, while the user is on Calls.
  await app.call('alerts.addRule', { kind: 'call_cost', currency: 'USD', threshold: '0.30' });
  await importRange(app, { from: START, to: START + 5 * 86_400_000 });
  const db = readLedger((await app.call('app.info', {})).ledgerFile);
  const open = () => Number(db.prepare('SELECT COUNT(*) FROM alert_firings WHERE acknowledged_at IS NULL').pluck().get());
  const fired = open();
  assert.ok(fired >= 2, `${fired} alerts fired`);
  // No badge at all once none is open.
  const shows = (n: number) =>
    waitFor(
      async () => (n === 0 ? (await badge.count()) === 0 : (await badge.count()) === 1 && (await badge.textContent()) === `${n} not acknowledged`),
      `the badge shows ${n}`,
    );
  await shows(fired);
  assert.equal(await page.getByTestId('nav-alerts').getAttribute('aria-current'), null, 'still on Calls');

  const findings: AxeFinding[] = [];
  await shotsAndAxeBothSchemes(t, page, 'nav-alerts-badge', findings, ['color-contrast']);

  // Acknowledged by another client (the CLI, a second window): the change event refreshes it.
  const first = (await app.call('alerts.list', { unacknowledgedOnly: true })).firings[0]!;
  await app.call('alerts.acknowledge', { id: first.id });
  assert.equal(open(), fired - 1);
  await shows(fired - 1);

  // Acknowledged on the Alerts screen: the badge follows at once.
  await go(page, 'alerts');
  await page.getByTestId('alert-ack').first().click();
  await shows(fired - 2);
  assert.equal(open(), fired - 2);
  db.close();
  assert.equal(loads, 0, 'no page reload');
  assert.equal(findings.length, 0, `serious or critical axe violations:\n${describeFindings(findings)}`);
  assert.deepEqual(problems, []);
});
