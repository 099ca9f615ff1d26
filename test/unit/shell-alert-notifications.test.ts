// Desktop notifications for spend alerts, on a real core: alerts open at start are not news;
// a write that fires one announces it (ledger.changed, 'alerts'), and exactly the new firings
// are shown, at most three and then "and N more".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { parseMoney } from '../../shared/money.ts';
import { notifyNewAlerts } from '../../electron/desktop/alert-notifications.ts';
import { bookExactUsd, insertEndedCalls, oneMinuteCall } from '../helpers/seed-calls.ts';
import { openTestCore } from '../helpers/core.ts';

test('new spend alerts become desktop notifications, once each', async () => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  const core = await openTestCore({ clock });
  const ledger = core.runtime.session().ledger;
  let n = 0;
  const book = (amount: string) => {
    const leg = `n-${n++}`;
    const at = Date.UTC(2026, 1, 20, 10, n);
    const ids = insertEndedCalls(ledger, [oneMinuteCall(leg, at)], clock.now());
    bookExactUsd(ledger, ids, parseMoney(amount));
  };
  await core.api['alerts.addRule']({ kind: 'call_cost', currency: 'USD', threshold: '1', enabled: true });
  book('2.00'); // open before the app starts: not news
  const shown: string[] = [];
  const notifier = notifyNewAlerts({ events: core.events, api: core.api, show: (title, body) => shown.push(`${title}: ${body}`) });
  await notifier.ready;
  const settle = () => new Promise((r) => setTimeout(r, 50));

  book('0.50'); // below the threshold: nothing
  book('3.25');
  await settle();
  assert.deepEqual(shown, ['Cost Desk alert: A call of +15550007777 on 2026-02-20 cost 3.25 USD (threshold 1.00)']);

  // Five in one go (the writes run before any announcement is handled): three, then the rest.
  for (const a of ['4', '5', '6', '7', '8']) book(a);
  await settle();
  assert.deepEqual(
    shown.slice(1).map((s) => s.replace(/ on 2026-02-20 cost (\d+)\.00 USD \(threshold 1\.00\)$/, ' $1')),
    [
      'Cost Desk alert: A call of +15550007777 4',
      'Cost Desk alert: A call of +15550007777 5',
      'Cost Desk alert: A call of +15550007777 6',
      'Cost Desk alerts: and 2 more on the Alerts screen',
    ],
  );
  notifier.stop();
  book('9');
  await settle();
  assert.equal(shown.length, 5, 'stopped');
  await core.close();
});
