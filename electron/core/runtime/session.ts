// A session is the core running against one ledger with one Telnyx endpoint: the live
// account (key from the host's SecretStore) or the demo (an in-process simulator and its own
// ledger file, so demo data never mixes with real data). Switching mode closes one session
// and opens another.
import { join } from 'node:path';
import { damagedLedger, openLedgerFile, type Ledger } from '../ledger/index.ts';
import { createTelnyxClient, type TelnyxClient } from '../telnyx/index.ts';
import { readSettings, type StoredSettings } from '../settings/settings.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { startSimulator, type RunningSimulator } from '../simulator/index.ts';
import { createReconciler, type Reconciler } from '../reconcile/index.ts';
import type { TransportFactory } from '../telnyx/transport.ts';
import { watchSpend } from '../alerts/api.ts';
import { startFetchWorker, type FetchWorker, type FetchWorkerHost, type FetchWorkerInit } from '../ingest/fetch-worker.ts';

export type SessionMode = 'live' | 'demo' | 'unconfigured';

export interface Session {
  mode: SessionMode;
  ledger: Ledger;
  ledgerFile: string;
  /** Null until a key is set (unconfigured mode has a ledger but no client). */
  client: TelnyxClient | null;
  /**
   * Starts a fetch worker reading from the client's endpoint with its key (ingest/fetch-worker.ts):
   * the key stays in this closure and the worker's workerData. Null without a client.
   */
  startFetchWorker: ((init: Omit<FetchWorkerInit, 'baseUrl' | 'apiKey'>) => FetchWorker) | null;
  reconciler: Reconciler;
  settings(): StoredSettings;
  close(): Promise<void>;
}

export interface SessionOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** Live mode: the key from the SecretStore (never stored anywhere else). */
  apiKey?: string | null;
  /** Overrides the stored base URL (TELNYX_API_BASE_URL). */
  apiBaseUrl?: string;
  /** Demo: how big the simulated account is. */
  demoCalls?: number;
  /** How Telnyx requests are sent (the host's choice; default undici). */
  telnyxTransport?: TransportFactory | undefined;
  onChange?: () => void;
  /** A write fired spend alerts. */
  onAlertsFired?: () => void;
}

function fetchWorkerStarter(endpoint: { baseUrl: string; apiKey: string }, host: FetchWorkerHost) {
  return (init: Omit<FetchWorkerInit, 'baseUrl' | 'apiKey'>) => startFetchWorker({ ...init, ...endpoint }, host);
}

export const LIVE_LEDGER = 'ledger.db';
export const DEMO_LEDGER = 'demo-ledger.db';

export async function openSession(mode: SessionMode, o: SessionOptions): Promise<Session> {
  const ledgerFile = join(o.dataDir, mode === 'demo' ? DEMO_LEDGER : LIVE_LEDGER);
  let ledger: Ledger;
  try {
    ledger = openLedgerFile(ledgerFile);
  } catch (err) {
    // A damaged ledger is named, with the way out, instead of SQLite's bare words.
    throw damagedLedger(err, ledgerFile) ?? err;
  }
  // Spend alerts are checked in every write of calls, for the days it touched.
  watchSpend(ledger, () => o.clock.now(), o.onAlertsFired);
  let simulator: RunningSimulator | null = null;
  let client: TelnyxClient | null = null;
  let endpoint: { baseUrl: string; apiKey: string } | null = null;
  try {
    if (mode === 'demo') {
      // The demo's account is alive: calls keep happening around "now", records appear a
      // little after each hangup, so the dashboard moves while you watch.
      simulator = await startSimulator({
        live: true,
        calls: o.demoCalls ?? 4000,
        messages: Math.round((o.demoCalls ?? 4000) / 2),
        recordDelayMs: { min: 4_000, max: 90_000 },
        now: () => o.clock.now(),
      });
      endpoint = { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey };
      client = createTelnyxClient({ ...endpoint, clock: o.clock, logger: o.logger, transport: o.telnyxTransport });
    } else if (mode === 'live' && o.apiKey) {
      endpoint = { baseUrl: o.apiBaseUrl ?? readSettings(ledger).apiBaseUrl, apiKey: o.apiKey };
      client = createTelnyxClient({
        ...endpoint,
        clock: o.clock,
        logger: o.logger,
        transport: o.telnyxTransport,
      });
    }
  } catch (err) {
    ledger.close();
    await simulator?.close();
    throw err;
  }
  const settings = () => readSettings(ledger);
  const reconciler = createReconciler({
    ledger,
    client: () => client,
    clock: o.clock,
    logger: o.logger,
    settings: () => {
      const s = settings();
      return { rates: s.rates, retryScheduleMs: s.retryScheduleMs, settleWindowMs: s.settleWindowMs };
    },
    onChange: o.onChange,
  });
  return {
    mode,
    ledger,
    ledgerFile,
    client,
    // The worker's requests go through the host's transport where it has one (relayed to this thread).
    startFetchWorker: endpoint ? fetchWorkerStarter(endpoint, { transport: o.telnyxTransport, logger: o.logger }) : null,
    reconciler,
    settings,
    async close() {
      await reconciler.stop();
      await client?.close();
      await simulator?.close();
      ledger.close();
    },
  };
}
