// The alerts.* contract methods (the Alerts screen, `cost-desk alerts`).
import type { CoreApi } from '../api/types.ts';
import { AppFailure } from '../api/types.ts';
import { alertFacts } from '../ledger/alert-facts.ts';
import type { Ledger } from '../ledger/index.ts';
import type { CoreRuntime } from '../runtime/runtime.ts';
import { alertEvaluator, rebuildAlertFacts } from './evaluate.ts';
import { alertStore } from './store.ts';

type AlertMethods = Pick<CoreApi, 'alerts.list' | 'alerts.acknowledge' | 'alerts.rules' | 'alerts.addRule' | 'alerts.removeRule'>;

/**
 * Evaluates spend alerts at the end of every write of calls to this ledger (a session's).
 * `onFired` runs once that write is over (a microtask: the transaction has committed, or
 * rolled back and taken its firings with it, which a reader then simply does not find).
 */
export function watchSpend(ledger: Ledger, now: () => number, onFired?: () => void): () => void {
  const evaluate = alertEvaluator(ledger.db, now);
  return ledger.onCallsWritten((touched) => {
    if (evaluate(touched) > 0 && onFired) queueMicrotask(onFired);
  });
}

/**
 * A new rule looks at the last 31 days at once (what has landed already), then at each
 * write as costs land. Its firings are found by the same evaluator, on those days only.
 */
function checkRecentDays(ledger: Ledger, now: number): void {
  const evaluate = alertEvaluator(ledger.db, () => now);
  const since = Math.floor(now / 86_400_000) - 31;
  // Every (number, day) with a call: a day's spend, its countries and its failed calls.
  const days = alertFacts(ledger.db).callDays(since * 86_400_000);
  ledger.tx(() => evaluate(days));
}

export function alertMethods(rt: CoreRuntime): AlertMethods {
  const store = () => alertStore(rt.session().ledger.db);
  const now = () => rt.o.clock.now();
  return {
    'alerts.list': async ({ unacknowledgedOnly, limit }) => {
      const s = store();
      return { firings: s.firings(unacknowledgedOnly, limit), unacknowledged: s.unacknowledged() };
    },
    'alerts.acknowledge': async ({ id }) => {
      const s = store();
      if (!s.firing(id)) throw new AppFailure('not_found', `alert ${id} does not exist`);
      s.acknowledge(id, now());
      return s.firing(id)!;
    },
    'alerts.rules': async () => ({ rules: store().rules() }),
    'alerts.addRule': async (input) => {
      const ledger = rt.session().ledger;
      const rule = ledger.tx(() => {
        const added = alertStore(ledger.db).addRule(input, now());
        // What rules read is kept only while some rule is enabled: bring it up to date first.
        rebuildAlertFacts(ledger.db);
        return added;
      });
      checkRecentDays(ledger, now());
      return rule;
    },
    'alerts.removeRule': async ({ id }) => {
      if (!store().removeRule(id)) throw new AppFailure('not_found', `alert rule ${id} does not exist`);
      return { removed: id };
    },
  };
}
