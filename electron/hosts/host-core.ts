// What a host needs from the core, in one place: how to create it, what it hands back, and
// the one extra capability hosts use beyond the contract — writing a CSV report to a stream
// (the Electron host streams it to a file the user picked, the browser host to a download).
import type { Writable } from 'node:stream';
import { METHODS, type ExportCurrencyTotal, type ExportRequest, type HostKind as AnyHostKind } from '../../shared/contract.ts';
import type { CoreApi, EventBus } from '../core/api/types.ts';
import type { TransportFactory } from '../core/telnyx/transport.ts';
import type { Logger } from '../core/util/logger.ts';
import type { SecretStore } from '../secrets/types.ts';

/** The hosts that serve the renderer (the CLI and tests create the core their own way). */
export type HostKind = Extract<AnyHostKind, 'electron' | 'web'>;

export interface CoreConfig {
  /** Folder for the ledger and the key files; created if missing. */
  dataDir: string;
  secrets: SecretStore;
  host: HostKind;
  logger?: Logger;
  /** How Telnyx requests are sent (the desktop app: Electron's net.fetch). */
  telnyxTransport?: TransportFactory;
  /** TELNYX_API_BASE_URL, when set: overrides the stored base URL (https or loopback only). */
  apiBaseUrl?: string;
}

/**
 * Writes the CSV for `request` to `out` and ends it; resolves with the number of data rows
 * (Total rows excluded), and the per-currency totals and time zone when the writer knows them.
 * Rejects (leaving `out` to the caller to destroy) when the report cannot be produced;
 * stops early when `signal` aborts (the browser closed the download).
 */
export type ExportReportFn = (request: ExportRequest, out: Writable, signal?: AbortSignal) => Promise<ExportWritten>;

export interface ExportWritten {
  rows: number;
  totals?: ExportCurrencyTotal[];
  timeZone?: string;
}

export interface HostCore {
  api: CoreApi;
  events: EventBus;
  exportReport: ExportReportFn;
  close(): Promise<void>;
}

export type CoreFactory = (config: CoreConfig) => Promise<HostCore>;

/** A file name for a report, e.g. "cost-desk-calls-2026-01-01-to-2026-01-31.csv". */
export function reportFileName(request: ExportRequest): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const number = request.number ? `-${request.number.replace(/[^0-9A-Za-z]+/g, '')}` : '';
  // `to` is exclusive; the name shows the last day included.
  return `cost-desk-${request.report}${number}-${day(request.range.from)}-to-${day(Math.max(request.range.from, request.range.to - 1))}.csv`;
}

/**
 * A CoreApi with some methods replaced by the host (export.run needs a save dialog or a
 * download). Built method by method, so a core whose api is a class instance keeps `this`.
 */
export function withHostMethods(api: CoreApi, overrides: Partial<CoreApi>): CoreApi {
  const out: Record<string, unknown> = {};
  for (const method of METHODS) {
    const own = overrides[method];
    out[method] = own ?? ((input: unknown) => (api[method] as (i: unknown) => Promise<unknown>).call(api, input));
  }
  return out as CoreApi;
}

/**
 * A CoreApi usable before the core exists: each call waits for it. The desktop window opens
 * (and its static frame paints) while the keychain and the ledger's migrations still run; the
 * renderer's first calls are answered once the core is ready, or fail with its start-up error.
 */
export function deferredApi(core: Promise<Pick<HostCore, 'api'>>): CoreApi {
  const out: Record<string, unknown> = {};
  for (const method of METHODS) {
    out[method] = async (input: unknown) => {
      const { api } = await core;
      return (api[method] as (i: unknown) => Promise<unknown>).call(api, input);
    };
  }
  return out as CoreApi;
}
