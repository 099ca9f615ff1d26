// createCore: wires the ledger, the Telnyx client, ingest, the reconciler and the views into
// one object that implements the contract. Hosts (Electron, the browser host, the CLI, the
// tests) create it and only translate their transport into calls on it.
import { AppFailure } from './api/types.ts';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ExportRequest, HostKind } from '../../shared/contract.ts';
import { EventBus, type CoreApi } from './api/types.ts';
import { createApi } from './runtime/api.ts';
import { CoreRuntime } from './runtime/runtime.ts';
import { exportReport, type ExportResult } from './reports/index.ts';
import { checkBaseUrl } from './telnyx/base-url.ts';
import { backupService, startAutoBackup } from './backup/index.ts';
import { followDataFolder } from './data-folder/pointer.ts';
import type { SecretStore } from './runtime/secret-store.ts';
import type { TransportFactory } from './telnyx/transport.ts';
import { systemClock, type Clock } from './util/clock.ts';
import { createLogger, type Logger } from './util/logger.ts';

export interface CreateCoreOptions {
  dataDir: string;
  secrets: SecretStore;
  host: HostKind;
  clock?: Clock;
  logger?: Logger;
  /** Without a logger: the least level logged (default: $COST_DESK_LOG_LEVEL, else info). */
  logLevel?: string;
  /** Start the polling and fetching loops (tests drive passes by hand with false). */
  autoStart?: boolean;
  /** Size of the demo account (calls). */
  demoCalls?: number;
  /** How Telnyx requests are sent (default: undici with HTTPS_PROXY / NO_PROXY; Electron: net.fetch). */
  telnyxTransport?: TransportFactory;
  /**
   * The Telnyx API base URL from the environment (TELNYX_API_BASE_URL), overriding the
   * stored setting. Refused unless https or loopback: the key is sent there.
   */
  apiBaseUrl?: string;
  /** Open the demo account (true) or the user's own (false); unset: whichever was used last (the CLI's --demo). */
  demo?: boolean;
}

export interface Core {
  api: CoreApi;
  events: EventBus;
  runtime: CoreRuntime;
  exportReport(request: ExportRequest, out: Writable, signal?: AbortSignal): Promise<ExportResult>;
  close(): Promise<void>;
}

export async function createCore(options: CreateCoreOptions): Promise<Core> {
  // A data folder the user moved (Settings → Data) is found through the pointer beside the
  // one the host named; the host's own files (the key) stay where the host keeps them.
  const o = { ...options, dataDir: followDataFolder(options.dataDir) };
  if (o.apiBaseUrl !== undefined) checkBaseUrl(o.apiBaseUrl);
  if (existsSync(o.dataDir) && !statSync(o.dataDir).isDirectory()) {
    throw new AppFailure(
      'invalid_input',
      `The data folder ${o.dataDir} is a file, not a folder.`,
      'Point --data-dir (or COST_DESK_DATA_DIR) at a folder; it is created if missing.',
    );
  }
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  // The folder holds the ledger and the key files: its owner's only, whoever created it.
  if (process.platform !== 'win32' && (statSync(o.dataDir).mode & 0o777) !== 0o700) chmodSync(o.dataDir, 0o700);
  const events = new EventBus();
  const runtime = new CoreRuntime({
    dataDir: o.dataDir,
    homeDir: options.dataDir,
    secrets: o.secrets,
    host: o.host,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? createLogger(o.logLevel ? { level: o.logLevel } : {}),
    events,
    autoStart: o.autoStart ?? true,
    demoCalls: o.demoCalls,
    telnyxTransport: o.telnyxTransport,
    apiBaseUrl: o.apiBaseUrl,
    demo: o.demo,
  });
  await runtime.start();
  // The daily automatic backup runs with the background loops (not in the CLI or tests).
  const backups = new AbortController();
  if (o.autoStart ?? true) startAutoBackup(backupService(runtime), runtime, backups.signal);
  return {
    api: createApi(runtime),
    events,
    runtime,
    exportReport: (request, out, signal) => exportReport(runtime.session().ledger.db, request, out, signal),
    close: () => (backups.abort(), runtime.close()),
  };
}

export type { SecretStore } from './runtime/secret-store.ts';
// What a host needs beside the factory: the one gate every call goes through (validated input
// and output, typed failures), and the failure a host's own method throws to be reported as such.
export { dispatch } from './api/dispatch.ts';
export { AppFailure, type CoreApi } from './api/types.ts';

/** The environment variable a host reads the API base URL from. */
export const API_BASE_URL_ENV = 'TELNYX_API_BASE_URL';

/** TELNYX_API_BASE_URL when set (non-blank). */
export function envApiBaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  return env[API_BASE_URL_ENV]?.trim() || undefined;
}
