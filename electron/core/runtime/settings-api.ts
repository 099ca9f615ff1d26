// The settings.* contract methods (the API key, the base URL, rates, polling) and the checks
// against Telnyx (doctor.run, verify.month), on the runtime.
import { AppFailure, type CoreApi } from '../api/types.ts';
import { createTelnyxClient, isTelnyxError } from '../telnyx/index.ts';
import { NETWORK_ACTION, networkCauseText } from '../../../shared/network-cause.ts';
import { baseUrlHost, checkBaseUrl, UnsafeBaseUrl } from '../telnyx/base-url.ts';
import { updateSettings } from '../settings/settings.ts';
import { runDoctor, unlinkedFeaturesCheck, unusableEventsCheck } from '../doctor/checks.ts';
import { verifyMonth } from '../verify/month.ts';
import { verifyCsv } from '../verify/csv.ts';
import type { CoreRuntime } from './runtime.ts';
import { toAppFailure } from './errors.ts';

type SettingsMethods = Pick<CoreApi, 'settings.get' | 'settings.update' | 'settings.setApiKey' | 'settings.clearApiKey'>;

/** What Settings shows: never the key, only whether one is set and its last four characters. */
export async function settingsView(rt: CoreRuntime) {
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
    reportImportMinDays: st.reportImportMinDays,
    dataDir: rt.o.dataDir,
  };
}

/** The host of a base URL the key may be sent to, or a clear refusal (base-url.ts). */
function checkedHost(url: string): string {
  try {
    return checkBaseUrl(url).host.toLowerCase();
  } catch (err) {
    if (err instanceof UnsafeBaseUrl)
      throw new AppFailure('invalid_input', `${err.message}.`, 'Use https://api.telnyx.com/v2, or an https address of your proxy.');
    throw err;
  }
}

export function settingsMethods(rt: CoreRuntime): SettingsMethods {
  const clock = rt.o.clock;
  return {
    'settings.get': () => settingsView(rt),
    'settings.update': async (patch) => {
      const s = rt.session();
      const before = s.settings();
      if (patch.apiBaseUrl !== undefined && rt.o.apiBaseUrl !== undefined) {
        throw new AppFailure(
          'invalid_input',
          'The API base URL is set by TELNYX_API_BASE_URL.',
          'Change or unset TELNYX_API_BASE_URL where it is defined, then restart.',
        );
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
      return settingsView(rt);
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
          keyCheck = {
            verified: false,
            message: `Telnyx could not be reached to check it (${cause}): ${NETWORK_ACTION}; it is checked again at the next sync.`,
          };
        } finally {
          await probe.close();
        }
      }
      await rt.o.secrets.set(apiKey);
      await rt.switchTo('live', apiKey);
      return { ...(await settingsView(rt)), keyCheck };
    },
    'settings.clearApiKey': async () => {
      await rt.o.secrets.clear();
      if (rt.mode === 'live') await rt.switchTo('unconfigured');
      return settingsView(rt);
    },
  };
}

export function checkMethods(rt: CoreRuntime): Pick<CoreApi, 'verify.month' | 'doctor.run'> {
  const clock = rt.o.clock;
  return {
    'verify.month': async ({ month, csv }) => {
      const s = rt.session();
      if (!s.client) throw rt.noKey();
      try {
        const report = await verifyMonth(s.ledger, s.client, month);
        return csv ? { ...report, csv: await verifyCsv(report) } : report;
      } catch (err) {
        throw toAppFailure(err);
      }
    },
    'doctor.run': async () => {
      const s = rt.session();
      if (!s.client) throw rt.noKey();
      const report = await runDoctor(s.client, clock.now());
      // What this ledger saw: events it kept but could not use, and feature records whose call
      // it does not have (never dropped in silence).
      const unusable = unusableEventsCheck(s.ledger.events.unusable());
      const unlinked = unlinkedFeaturesCheck(s.ledger.records.unlinkedFeatureCount());
      const extra = [unusable, unlinked];
      return { ...report, checks: [...report.checks, ...extra], warnings: report.warnings + extra.filter((c) => c.status === 'warning').length };
    },
  };
}
