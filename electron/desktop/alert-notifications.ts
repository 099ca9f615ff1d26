// Desktop notifications for spend alerts (the Electron host): when a write announces that
// alerts fired (ledger.changed with the 'alerts' topic), the firings newer than the last one
// shown become notifications, at most three at once and then one "and N more".
import type { EventBus } from '../core/api/types.ts';
import type { CoreApi } from '../core/api/types.ts';
import type { EventPayload } from '../../shared/contract.ts';

export interface AlertNotifier {
  ready: Promise<void>;
  stop(): void;
}

export function notifyNewAlerts(o: { events: EventBus; api: Pick<CoreApi, 'alerts.list'>; show(title: string, body: string): void }): AlertNotifier {
  let lastShown = 0;
  let running: Promise<void> = Promise.resolve();
  const newest = async () => (await o.api['alerts.list']({ unacknowledgedOnly: true, limit: 50 })).firings;
  // What is already open when the app starts is on the Alerts screen, not news.
  const ready = newest()
    .then((f) => void (lastShown = Math.max(0, ...f.map((x) => x.id))))
    .catch(() => {});
  const check = async () => {
    const fresh = (await newest()).filter((f) => f.id > lastShown).sort((a, b) => a.id - b.id);
    if (fresh.length === 0) return;
    lastShown = fresh[fresh.length - 1]!.id;
    for (const f of fresh.slice(0, 3)) o.show('Cost Desk alert', f.summary);
    if (fresh.length > 3) o.show('Cost Desk alerts', `and ${fresh.length - 3} more on the Alerts screen`);
  };
  const off = o.events.on((event, payload) => {
    if (event !== 'ledger.changed' || !(payload as EventPayload<'ledger.changed'>).topics.includes('alerts')) return;
    running = running
      .then(() => ready)
      .then(check)
      .catch(() => {});
  });
  return { ready, stop: off };
}
