// Telnyx's batch detail-record reports, simulated (see test/fixtures/telnyx/README.md for the
// shapes): POST creates a report, GET polls it (voice: status 1 pending / 2 complete / 3 failed
// / 4 expired; messaging: PENDING / COMPLETE / FAILED / EXPIRED), GET voice/fields lists the
// columns. Both path spellings the official sources use are served: /legacy/reporting/...
// (the SDKs) and /legacy_reporting/... (developers.telnyx.com). A complete report's CSV is
// generated from the account's own records and served from a "storage" URL on another
// loopback origin (localhost instead of 127.0.0.1) that needs no key, as a presigned link would.
//
// Behaviour on demand, per kind: how many polls a report stays pending, and a failure mode:
// failed, expired, a report_url that answers 403, or a download cut halfway.
import type http from 'node:http';
import type { SimRecordType } from './account.ts';
import type { Catalog } from './catalog.ts';
import { errorBody, type RouteResult } from './routes.ts';
import { isoSeconds } from './time.ts';

export type ReportKindSim = 'voice' | 'messaging';
export type ReportFailureMode = 'none' | 'failed' | 'expired' | 'url-403' | 'truncated';

export interface ReportBehaviour {
  /** Polls answered "pending" before the report completes (default 0: complete at the first poll). */
  pendingPolls?: number;
  /** Default 'none'. */
  failure?: ReportFailureMode;
  /** Apply the failure to the next N reports only (default: every report). */
  failureCount?: number;
  /** Columns left out of the CSV (a report that lacks what the ledger needs). */
  omitColumns?: string[];
  /** A slow storage: this many ms between 4 KiB chunks of the CSV. */
  chunkDelayMs?: number;
}

export const PREFIXES = ['/v2/legacy/reporting/batch_detail_records/', '/v2/legacy_reporting/batch_detail_records/'] as const;
const STORAGE_PREFIX = '/_reports/';

/** The voice report's `source` values (the SDKs' docs) and the record type each gives here. */
const SOURCE_TYPES: Record<string, SimRecordType> = { calls: 'sip-trunking', 'call-control': 'call-control', webrtc: 'webrtc' };

export const VOICE_FIELDS: Record<string, string[]> = {
  Billing: ['rate', 'cost', 'currency', 'billed_sec', 'billing_group_id', 'billing_group_name'],
  'Interaction Data': ['id', 'record_type', 'cli', 'cld', 'direction', 'started_at', 'finished_at', 'call_sec', 'created_at', 'tags', 'hangup_cause'],
  'Number Information': ['country_code'],
  'Telephony Data': [
    'telnyx_leg_id',
    'call_leg_id',
    'telnyx_session_id',
    'call_session_id',
    'telnyx_call_control_id',
    'connection_id',
    'connection_name',
    'payment_method',
    'auth_username',
    'session_id',
    'sip_response_code',
    'trunk_direction',
  ],
};
const ALL_VOICE_COLUMNS = Object.values(VOICE_FIELDS).flat();
const MESSAGE_COLUMNS = [
  'record_type',
  'uuid',
  'cli',
  'cld',
  'direction',
  'message_type',
  'status',
  'parts',
  'rate',
  'carrier_fee',
  'cost',
  'currency',
  'created_at',
  'sent_at',
  'completed_at',
  'profile_id',
  'tags',
  'errors',
  'country_code',
  'normalized_carrier',
];

interface SimReport {
  id: string;
  chunkDelayMs: number;
  kind: ReportKindSim;
  type: SimRecordType;
  startMs: number;
  endMs: number;
  columns: string[];
  polls: number;
  pendingPolls: number;
  failure: ReportFailureMode;
  createdAt: string;
  body: Record<string, unknown>;
  /** The CSV, made once when the report completes: Telnyx prepares a file, then serves it. */
  csv?: Buffer;
}

export interface ReportStats {
  created: number;
  polls: number;
  downloads: number;
  /** Downloads that arrived with an Authorization header (the key must never go there). */
  downloadsWithAuthorization: number;
}

export class SimReports {
  #reports = new Map<string, SimReport>();
  #behaviour: Record<ReportKindSim, ReportBehaviour> = { voice: {}, messaging: {} };
  #failuresLeft: Record<ReportKindSim, number> = { voice: Infinity, messaging: Infinity };
  #next = 1;
  stats: ReportStats = { created: 0, polls: 0, downloads: 0, downloadsWithAuthorization: 0 };

  constructor(
    private readonly catalog: Catalog,
    private readonly now: () => number,
    private readonly storageOrigin: () => string,
  ) {}

  setBehaviour(kind: ReportKindSim, b: ReportBehaviour): void {
    this.#behaviour[kind] = b;
    this.#failuresLeft[kind] = b.failureCount ?? Infinity;
  }

  handlesPath(path: string): boolean {
    return path.startsWith(STORAGE_PREFIX) || PREFIXES.some((p) => path.startsWith(p));
  }

  /** API routes (the caller has checked the key). */
  api(method: string, path: string, body: unknown): RouteResult {
    const prefix = PREFIXES.find((p) => path.startsWith(p))!;
    const rest = path.slice(prefix.length).split('/');
    const kind = rest[0] as ReportKindSim;
    if (kind !== 'voice' && kind !== 'messaging') return errorBody(404, '10005', 'Resource not found', `No route for ${path}`);
    if (method === 'GET' && kind === 'voice' && rest[1] === 'fields' && rest.length === 2) {
      return { status: 200, body: VOICE_FIELDS as never, records: 0 };
    }
    if (method === 'POST' && rest.length === 1) return this.#create(kind, body);
    if (method === 'GET' && rest.length === 2) {
      const r = this.#reports.get(rest[1]!);
      if (!r || r.kind !== kind) return errorBody(404, '10005', 'Resource not found', 'No such report');
      this.stats.polls++;
      r.polls++;
      return { status: 200, body: { data: this.#view(r) } as never, records: 0 };
    }
    return errorBody(405, '10006', 'Method not allowed', `${method} ${path}`);
  }

  #create(kind: ReportKindSim, input: unknown): RouteResult {
    const b = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const startMs = Date.parse(String(b.start_time ?? ''));
    const endMs = Date.parse(String(b.end_time ?? ''));
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) {
      return errorBody(422, '10015', 'Bad Request', 'start_time and end_time are required ISO times, start before end');
    }
    let type: SimRecordType = 'messaging';
    let columns = MESSAGE_COLUMNS;
    if (kind === 'voice') {
      const source = String(b.source ?? 'calls');
      if (!(source in SOURCE_TYPES)) return errorBody(422, '10015', 'Bad Request', `unknown source ${source}`);
      type = SOURCE_TYPES[source]!;
      const asked = Array.isArray(b.fields) ? b.fields.map(String) : [];
      const unknown = asked.filter((f) => !ALL_VOICE_COLUMNS.includes(f));
      if (unknown.length) return errorBody(422, '10015', 'Bad Request', `unknown fields: ${unknown.join(', ')}`);
      columns = asked.length ? asked : ALL_VOICE_COLUMNS;
    }
    const beh = this.#behaviour[kind];
    let failure = beh.failure ?? 'none';
    if (failure !== 'none') {
      if (this.#failuresLeft[kind] > 0) this.#failuresLeft[kind]--;
      else failure = 'none';
    }
    if (beh.omitColumns) columns = columns.filter((c) => !beh.omitColumns!.includes(c));
    const id = `00000000-0000-4000-8000-${String(this.#next++).padStart(12, '0')}`;
    const createdAt = isoSeconds(this.now());
    const r: SimReport = {
      id,
      chunkDelayMs: beh.chunkDelayMs ?? 0,
      kind,
      type,
      startMs,
      endMs,
      columns,
      polls: 0,
      pendingPolls: beh.pendingPolls ?? 0,
      failure,
      createdAt,
      body: b,
    };
    this.#reports.set(id, r);
    this.stats.created++;
    return { status: 200, body: { data: this.#view(r) } as never, records: 0 };
  }

  #state(r: SimReport): 'pending' | 'complete' | 'failed' | 'expired' {
    if (r.polls <= r.pendingPolls) return 'pending';
    if (r.failure === 'failed') return 'failed';
    if (r.failure === 'expired') return 'expired';
    return 'complete';
  }

  #view(r: SimReport): Record<string, unknown> {
    const state = this.#state(r);
    // Made while "Telnyx prepares" it (the poll that first answers complete), not at each
    // download: a resumed import reads the same file, and the import's download and ingest
    // are not slowed by the simulator building a 100k-row CSV on the spot.
    if (state === 'complete') r.csv ??= this.#csv(r);
    const url = state === 'complete' ? `${this.storageOrigin()}${STORAGE_PREFIX}${r.id}.csv` : null;
    const common = { id: r.id, created_at: r.createdAt, updated_at: isoSeconds(this.now()), report_name: String(r.body.report_name ?? ''), filters: [] };
    if (r.kind === 'voice') {
      const status = { pending: 1, complete: 2, failed: 3, expired: 4 }[state];
      return {
        ...common,
        start_time: isoSeconds(r.startMs),
        end_time: isoSeconds(r.endMs),
        call_types: [1, 2],
        record_types: [1, 2, 3],
        connections: [],
        status,
        report_url: url,
        timezone: String(r.body.timezone ?? 'UTC'),
        source: String(r.body.source ?? 'calls'),
        retry: 0,
        managed_accounts: [],
        record_type: 'cdr_detailed_report',
      };
    }
    return {
      ...common,
      start_date: isoSeconds(r.startMs),
      end_date: isoSeconds(r.endMs),
      directions: ['INBOUND', 'OUTBOUND'],
      record_types: ['INCOMPLETE', 'COMPLETED', 'ERRORS'],
      connections: [],
      profiles: [],
      status: state.toUpperCase(),
      report_url: url,
      record_type: 'mdr_report',
    };
  }

  /** The storage route: no key needed (a presigned link); counts any Authorization that arrives. */
  download(path: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    this.stats.downloads++;
    if (req.headers.authorization !== undefined) this.stats.downloadsWithAuthorization++;
    const id = path.slice(STORAGE_PREFIX.length).replace(/\.csv$/, '');
    const r = this.#reports.get(id);
    if (!r || this.#state(r) !== 'complete') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('NoSuchKey');
    if (r.failure === 'url-403') {
      return void res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    }
    const csv = (r.csv ??= this.#csv(r));
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': csv.length });
    if (r.failure === 'truncated') {
      // The headers promise the whole file; half of it arrives, then the connection dies.
      res.write(csv.subarray(0, csv.length >> 1), () => req.socket.destroy());
      return;
    }
    if (r.chunkDelayMs > 0) return void slowly(res, csv, r.chunkDelayMs);
    res.end(csv);
  }

  /** The report's CSV, 5,000 rows at a time (never one string of the whole file: 1M rows are ~500 MB). */
  #csv(r: SimReport): Buffer {
    const parts = [Buffer.from(`${r.columns.map(cell).join(',')}\r\n`)];
    const now = this.now();
    for (let offset = 0; ; offset += 5000) {
      const page = this.catalog.queryRecords({ type: r.type, gteMs: r.startMs, ltMs: r.endMs, nowMs: now, descending: false, offset, limit: 5000 });
      const lines = page.rows.map((row) => `${r.columns.map((c) => cell(row[c])).join(',')}\r\n`);
      parts.push(Buffer.from(lines.join('')));
      if (offset + 5000 >= page.total) break;
    }
    return Buffer.concat(parts);
  }
}

function slowly(res: http.ServerResponse, buf: Buffer, delayMs: number, at = 0): void {
  if (res.destroyed) return;
  if (at >= buf.length) return void res.end();
  res.write(buf.subarray(at, at + 4096));
  setTimeout(() => slowly(res, buf, delayMs, at + 4096), delayMs);
}

/** RFC 4180: quote a cell with a comma, quote or line break; arrays and objects as JSON. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportNotFound(path: string): RouteResult {
  return errorBody(404, '10005', 'Resource not found', `No route for ${path}`);
}
