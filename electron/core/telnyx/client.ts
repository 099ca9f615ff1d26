// The Telnyx client the importer, the webhook poller and the manual refetch use. It asks
// Telnyx for pages and verifies on our side what the server may not have honoured: the
// created_at window (full datetimes are unconfirmed), the event types, and above all the
// ids of a call (an unknown id filter may be ignored and return other calls' rows; the
// original design booked those rows as the call's cost).
import { canonicalEventType, RecordType, VOICE_RECORD_TYPES } from '../../../shared/domain.ts';
import { createTelnyxHttp, type TelnyxHttp, type TelnyxHttpOptions } from './http.ts';
import { batchReportsApi, type BatchReportsApi } from './batch-reports.ts';
import { pagesInOrder, type PagedOptions } from './paging.ts';
import {
  normalizeMessageRecord,
  normalizeRows,
  normalizeVoiceRecord,
  normalizeWebhookDelivery,
  parseEnvelope,
  type MessageRecord,
  type PageMeta,
  type RejectedRow,
  type VoiceRecord,
  type VoiceRecordType,
  type WebhookDelivery,
} from './schemas.ts';

export type TelnyxClientOptions = TelnyxHttpOptions;

export type RecordFor<T extends RecordType> = T extends 'messaging' ? MessageRecord : VoiceRecord;

export const DETAIL_RECORDS_MAX_PAGE_SIZE = 50;
export const WEBHOOK_DELIVERIES_MAX_PAGE_SIZE = 250;

export interface DetailRecordsPageOptions<T extends RecordType> {
  recordType: T;
  /** Window start, ms (inclusive). */
  from?: number;
  /** Window end, ms (exclusive). */
  to?: number;
  page: number;
  /** 1..50, default 50. */
  pageSize?: number;
  sort?: 'created_at' | '-created_at';
  /** More filters: `direction` becomes filter[direction]; a key starting with "filter[" is sent as is. */
  extraFilters?: Record<string, string>;
  signal?: AbortSignal;
}

export interface DetailRecordsPage<R> {
  /** The page number we asked for. */
  page: number;
  rows: R[];
  rejected: RejectedRow[];
  meta: PageMeta;
  /** Rows whose created_at fell outside [from, to): the server did not honour the window. */
  droppedOutsideWindow: number;
}

export type DetailRecordsOptions<T extends RecordType> = Omit<DetailRecordsPageOptions<T>, 'page'> & PagedOptions;

export interface WebhookDeliveriesPageOptions {
  /** Sent comma-separated as filter[event_type]; rows of other types are dropped on our side. */
  eventTypes: readonly string[];
  /** started_at lower bound, ms (inclusive). */
  startedGte?: number;
  /** started_at upper bound, ms (inclusive). */
  startedLte?: number;
  status?: 'delivered' | 'failed';
  page: number;
  /** 1..250, default 250. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface WebhookDeliveriesPage {
  page: number;
  rows: WebhookDelivery[];
  rejected: RejectedRow[];
  meta: PageMeta;
  droppedOutsideWindow: number;
  droppedOtherEventType: number;
}

export type WebhookDeliveriesOptions = Omit<WebhookDeliveriesPageOptions, 'page'> & PagedOptions;

export interface FindCallRecordsOptions {
  legIds?: readonly string[];
  sessionIds?: readonly string[];
  /** A narrow created_at window around the call, ms: [from, to). */
  around: { from: number; to: number };
  recordTypes?: readonly VoiceRecordType[];
  /** Pages read per record type before giving up (the window should be narrow). Default 20. */
  maxPages?: number;
  signal?: AbortSignal;
}

export interface FoundCallRecord {
  record: VoiceRecord;
  matchedOn: 'leg' | 'session';
}

export interface FindCallRecordsResult {
  /** Leg-id matches first, then session-id matches. Only rows whose ids we verified. */
  records: FoundCallRecord[];
  /** Rows read (matching or not). */
  scanned: number;
  rejected: Array<RejectedRow & { recordType: VoiceRecordType; page: number }>;
  /** A record type had more than maxPages pages in the window: the answer may be incomplete. */
  truncated: boolean;
}

export interface TelnyxClient {
  detailRecordsPage<T extends RecordType>(options: DetailRecordsPageOptions<T>): Promise<DetailRecordsPage<RecordFor<T>>>;
  /** Every page of the window, in page order, fetching up to `concurrency` (default 4) ahead. */
  detailRecords<T extends RecordType>(options: DetailRecordsOptions<T>): AsyncGenerator<DetailRecordsPage<RecordFor<T>>, void, undefined>;
  /** Callback form: `onPage` is awaited before the next page is delivered. */
  eachDetailRecordsPage<T extends RecordType>(
    options: DetailRecordsOptions<T> & { onPage: (page: DetailRecordsPage<RecordFor<T>>) => void | Promise<void> },
  ): Promise<{ pages: number; rows: number; rejected: number; droppedOutsideWindow: number }>;
  webhookDeliveriesPage(options: WebhookDeliveriesPageOptions): Promise<WebhookDeliveriesPage>;
  webhookDeliveries(options: WebhookDeliveriesOptions): AsyncGenerator<WebhookDeliveriesPage, void, undefined>;
  findCallRecords(options: FindCallRecordsOptions): Promise<FindCallRecordsResult>;
  /** Resolves { ok: true } when Telnyx accepts the key; rejects with a TelnyxError otherwise. */
  verifyKey(options?: { signal?: AbortSignal }): Promise<{ ok: true }>;
  /** Telnyx's clock minus ours, from the last response's Date header; null before any response. */
  serverClockOffsetMs(): number | null;
  /**
   * An account settings listing as sent (GET /call_control_applications, /messaging_profiles,
   * /connections), every page up to 20 of 250: the doctor reads webhook settings from it.
   */
  listSettings(path: SettingsListing, options?: { signal?: AbortSignal }): Promise<Record<string, unknown>[]>;
  /**
   * GET /usage_reports (beta): one product's cost per currency over [from, to) (UTC, at most
   * 31 days, end exclusive). Costs are JSON numbers there: the body is read with exact-json,
   * so each amount is the decimal Telnyx wrote. Rows as sent.
   */
  usageReport(o: { product: string; from: number; to: number; signal?: AbortSignal }): Promise<Record<string, unknown>[]>;
  /** Batch detail-record reports (batch-reports.ts); optional so stand-in clients need not have it. */
  batchReports?: BatchReportsApi;
  close(): Promise<void>;
}

export type SettingsListing = '/call_control_applications' | '/messaging_profiles' | '/connections';

export function createTelnyxClient(options: TelnyxClientOptions): TelnyxClient {
  // The key goes into the HTTP layer's closure and is not kept here.
  const http = createTelnyxHttp(options);
  return {
    detailRecordsPage: (o) => detailRecordsPage(http, o),
    detailRecords: (o) => detailRecords(http, o),
    eachDetailRecordsPage: (o) => eachDetailRecordsPage(http, o),
    webhookDeliveriesPage: (o) => webhookDeliveriesPage(http, o),
    usageReport: (o) => usageReport(http, o),
    serverClockOffsetMs: () => http.serverClockOffsetMs(),
    listSettings: (path, o) => listSettings(http, path, o),
    webhookDeliveries: (o) => webhookDeliveries(http, o),
    findCallRecords: (o) => findCallRecords(http, o),
    verifyKey: (o) => verifyKey(http, o),
    batchReports: batchReportsApi(http),
    close: () => http.close(),
  };
}

async function detailRecordsPage<T extends RecordType>(http: TelnyxHttp, o: DetailRecordsPageOptions<T>): Promise<DetailRecordsPage<RecordFor<T>>> {
  const recordType = checkRecordType(o.recordType);
  const pageSize = checkRange('pageSize', o.pageSize ?? DETAIL_RECORDS_MAX_PAGE_SIZE, 1, DETAIL_RECORDS_MAX_PAGE_SIZE);
  const page = checkRange('page', o.page, 1, Number.MAX_SAFE_INTEGER);
  const query: Array<[string, string]> = [['filter[record_type]', recordType]];
  // Whole UTC days: whether filter[created_at] takes a full date-time is not documented (the
  // examples of GET /detail_records use dates), so the window sent is the days around the
  // one wanted, and rows outside [from, to) are dropped on our side (inWindow below).
  if (o.from !== undefined) query.push(['filter[created_at][gte]', utcDay(o.from, 'from', 'floor')]);
  if (o.to !== undefined) query.push(['filter[created_at][lt]', utcDay(o.to, 'to', 'ceil')]);
  for (const [k, v] of Object.entries(o.extraFilters ?? {})) {
    query.push([k.startsWith('filter[') ? k : `filter[${k}]`, v]);
  }
  query.push(['page[number]', String(page)], ['page[size]', String(pageSize)], ['sort', o.sort ?? 'created_at']);

  const { data, meta } = await http.getJson('/detail_records', { query, signal: o.signal, parse: parseEnvelope });
  const { rows, rejected } =
    recordType === 'messaging'
      ? normalizeRows<MessageRecord>(data, normalizeMessageRecord)
      : normalizeRows<VoiceRecord>(data, (raw) => normalizeVoiceRecord(raw, recordType));
  const kept = rows.filter((r) => inWindow(r.createdAt, o.from, o.to, false));
  return {
    page,
    rows: kept as RecordFor<T>[],
    rejected,
    meta,
    droppedOutsideWindow: rows.length - kept.length,
  };
}

function detailRecords<T extends RecordType>(http: TelnyxHttp, o: DetailRecordsOptions<T>) {
  const { concurrency, skipPages, signal, ...pageOptions } = o;
  return pagesInOrder((page, pageSignal) => detailRecordsPage(http, { ...pageOptions, page, signal: pageSignal }), { concurrency, skipPages, signal });
}

async function eachDetailRecordsPage<T extends RecordType>(
  http: TelnyxHttp,
  o: DetailRecordsOptions<T> & { onPage: (page: DetailRecordsPage<RecordFor<T>>) => void | Promise<void> },
) {
  const { onPage, ...rest } = o;
  const totals = { pages: 0, rows: 0, rejected: 0, droppedOutsideWindow: 0 };
  for await (const page of detailRecords(http, rest)) {
    await onPage(page);
    totals.pages += 1;
    totals.rows += page.rows.length;
    totals.rejected += page.rejected.length;
    totals.droppedOutsideWindow += page.droppedOutsideWindow;
  }
  return totals;
}

async function webhookDeliveriesPage(http: TelnyxHttp, o: WebhookDeliveriesPageOptions): Promise<WebhookDeliveriesPage> {
  const pageSize = checkRange('pageSize', o.pageSize ?? WEBHOOK_DELIVERIES_MAX_PAGE_SIZE, 1, WEBHOOK_DELIVERIES_MAX_PAGE_SIZE);
  const page = checkRange('page', o.page, 1, Number.MAX_SAFE_INTEGER);
  const query: Array<[string, string]> = [];
  if (o.eventTypes.length > 0) query.push(['filter[event_type]', o.eventTypes.join(',')]);
  if (o.status) query.push(['filter[status][eq]', o.status]);
  if (o.startedGte !== undefined) query.push(['filter[started_at][gte]', iso(o.startedGte, 'startedGte')]);
  if (o.startedLte !== undefined) query.push(['filter[started_at][lte]', iso(o.startedLte, 'startedLte')]);
  query.push(['page[number]', String(page)], ['page[size]', String(pageSize)]);

  const { data, meta } = await http.getJson('/webhook_deliveries', { query, signal: o.signal, parse: parseEnvelope });
  const { rows, rejected } = normalizeRows(data, normalizeWebhookDelivery);
  // Rows carry v2 names (a v1 spelling is mapped on reading): compare in v2 names.
  const wanted = new Set(o.eventTypes.map(canonicalEventType));
  const ofType = wanted.size > 0 ? rows.filter((r) => wanted.has(r.eventType)) : rows;
  const kept = ofType.filter((r) => inWindow(r.startedAt, o.startedGte, o.startedLte, true));
  return {
    page,
    rows: kept,
    rejected,
    meta,
    droppedOutsideWindow: ofType.length - kept.length,
    droppedOtherEventType: rows.length - ofType.length,
  };
}

function webhookDeliveries(http: TelnyxHttp, o: WebhookDeliveriesOptions) {
  const { concurrency, skipPages, signal, ...pageOptions } = o;
  return pagesInOrder((page, pageSignal) => webhookDeliveriesPage(http, { ...pageOptions, page, signal: pageSignal }), { concurrency, skipPages, signal });
}

async function findCallRecords(http: TelnyxHttp, o: FindCallRecordsOptions): Promise<FindCallRecordsResult> {
  const legIds = new Set((o.legIds ?? []).map(normId).filter((s) => s !== ''));
  const sessionIds = new Set((o.sessionIds ?? []).map(normId).filter((s) => s !== ''));
  for (const id of legIds) {
    // The original design passed a v3: call_control_id as a leg UUID; it never matches.
    if (id.startsWith('v3:')) throw new TypeError('a call_control_id (v3:...) is not a leg id');
  }
  if (legIds.size === 0 && sessionIds.size === 0) throw new TypeError('findCallRecords needs a leg id or a session id');
  const recordTypes = o.recordTypes ?? VOICE_RECORD_TYPES;
  const maxPages = Math.max(1, o.maxPages ?? 20);
  const result: FindCallRecordsResult = { records: [], scanned: 0, rejected: [], truncated: false };
  const seen = new Set<string>();

  // No id filter is sent: whether filter[call_leg_id] filters is unconfirmed, and a filter
  // on a field a record type names differently could hide the very row we want. The
  // window is narrow; every row is checked here.
  const scanType = async (recordType: VoiceRecordType, signal: AbortSignal) => {
    let pages = 0;
    const walk = detailRecords(http, { recordType, from: o.around.from, to: o.around.to, concurrency: 2, signal });
    for await (const page of walk) {
      pages += 1;
      result.scanned += page.rows.length;
      for (const r of page.rejected) result.rejected.push({ ...r, recordType, page: page.page });
      for (const record of page.rows as VoiceRecord[]) {
        const matchedOn = record.legIds.some((id) => legIds.has(normId(id)))
          ? 'leg'
          : record.sessionIds.some((id) => sessionIds.has(normId(id)))
            ? 'session'
            : null;
        const key = `${recordType}\u0000${record.id}`;
        if (matchedOn && !seen.has(key)) {
          seen.add(key);
          result.records.push({ record, matchedOn });
        }
      }
      if (pages >= maxPages && page.page < page.meta.totalPages) {
        result.truncated = true;
        break;
      }
    }
  };

  // One failing record type stops the others (their result would be thrown away anyway).
  const siblings = new AbortController();
  const onAbort = () => siblings.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      recordTypes.map((recordType) =>
        scanType(recordType, siblings.signal).catch((err: unknown) => {
          siblings.abort();
          throw err;
        }),
      ),
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  result.records.sort((a, b) => (a.matchedOn === b.matchedOn ? 0 : a.matchedOn === 'leg' ? -1 : 1));
  return result;
}

async function verifyKey(http: TelnyxHttp, o: { signal?: AbortSignal } = {}): Promise<{ ok: true }> {
  await http.getJson('/detail_records', {
    query: [
      ['filter[record_type]', 'messaging'],
      ['page[number]', '1'],
      ['page[size]', '1'],
    ],
    signal: o.signal,
    parse: parseEnvelope,
    attempts: 2,
  });
  return { ok: true };
}

/** GET /usage_reports, every page up to 20 of 5000 rows, rows as sent. */
async function usageReport(http: TelnyxHttp, o: { product: string; from: number; to: number; signal?: AbortSignal }): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 1; page <= 20; page++) {
    const query: Array<[string, string]> = [
      ['product', o.product],
      ['dimensions', 'currency'],
      ['metrics', 'cost,customer_carrier_fee'],
      ['start_date', iso(o.from, 'from')],
      ['end_date', iso(o.to, 'to')],
      ['format', 'json'],
      ['page[number]', String(page)],
      ['page[size]', '5000'],
    ];
    const { data, meta } = await http.getJson('/usage_reports', { query, signal: o.signal, parse: parseEnvelope });
    for (const row of data) if (typeof row === 'object' && row !== null && !Array.isArray(row)) out.push(row as Record<string, unknown>);
    if (page >= meta.totalPages) break;
  }
  return out;
}

/** An account settings listing, every page up to 20 of 250, rows as sent. */
async function listSettings(http: TelnyxHttp, path: SettingsListing, o: { signal?: AbortSignal } = {}): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let page = 1; page <= 20; page++) {
    const query: Array<[string, string]> = [
      ['page[number]', String(page)],
      ['page[size]', '250'],
    ];
    const { data, meta } = await http.getJson(path, { query, signal: o.signal, parse: parseEnvelope });
    for (const row of data) if (typeof row === 'object' && row !== null && !Array.isArray(row)) out.push(row as Record<string, unknown>);
    if (page >= meta.totalPages) break;
  }
  return out;
}

function checkRecordType<T extends RecordType>(t: T): T {
  // `call` / `voice` are not record types; sending them gets a 400 we would then report.
  if (!RecordType.safeParse(t).success) throw new TypeError(`not a detail record type: ${String(t)}`);
  return t;
}

function checkRange(name: string, n: number, min: number, max: number): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${n}`);
  return n;
}

const DAY_MS = 86_400_000;

/** The UTC date (YYYY-MM-DD) at or before (floor) / at or after (ceil) a time. */
function utcDay(ms: number, name: string, round: 'floor' | 'ceil'): string {
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a time: ${ms}`);
  const day = (round === 'floor' ? Math.floor(ms / DAY_MS) : Math.ceil(ms / DAY_MS)) * DAY_MS;
  return new Date(day).toISOString().slice(0, 10);
}

function iso(ms: number, name: string): string {
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a time: ${ms}`);
  return new Date(ms).toISOString();
}

/** A row with no timestamp cannot be checked and is kept; the consumer sees it. */
function inWindow(at: number | null, from: number | undefined, to: number | undefined, toInclusive: boolean): boolean {
  if (at === null) return true;
  if (from !== undefined && at < from) return false;
  if (to !== undefined && (toInclusive ? at > to : at >= to)) return false;
  return true;
}

function normId(id: string): string {
  return id.trim().toLowerCase();
}
