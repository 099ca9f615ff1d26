// createCore: wires the ledger, the Telnyx client, ingest, the reconciler and the views into
// one object that implements the contract. Hosts (Electron, the browser host, the CLI, the
// tests) create it and only translate their transport into calls on it.
import { mkdirSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ExportRequest, HostKind } from '../../shared/contract.ts';
import { EventBus, type CoreApi } from './api/types.ts';
import { createApi } from './runtime/api.ts';
import { CoreRuntime } from './runtime/runtime.ts';
import { exportReport } from './reports/index.ts';
import { backupService, startAutoBackup } from './backup/index.ts';
import type { SecretStore } from './runtime/secret-store.ts';
import { systemClock, type Clock } from './util/clock.ts';
import { createLogger, type Logger } from './util/logger.ts';

export interface CreateCoreOptions {
  dataDir: string;
  secrets: SecretStore;
  host: HostKind;
  clock?: Clock;
  logger?: Logger;
  /** Start the polling and fetching loops (tests drive passes by hand with false). */
  autoStart?: boolean;
  /** Size of the demo account (calls). */
  demoCalls?: number;
}

export interface Core {
  api: CoreApi;
  events: EventBus;
  runtime: CoreRuntime;
  exportReport(request: ExportRequest, out: Writable, signal?: AbortSignal): Promise<{ rows: number }>;
  close(): Promise<void>;
}

export async function createCore(o: CreateCoreOptions): Promise<Core> {
  mkdirSync(o.dataDir, { recursive: true });
  const events = new EventBus();
  const runtime = new CoreRuntime({
    dataDir: o.dataDir,
    secrets: o.secrets,
    host: o.host,
    clock: o.clock ?? systemClock,
    logger: o.logger ?? createLogger(),
    events,
    autoStart: o.autoStart ?? true,
    demoCalls: o.demoCalls,
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
