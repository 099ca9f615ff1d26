// The contract, implemented on the runtime. Inputs arrive already validated by dispatch();
// each method is a few lines that delegate to a capability module. Change events are not
// emitted here: withChangeEvents announces what each write method declares in shared/access.ts.
import type { Topic } from '../../../shared/access.ts';
import { withChangeEvents } from '../api/change-events.ts';
import { AppFailure, noKeyFailure, type CoreApi } from '../api/types.ts';
import { createTelnyxClient, isTelnyxError } from '../telnyx/index.ts';
import { NETWORK_ACTION, networkCauseText } from '../../../shared/network-cause.ts';
import { baseUrlHost, checkBaseUrl, UnsafeBaseUrl } from '../telnyx/base-url.ts';
import { updateSettings } from '../settings/settings.ts';
import { runDoctor, unusableEventsCheck } from '../doctor/checks.ts';
import { verifyMonth } from '../verify/month.ts';
import { callViews } from '../views/calls.ts';
import { summaryViews } from '../views/summary.ts';
import { groupViews } from '../views/groups.ts';
import type { CoreRuntime } from './runtime.ts';
import { toAppFailure } from './errors.ts';
import { VERSION } from '../version.ts';
import { dataMethods } from '../backup/api.ts';
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

  const settingsView = async () => {
    const s = rt.session();
    const st = s.settings();
    const key = await rt.o.secrets.get().catch(() => null);
    return {
      apiKeySet: key !== null,
      apiKeyHint: key ? `…${key.slice(-4)}` : null,
      keyStorage: rt.o.secrets.kind,
      keyStorageWarning: rt.o.secrets.warning,
      apiBaseUrl: rt.o.apiBaseUrl ?? st.apiBaseUrl,
      rates: st.rates,
      pollingEnabled: st.pollingEnabled,
      pollingIntervalSec: st.pollingIntervalSec,
      retryScheduleMs: st.retryScheduleMs,
      settleWindowMs: st.settleWindowMs,
      dataDir: rt.o.dataDir,
    };
  };

  /** The host of a base URL the key may be sent to, or a clear refusal (base-url.ts). */
  const checkedHost = (url: string): string => {
    try {
      return checkBaseUrl(url).host.toLowerCase();
    } catch (err) {
      if (err instanceof UnsafeBaseUrl) throw new AppFailure('invalid_input', `${err.message}.`, 'Use https://api.telnyx.com/v2, or an https address of your proxy.');
      throw err;
    }
  };

  const announce = (topics: readonly Topic[]) => {
    rt.o.events.emit('ledger.changed', { at: clock.now(), topics: [...topics] });
    if (topics.includes('sync')) rt.o.events.emit('sync.status', rt.syncStatus());
  };

  return withChangeEvents({
    'app.info': async () => info(),
    'settings.get': settingsView,
    'verify.month': async ({ month }) => {
      const s = rt.session();
      if (!s.client) throw new AppFailure('no_key', 'No Telnyx API key is set.', 'Enter your API key in Settings, or explore with demo data.');
      try {
        return await verifyMonth(s.ledger, s.client, month);
      } catch (err) {
        throw toAppFailure(err);
      }
    },
    'doctor.run': async () => {
      const s = rt.session();
      if (!s.client) throw new AppFailure('no_key', 'No Telnyx API key is set.', 'Enter your API key in Settings, or explore with demo data.');
      const report = await runDoctor(s.client, clock.now());
      // What this ledger saw: events it kept but could not use (never dropped in silence).
      const unusable = unusableEventsCheck(s.ledger.events.unusable());
      return { ...report, checks: [...report.checks, unusable], warnings: report.warnings + (unusable.status === 'warning' ? 1 : 0) };
    },
    'settings.update': async (patch) => {
      const s = rt.session();
      const before = s.settings();
      if (patch.apiBaseUrl !== undefined && rt.o.apiBaseUrl !== undefined) {
        throw new AppFailure('invalid_input', 'The API base URL is set by TELNYX_API_BASE_URL.', 'Change or unset TELNYX_API_BASE_URL where it is defined, then restart.');
      }
      const hostChanged = patch.apiBaseUrl !== undefined && checkedHost(patch.apiBaseUrl) !== baseUrlHost(before.apiBaseUrl);
      // The key was given for one host. Sending it to another needs the person to give it
      // again: whoever can change settings (a leaked browser-host token) must not be able to
      // point the app at their server and receive the key on the next sync.
      if (hostChanged && (await rt.o.secrets.get().catch(() => null)) !== null) {
        try {
          await rt.o.secrets.clear();
        } catch (err) {
          throw new AppFailure(
            'invalid_input',
            `The API base URL's host cannot change while the key comes from where it does (${err instanceof Error ? err.message : String(err)}).`,
            'Set TELNYX_API_BASE_URL and the key together where they are defined, then restart.',
          );
        }
      }
      updateSettings(s.ledger, patch, clock.now());
      if (hostChanged && rt.mode === 'live') await rt.switchTo('unconfigured');
      // A new base URL means a new client: reopen the session on it.
      else if (patch.apiBaseUrl && patch.apiBaseUrl !== before.apiBaseUrl && rt.mode === 'live') await rt.switchTo('live');
      return settingsView();
    },
    'settings.setApiKey': async ({ apiKey }) => {
      // Check the key before keeping it: a rejected key is reported, not stored.
      const baseUrl = rt.mode === 'live' || rt.mode === 'unconfigured' ? (rt.o.apiBaseUrl ?? rt.session().settings().apiBaseUrl) : undefined;
      let keyCheck: { verified: boolean; message: string } = { verified: false, message: 'Not checked in demo mode: it is checked at the first sync.' };
      if (baseUrl) {
        const probe = createTelnyxClient({ baseUrl, apiKey, clock, logger: rt.o.logger, retry: { attempts: 2 }, transport: rt.o.telnyxTransport });
        try {
          await probe.verifyKey();
          keyCheck = { verified: true, message: 'Telnyx accepted the key.' };
        } catch (err) {
          const f = toAppFailure(err);
          if (f.code === 'auth') throw f;
          rt.o.logger.warn({ code: f.code }, 'could not verify the API key now; keeping it');
          // One line in people's words; the request, cause code and attempts are in the log.
          const cause = f.code === 'telnyx_unavailable' && isTelnyxError(err) ? networkCauseText(err.causeCode) : f.message.split('\n')[0];
          keyCheck = { verified: false, message: `Telnyx could not be reached to check it (${cause}): ${NETWORK_ACTION}; it is checked again at the next sync.` };
        } finally {
          await probe.close();
        }
      }
      await rt.o.secrets.set(apiKey);
      await rt.switchTo('live', apiKey);
      return { ...(await settingsView()), keyCheck };
    },
    'settings.clearApiKey': async () => {
      await rt.o.secrets.clear();
      if (rt.mode === 'live') await rt.switchTo('unconfigured');
      return settingsView();
    },
    'demo.start': async () => {
      if (rt.mode !== 'demo') await rt.switchTo('demo');
      // A first demo fills its dashboard with the simulated account's last week (the poller
      // alone would only look back a day); later demo starts keep what is there.
      const s = rt.session();
      if (s.ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get() === 0) {
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
      return { events: r.deliveries, newEvents: r.newEvents };
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
    'import.start': async ({ range, recordTypes }) => rt.startImport(range.from, range.to, recordTypes),
    'import.cancel': async ({ importId }) => rt.cancelImport(importId),
    'import.list': async () => ({ imports: rt.listImports() }),
    'import.problems': async ({ importId, limit, offset }) => {
      const { rows, total } = rt.importProblems(importId ?? null, limit, offset);
      return { rows: rows.map((r) => ({ ...r, raw: r.raw.length > 2000 ? `${r.raw.slice(0, 2000)}…` : r.raw })), total };
    },
    'jobs.list': async (q) => rt.session().reconciler.listJobs(q),
    'jobs.retry': async ({ id }) => {
      const job = rt.session().reconciler.retryJob(id);
      if (!job) throw new AppFailure('not_found', `job ${id} does not exist`);
      return job;
    },
    'jobs.processNow': async () => {
      const s = rt.session();
      if (!s.client) throw noKeyFailure();
      const counts = await s.reconciler.processDue();
      return { ...counts, nextDueAt: s.ledger.jobs.nextDueAt() };
    },
    // Hosts replace this (save dialog / download); the core alone cannot pick a destination.
    'export.run': async () => {
      throw new AppFailure('internal', 'export.run must be provided by the host');
    },
    ...dataMethods(rt),
    ...statementMethods(rt),
    ...alertMethods(rt),
  }, announce);
}
