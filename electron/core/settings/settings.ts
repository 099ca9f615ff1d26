// User settings, kept in the ledger's settings table (so the demo ledger has its own), with
// defaults for everything. The API key is NOT here: it lives in the host's SecretStore.
import { RateSettings, SettingsPatch } from '../../../shared/contract.ts';
import type { z } from 'zod';
import type { Ledger } from '../ledger/index.ts';

export const DEFAULT_BASE_URL = 'https://api.telnyx.com/v2';

export interface StoredSettings {
  apiBaseUrl: string;
  rates: z.infer<typeof RateSettings>;
  pollingEnabled: boolean;
  pollingIntervalSec: number;
  /** Delay after hangup of each attempt: 5 s, 30 s, then 1, 2, 4, 8, 16 min. */
  retryScheduleMs: number[];
  /** After this long without a record a call ends as "no record" (its estimate stands). */
  settleWindowMs: number;
  /** Imports of ranges at least this many days long use Telnyx's batch reports first; 0: never. */
  reportImportMinDays: number;
}

export const DEFAULT_SETTINGS: StoredSettings = {
  apiBaseUrl: DEFAULT_BASE_URL,
  rates: {
    inboundPerMinute: '0.015',
    outboundPerMinute: '0.015',
    currency: 'USD',
    firstIncrementSec: 60,
    nextIncrementSec: 60,
    minimumSec: 0,
    learnRates: true,
    otherCurrencies: [],
    numbers: [],
  },
  pollingEnabled: true,
  pollingIntervalSec: 30,
  retryScheduleMs: [5_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000],
  settleWindowMs: 24 * 3600_000,
  reportImportMinDays: 1,
};

const KEY = 'app.settings';

export function readSettings(ledger: Ledger): StoredSettings {
  const stored = ledger.settings.get<Partial<StoredSettings>>(KEY) ?? {};
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    rates: { ...DEFAULT_SETTINGS.rates, ...(stored.rates ?? {}) },
  };
}

export function updateSettings(ledger: Ledger, patch: z.output<typeof SettingsPatch>, now: number): StoredSettings {
  const current = readSettings(ledger);
  const next: StoredSettings = {
    ...current,
    ...patch,
    rates: RateSettings.parse({ ...current.rates, ...(patch.rates ?? {}) }),
  } as StoredSettings;
  ledger.settings.set(KEY, next, now);
  return next;
}
