// The two Telnyx listings, as pure functions of (query string, now) -> response. No sockets
// here: server.ts adds auth, faults and counting around them.
import { FEATURE_RECORD_TYPES } from '../../../shared/domain.ts';
import { canonicalEventType, type EventType } from '../../../shared/domain.ts';
import type { SimRecordType } from './account.ts';
import { ID_FILTER_FIELDS, type Catalog } from './catalog.ts';
import { SIM_EVENT_TYPES } from './webhooks.ts';

export interface RouteResult {
  status: number;
  /** Envelope or error body. */
  body: { data?: unknown[]; meta?: Meta; errors?: TelnyxError[] };
  records: number;
}

interface Meta {
  page_number: number;
  page_size: number;
  total_pages: number;
  total_results: number;
}

export interface TelnyxError {
  code: string;
  title: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
}

// The feature types are listed too (recording from the recorded calls, the others empty).
export const RECORD_TYPES: readonly SimRecordType[] = ['call-control', 'sip-trunking', 'webrtc', 'messaging', ...FEATURE_RECORD_TYPES];
export const MAX_RECORD_PAGE = 50;
export const MAX_DELIVERY_PAGE = 250;
export const DEFAULT_PAGE = 20;

export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    detail: string,
  ) {
    super(detail);
  }
}

export function errorBody(status: number, code: string, title: string, detail?: string, parameter?: string): RouteResult {
  const e: TelnyxError = { code, title };
  if (detail) e.detail = detail;
  if (parameter) e.source = { parameter };
  return { status, body: { errors: [e] }, records: 0 };
}

export function badRequest(err: BadRequest): RouteResult {
  return errorBody(400, '10015', 'Bad Request', err.message, err.parameter);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A date (UTC midnight) or a full ISO date-time. */
export function parseTime(param: string, value: string): number {
  const v = value.trim();
  let ms = NaN;
  if (DATE_ONLY.test(v)) ms = Date.parse(`${v}T00:00:00Z`);
  else if (DATE_TIME.test(v)) ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(ms)) throw new BadRequest(param, `${param} must be a date (YYYY-MM-DD) or an ISO 8601 date-time`);
  return ms;
}

function pageParams(q: URLSearchParams, max: number): { number: number; size: number } {
  const int = (name: string, dflt: number, lo: number, hi: number) => {
    const raw = q.get(name);
    if (raw === null || raw === '') return dflt;
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < lo || n > hi) {
      throw new BadRequest(name, `${name} must be an integer between ${lo} and ${hi}`);
    }
    return n;
  };
  return { number: int('page[number]', 1, 1, 1_000_000_000), size: int('page[size]', DEFAULT_PAGE, 1, max) };
}

/** Time window from filter[<field>][gte|gt|lt|lte] as [fromInclusive, toExclusive). */
function window(q: URLSearchParams, field: string): [number, number] {
  let from = -Infinity;
  let to = Infinity;
  const get = (op: string) => {
    const name = `filter[${field}][${op}]`;
    const v = q.get(name);
    return v === null ? null : parseTime(name, v);
  };
  const gte = get('gte');
  const gt = get('gt');
  const lt = get('lt');
  const lte = get('lte');
  if (gte !== null) from = Math.max(from, gte);
  if (gt !== null) from = Math.max(from, gt + 1);
  if (lt !== null) to = Math.min(to, lt);
  if (lte !== null) to = Math.min(to, lte + 1);
  return [from, to];
}

function sortParam(q: URLSearchParams, field: string): boolean {
  const s = q.get('sort');
  if (s === null || s === '' || s === field) return false;
  if (s === `-${field}`) return true;
  throw new BadRequest('sort', `sort must be ${field} or -${field}`);
}

function envelope(rows: unknown[], total: number, page: { number: number; size: number }): RouteResult {
  return {
    status: 200,
    body: {
      data: rows,
      meta: {
        page_number: page.number,
        page_size: page.size,
        total_pages: Math.ceil(total / page.size),
        total_results: total,
      },
    },
    records: rows.length,
  };
}

export function listDetailRecords(catalog: Catalog, q: URLSearchParams, nowMs: number, honorIdFilters: boolean): RouteResult {
  try {
    const type = q.get('filter[record_type]');
    if (type === null || type === '') {
      throw new BadRequest('filter[record_type]', 'filter[record_type] is required');
    }
    if (!RECORD_TYPES.includes(type as SimRecordType)) {
      throw new BadRequest('filter[record_type]', `filter[record_type] "${type}" is not a valid record type`);
    }
    const [gteMs, ltMs] = window(q, 'created_at');
    const descending = sortParam(q, 'created_at');
    const page = pageParams(q, MAX_RECORD_PAGE);
    // Unknown filters are ignored, as Telnyx may do; id filters only work when asked to.
    const idFilters: [string, string][] = [];
    if (honorIdFilters) {
      for (const [k, v] of q) {
        const m = /^filter\[([a-z_]+)\](?:\[eq\])?$/.exec(k);
        if (m && ID_FILTER_FIELDS.has(m[1]!)) idFilters.push([m[1]!, v]);
      }
    }
    const res = catalog.queryRecords({
      type: type as SimRecordType,
      gteMs,
      ltMs,
      nowMs,
      descending,
      offset: (page.number - 1) * page.size,
      limit: page.size,
      idFilters,
    });
    return envelope(res.rows, res.total, page);
  } catch (err) {
    if (err instanceof BadRequest) return badRequest(err);
    throw err;
  }
}

export function listWebhookDeliveries(catalog: Catalog, q: URLSearchParams, nowMs: number): RouteResult {
  try {
    const raw = q.get('filter[event_type]');
    const types =
      raw === null || raw.trim() === ''
        ? SIM_EVENT_TYPES
        : raw
            .split(',')
            .map((s) => canonicalEventType(s))
            .filter((s): s is EventType => (SIM_EVENT_TYPES as readonly string[]).includes(s));
    const status = q.get('filter[status][eq]') ?? q.get('filter[status]');
    if (status !== null && status !== 'delivered' && status !== 'failed') {
      throw new BadRequest('filter[status][eq]', 'filter[status][eq] must be delivered or failed');
    }
    const [gteMs, ltMs] = window(q, 'started_at');
    const descending = sortParam(q, 'started_at');
    const page = pageParams(q, MAX_DELIVERY_PAGE);
    // Every stored delivery here succeeded, so status=failed lists nothing.
    if (status === 'failed' || types.length === 0) return envelope([], 0, page);
    const res = catalog.queryDeliveries({
      types,
      gteMs,
      lteMs: ltMs - 1,
      nowMs,
      descending,
      offset: (page.number - 1) * page.size,
      limit: page.size,
    });
    return envelope(res.rows, res.total, page);
  } catch (err) {
    if (err instanceof BadRequest) return badRequest(err);
    throw err;
  }
}
