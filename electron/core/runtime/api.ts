// The contract, implemented on the runtime. Inputs arrive already validated by dispatch();
// each method is a few lines that delegate to a capability module. Change events are not
// emitted here: withChangeEvents announces what each write method declares in shared/access.ts.
import type { Topic } from '../../../shared/access.ts';
import { withChangeEvents } from '../api/change-events.ts';
import { AppFailure, type CoreApi } from '../api/types.ts';
import { callViews } from '../views/calls.ts';
import { summaryViews } from '../views/summary.ts';
import { groupViews } from '../views/groups.ts';
import { statusSummary } from '../views/status.ts';
import type { CoreRuntime } from './runtime.ts';
import { withLedgerExplained } from './errors.ts';
import { workMethods } from './work-api.ts';
import { checkMethods, settingsMethods } from './settings-api.ts';
import { VERSION } from '../version.ts';
import { dataMethods } from '../backup/api.ts';
import { moveMethods } from '../data-folder/api.ts';
import { statementMethods } from '../statements/api.ts';
import { alertMethods } from '../alerts/api.ts';

export function createApi(rt: CoreRuntime): CoreApi {
  // Views hold prepared statements for one ledger; rebuilt when the session changes.
  let viewsFor: unknown = null;
  let views: { calls: ReturnType<typeof callViews>; summary: ReturnType<typeof summaryViews>; groups: ReturnType<typeof groupViews> } | null = null;
  const v = () => {
    const s = rt.session();
    if (viewsFor !== s || !views) {
      const summary = summaryViews(s.ledger.db);
      views = { calls: callViews(s.ledger.db), summary, groups: groupViews(s.ledger.db, summary.summary) };
      viewsFor = s;
    }
    return views;
  };
  const clock = rt.o.clock;

  const info = () => {
    const s = rt.session();
    return {
      version: VERSION,
      host: rt.o.host,
      mode: rt.mode,
      dataDir: rt.o.dataDir,
      ledgerFile: s.ledgerFile,
      nodeVersion: process.versions.node,
    };
  };

  const announce = (topics: readonly Topic[]) => {
    rt.o.events.emit('ledger.changed', { at: clock.now(), topics: [...topics] });
    if (topics.includes('sync')) rt.o.events.emit('sync.status', rt.syncStatus());
  };

  const ledgerFile = () => {
    try {
      return rt.session().ledgerFile;
    } catch {
      return null;
    }
  };
  const api: CoreApi = {
    'app.info': async () => info(),
    ...settingsMethods(rt),
    ...checkMethods(rt),
    'demo.start': async () => {
      if (rt.mode !== 'demo') await rt.switchTo('demo');
      // A first demo fills its dashboard with the simulated account's last week (the poller
      // alone would only look back a day); later demo starts keep what is there.
      const s = rt.session();
      if (s.ledger.records.count() === 0) {
        const now = clock.now();
        try {
          rt.startImport(now - 7 * 86_400_000, now, ['call-control', 'sip-trunking', 'webrtc', 'messaging']);
        } catch (err) {
          rt.o.logger.warn({ err: String(err) }, 'demo: first import did not start');
        }
      }
      return info();
    },
    'demo.stop': async () => {
      if (rt.mode === 'demo') await rt.switchTo((await rt.o.secrets.get()) ? 'live' : 'unconfigured');
      return info();
    },
    'sync.status': async () => rt.syncStatus(),
    'sync.now': async () => {
      const r = await rt.pollNow();
      return { events: r.deliveries, newEvents: r.newEvents, applied: r.applied.applied, waiting: r.applied.waiting, rejected: r.rejected };
    },
    'overview.summary': async ({ range, numbers }) => ({ rows: v().summary.summary(range, numbers) }),
    'overview.daily': async ({ range, number }) => ({ points: v().summary.daily(range, number) }),
    'overview.groups': async ({ range, by, numbers }) => ({ rows: v().groups.groups(range, by, numbers) }),
    'numbers.list': async () => ({ numbers: v().summary.numbers() }),
    'calls.list': async (q) => v().calls.list(q),
    'calls.get': async ({ id }) => {
      const s = rt.session();
      const detail = v().calls.detail(s.ledger, id, s.reconciler.jobForCall(id));
      if (!detail) throw new AppFailure('not_found', `call ${id} does not exist`);
      return detail;
    },
    'calls.refetch': async ({ id }) => {
      const s = rt.session();
      if (!s.ledger.calls.get(id)) throw new AppFailure('not_found', `call ${id} does not exist`);
      return s.reconciler.refetchCall(id);
    },
    'messages.list': async (q) => v().calls.messages(q),
    ...workMethods(rt),
    'status.summary': async () => statusSummary(rt.session().ledger.db),
    'calls.find': async ({ ref }) => {
      const id = v().calls.resolve(ref);
      if (id === undefined) throw new AppFailure('not_found', `no call with id ${ref}`);
      return { id };
    },
    'import.wait': async ({ importId }) => rt.waitImport(importId),
    ...dataMethods(rt),
    ...moveMethods(rt),
    ...statementMethods(rt),
    ...alertMethods(rt),
  };
  return withChangeEvents(withLedgerExplained(api, ledgerFile), announce);
}
