// Telnyx's batch detail-record reports: a CSV of a whole range, prepared by Telnyx, instead of
// 50 records per request (shapes and sources: test/fixtures/telnyx/README.md).
//   voice      POST …/batch_detail_records/voice       (start_time, end_time, fields, source, …)
//              GET  …/batch_detail_records/voice/{id}  status 1 pending, 2 complete, 3 failed, 4 expired
//              GET  …/batch_detail_records/voice/fields  the columns, by category
//   messaging  POST / GET …/batch_detail_records/messaging  status PENDING | COMPLETE | FAILED | EXPIRED
// The official sources disagree on the path: the SDKs say /legacy/reporting/…, the docs'
// OpenAPI says /legacy_reporting/…. Both are tried (SDKs' first); the one that answered is kept
// with the report so a poll goes where the report was made. Either status form is read for
// either kind.
import { request } from 'undici';
import type { Readable } from 'node:stream';
import { isLoopbackHost } from './base-url.ts';
import { TelnyxError, isTelnyxError } from './errors.ts';
import type { TelnyxHttp } from './http.ts';

export type ReportKind = 'voice' | 'messaging';
export type ReportState = 'pending' | 'complete' | 'failed' | 'expired';

export const REPORT_PREFIXES = ['/legacy/reporting/batch_detail_records', '/legacy_reporting/batch_detail_records'] as const;

export interface BatchReport {
  id: string;
  kind: ReportKind;
  state: ReportState;
  /** The status as Telnyx sent it (1..4 or a word). */
  status: string | number;
  reportUrl: string | null;
  /** The path prefix that answered (REPORT_PREFIXES). */
  prefix: string;
}

export interface CreateReportOptions {
  kind: ReportKind;
  from: number;
  to: number;
  /** voice: the report's source (calls, call-control, webrtc). */
  source?: string;
  /** voice: the columns to include. */
  fields?: readonly string[];
  signal?: AbortSignal;
}

export interface ReportDownload {
  statusCode: number;
  /** Content-Length, when the storage sent one. */
  totalBytes: number | null;
  body: Readable;
}

export class ReportDownloadError extends Error {
  override name = 'ReportDownloadError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const STATE_BY_STATUS: Record<string, ReportState> = {
  '1': 'pending',
  pending: 'pending',
  '2': 'complete',
  complete: 'complete',
  completed: 'complete',
  '3': 'failed',
  failed: 'failed',
  '4': 'expired',
  expired: 'expired',
};

export function reportState(status: unknown): ReportState | null {
  if (typeof status !== 'string' && typeof status !== 'number') return null;
  return STATE_BY_STATUS[String(status).trim().toLowerCase()] ?? null;
}

/** Reads a report answer ({ data: { id, status, report_url } }) for the given kind and path. */
export function parseReport(kind: ReportKind, prefix: string) {
  return (json: unknown): BatchReport => {
    const data = (json as { data?: unknown })?.data;
    if (typeof data !== 'object' || data === null) throw new Error('no data object');
    const d = data as Record<string, unknown>;
    if (typeof d.id !== 'string' || d.id.trim() === '') throw new Error('data.id: missing');
    const state = reportState(d.status);
    if (state === null) throw new Error(`data.status: not a report status: ${JSON.stringify(d.status)?.slice(0, 40)}`);
    const url = typeof d.report_url === 'string' && d.report_url.trim() !== '' ? d.report_url.trim() : null;
    return { id: d.id, kind, state, status: d.status as string | number, reportUrl: url, prefix };
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The request body: every record type and direction, UTC, in the shape the SDKs send. */
export function reportRequestBody(o: CreateReportOptions): Record<string, unknown> {
  const common = { start_time: iso(o.from), end_time: iso(o.to), timezone: 'UTC', record_types: [1, 2, 3], report_name: 'cost-desk import' };
  if (o.kind === 'messaging') return { ...common, directions: [1, 2] };
  return { ...common, call_types: [1, 2], ...(o.source ? { source: o.source } : {}), ...(o.fields ? { fields: [...o.fields] } : {}) };
}

export function batchReportsApi(http: TelnyxHttp) {
  return {
    /** Requests a report; on a 404 from the SDKs' path, the docs' path. */
    async create(o: CreateReportOptions): Promise<BatchReport> {
      let last: unknown = null;
      for (const prefix of REPORT_PREFIXES) {
        try {
          return await http.getJson(`${prefix}/${o.kind}`, { postJson: reportRequestBody(o), signal: o.signal, parse: parseReport(o.kind, prefix) });
        } catch (err) {
          if (!(isTelnyxError(err) && err.kind === 'not_found')) throw err;
          last = err;
        }
      }
      throw last as TelnyxError;
    },

    get(kind: ReportKind, id: string, prefix: string, signal?: AbortSignal): Promise<BatchReport> {
      if (!(REPORT_PREFIXES as readonly string[]).includes(prefix)) throw new TypeError(`unknown report path ${prefix}`);
      return http.getJson(`${prefix}/${kind}/${encodeURIComponent(id)}`, { signal, parse: parseReport(kind, prefix) });
    },

    /** The voice report's columns, every category flattened (null when neither path answers). */
    async voiceFields(signal?: AbortSignal): Promise<string[] | null> {
      for (const prefix of REPORT_PREFIXES) {
        try {
          return await http.getJson(`${prefix}/voice/fields`, { signal, parse: parseFields });
        } catch (err) {
          if (!(isTelnyxError(err) && err.kind === 'not_found')) throw err;
        }
      }
      return null;
    },

    /** Opens the report's CSV as a stream (see downloadReport). */
    download: (url: string, signal?: AbortSignal) => downloadReport(http, url, signal),
  };
}
export type BatchReportsApi = ReturnType<typeof batchReportsApi>;

function parseFields(json: unknown): string[] {
  // Categories at the top ("Billing": [...]), or inside data (tolerated).
  const root = (json as { data?: unknown })?.data ?? json;
  if (typeof root !== 'object' || root === null) throw new Error('not an object of field lists');
  const out = new Set<string>();
  for (const v of Object.values(root)) if (Array.isArray(v)) for (const f of v) if (typeof f === 'string') out.add(f);
  return [...out];
}

/**
 * Streams a report_url. The URL must be https or loopback (the report holds the account's
 * calls and messages); the API key is sent only if it is on the API's own origin
 * (http.downloadHeaders), never to Telnyx's storage or any other host. No redirect is followed.
 */
export async function downloadReport(http: TelnyxHttp, url: string, signal?: AbortSignal): Promise<ReportDownload> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ReportDownloadError('the report_url is not a URL', null);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new ReportDownloadError(`refusing to download the report over ${u.protocol.replace(':', '')} from ${u.host}: only https (or loopback)`, null);
  }
  let res;
  try {
    res = await request(u, { method: 'GET', headers: http.downloadHeaders(u.href), signal, headersTimeout: 60_000, bodyTimeout: 120_000 });
  } catch (err) {
    if (signal?.aborted) throw new TelnyxError({ kind: 'cancelled', path: u.pathname });
    throw new ReportDownloadError(`the report download failed: ${http.scrub(err instanceof Error ? err.message : String(err))}`, null);
  }
  if (res.statusCode !== 200) {
    res.body.resume();
    const why =
      res.statusCode === 403
        ? 'the storage refused the link (403)'
        : res.statusCode === 404 || res.statusCode === 410
          ? 'the report is gone'
          : `HTTP ${res.statusCode}`;
    throw new ReportDownloadError(`the report download failed: ${why}`, res.statusCode);
  }
  const len = Number(res.headers['content-length']);
  return { statusCode: res.statusCode, totalBytes: Number.isFinite(len) && len >= 0 ? len : null, body: res.body };
}
