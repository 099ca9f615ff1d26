// What Telnyx sends, read tolerantly. The voice detail records have no official schema, and
// the fields we know arrive in more than one shape (numbers where strings are documented,
// "60" where an int is, several names for the same leg id). So: the envelope is checked
// strictly (a wrong envelope is a malformed response, retried), and each row is normalized
// on its own. A row we cannot read is reported in `rejected` with its index and reason,
// never dropped in silence and never allowed to sink the rest of its page.
// Money goes through shared/money.ts: a decimal string becomes bigint nano-units, a missing
// cost stays null (it is not zero), and more than nine decimals is a rejection, not a
// rounding.
import { z } from 'zod';
import { formatMoney, normalizeCurrency, parseMoney } from '../../../shared/money.ts';
import { canonicalEventType, isFeatureRecordType, type Direction, type RecordType } from '../../../shared/domain.ts';

// ---------------------------------------------------------------------------------------
// Field schemas

/** Non-negative int, or its decimal text ("60", "60.0"). */
export const IntLike = z.union([z.number(), z.string()], { error: 'expected a whole number' }).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^\d+(\.0+)?$/.test(v.trim()) ? Number.parseInt(v.trim(), 10) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: `not a whole number: ${JSON.stringify(v).slice(0, 40)}` });
    return z.NEVER;
  }
  return n;
});

/** An int field that may be absent: null/undefined/"" are null. */
export const OptionalInt = z.union([z.null(), z.undefined(), z.number(), z.string()], { error: 'expected a whole number' }).transform((v, ctx) => {
  if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
  const r = IntLike.safeParse(v);
  if (!r.success) {
    ctx.addIssue({ code: 'custom', message: r.error.issues[0]?.message ?? 'not a whole number' });
    return z.NEVER;
  }
  return r.data;
});

/** An id: a non-empty string, or a number Telnyx sent instead. */
export const IdLike = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'empty id'));

/** Text that may be absent or arrive as a number (country_code 1, billing_group_id 42). */
export const OptionalText = z.union([z.null(), z.undefined(), z.string(), z.number().finite(), z.boolean()]).transform((v) => {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
});

/** A decimal amount (cost, fee) as nano-units; absent or "" is null, "0" is 0n. */
export const OptionalMoney = z.union([z.null(), z.undefined(), z.string(), z.number()]).transform((v, ctx) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && v.trim() === '') return null;
  try {
    return parseMoney(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : 'bad amount' });
    return z.NEVER;
  }
});

/** A decimal rate kept as canonical exact text ("0.0090" -> "0.009"); null when absent. */
export const OptionalDecimalText = OptionalMoney.transform((n) => (n === null ? null : formatMoney(n, 0)));

export const OptionalCurrency = z.union([z.null(), z.undefined(), z.string()]).transform((v, ctx) => {
  if (v === null || v === undefined || v.trim() === '') return null;
  try {
    return normalizeCurrency(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : 'bad currency' });
    return z.NEVER;
  }
});

/** ISO timestamp (zone optional: none means UTC) or a number of s/ms since epoch -> ms. */
export const OptionalTimestamp = z.union([z.null(), z.undefined(), z.string(), z.number().finite()]).transform((v, ctx) => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && v.trim() === '') return null;
  const ms = parseTimestamp(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${JSON.stringify(v).slice(0, 60)}` });
    return z.NEVER;
  }
  return ms;
});

/** inbound/outbound; the webhook spellings incoming/outgoing too. Anything else is null. */
export const OptionalDirection = z.unknown().transform((v): Direction | null => {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (s === 'inbound' || s === 'incoming') return 'inbound';
  if (s === 'outbound' || s === 'outgoing') return 'outbound';
  return null;
});

const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

export function parseTimestamp(v: string | number): number | null {
  if (typeof v === 'number') {
    // Seconds until ~5138 AD would be below 1e11; ms since 1973 are above it.
    return Number.isFinite(v) ? Math.round(v < 1e11 ? v * 1000 : v) : null;
  }
  let s = v.trim();
  if (/^\d+$/.test(s)) return parseTimestamp(Number(s));
  if (ISO_NO_ZONE.test(s)) s = `${s.replace(' ', 'T')}Z`;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

// ---------------------------------------------------------------------------------------
// Envelope

export const PageMetaSchema = z.looseObject({
  page_number: IntLike,
  total_pages: IntLike,
  page_size: OptionalInt.optional(),
  total_results: OptionalInt.optional(),
});

export const PageEnvelopeSchema = z.looseObject({
  data: z.array(z.unknown()),
  meta: PageMetaSchema,
});

export interface PageMeta {
  pageNumber: number;
  pageSize: number | null;
  totalPages: number;
  totalResults: number | null;
}

/** Checks `{ data: [...], meta: {...} }`; throws an Error naming what is wrong. */
export function parseEnvelope(json: unknown): { data: unknown[]; meta: PageMeta } {
  const r = PageEnvelopeSchema.safeParse(json);
  if (!r.success) throw new Error(`unexpected envelope: ${describeIssues(r.error.issues)}`);
  const m = r.data.meta;
  return {
    data: r.data.data,
    meta: {
      pageNumber: m.page_number,
      pageSize: m.page_size ?? null,
      totalPages: m.total_pages,
      totalResults: m.total_results ?? null,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Normalized rows

export interface RejectedRow {
  /** Position in the page's `data` array. */
  index: number;
  reason: string;
  raw: unknown;
}

export type VoiceRecordType = Exclude<RecordType, 'messaging'>;

export interface VoiceRecord {
  /** The filter[record_type] we asked for (the row's own record_type stays in raw). */
  recordType: VoiceRecordType;
  id: string;
  /** Every leg id the row carries (telnyx_leg_id, call_leg_id, leg_id, ...), deduplicated. */
  legIds: string[];
  /** Every session id (telnyx_session_id, call_session_id, session_id, ...). */
  sessionIds: string[];
  /** telnyx_call_control_id / call_control_id; empty is null. Never a leg id. */
  controlId: string | null;
  cli: string | null;
  cld: string | null;
  direction: Direction | null;
  startedAt: number | null;
  finishedAt: number | null;
  createdAt: number | null;
  callSec: number | null;
  billedSec: number | null;
  rate: string | null;
  /** null: the row has no cost. 0n: Telnyx says it cost zero. */
  costNanos: bigint | null;
  currency: string | null;
  /** The row says it is not billable (billable: false, a not_billable status, ...). */
  notBillable: boolean;
  /** Attribution, as sent (numbers become text). */
  attribution: Attribution;
  raw: Record<string, unknown>;
}

/** What Telnyx sends for splitting costs. `tags` is a JSON array text, or null. */
export interface Attribution {
  billingGroupId: string | null;
  billingGroupName: string | null;
  connectionId: string | null;
  connectionName: string | null;
  tags: string | null;
  countryCode: string | null;
}

/** Tags as a JSON array text: "a,b" (MDRs, voice records) or ["a","b"] (events); none is null. */
export function tagsText(v: unknown): string | null {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  const tags = list
    .filter((t): t is string | number => typeof t === 'string' || typeof t === 'number')
    .map((t) => String(t).trim())
    .filter((t) => t !== '');
  return tags.length > 0 ? JSON.stringify([...new Set(tags)]) : null;
}

export interface MessageRecord {
  /** The message UUID (`uuid`), the same id as the message webhooks' `id`. */
  id: string;
  cli: string | null;
  cld: string | null;
  direction: Direction | null;
  messageType: string | null;
  status: string | null;
  parts: number | null;
  rate: string | null;
  costNanos: bigint | null;
  carrierFeeNanos: bigint | null;
  currency: string | null;
  createdAt: number | null;
  sentAt: number | null;
  completedAt: number | null;
  /** profile_id / profile_name (the messaging profile), tags, country_code (ISO-2). */
  profileId: string | null;
  profileName: string | null;
  tags: string | null;
  countryCode: string | null;
  raw: Record<string, unknown>;
}

export interface WebhookDelivery {
  deliveryId: string;
  status: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** webhook.id: the event id to dedupe on (deliveries repeat). */
  eventId: string;
  eventType: string;
  occurredAt: number | null;
  payload: Record<string, unknown>;
  raw: Record<string, unknown>;
}

export const LEG_ID_KEYS = ['telnyx_leg_id', 'call_leg_id', 'leg_id', 'telnyx_call_leg_id'] as const;
export const SESSION_ID_KEYS = ['telnyx_session_id', 'call_session_id', 'session_id', 'telnyx_call_session_id'] as const;
const WEBRTC_SESSION_ID_KEYS = SESSION_ID_KEYS.filter((k) => k !== 'session_id');
const CONTROL_ID_KEYS = ['telnyx_call_control_id', 'call_control_id'] as const;
const FEATURE_TIME_KEYS = ['invoked_at', 'started_at', 'joined_at', 'finished_at', 'left_at'] as const;

type Normalized<R> = { ok: true; record: R } | { ok: false; reason: string };

/** Reads fields through the schemas above, collecting every problem of a row. */
/** "Ask the schema": a fast reader met a value outside the shapes it knows. */
const SLOW = Symbol('slow');

/**
 * Shortcuts for the shapes Telnyx actually sends (a string, a whole number, null), giving
 * exactly what the schema would; anything else goes to the schema, which also words the
 * error. A page of 50 records reads ~1,300 fields: through zod alone that was a third of an
 * import's parsing time.
 */
const fastMoney = (v: unknown): unknown =>
  v === null || v === undefined ? null : typeof v === 'string' && v.trim() !== '' ? tryOr(() => parseMoney(v)) : SLOW;

const FAST: ReadonlyMap<z.ZodType, (v: unknown) => unknown> = new Map<z.ZodType, (v: unknown) => unknown>([
  [OptionalText, (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v.trim() || null : SLOW)],
  [OptionalInt, (v) => (v === null || v === undefined ? null : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : SLOW)],
  [IdLike, (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : SLOW)],
  [OptionalDirection, (v) => OptionalDirection.parse(v)],
  [OptionalTimestamp, (v) => (v === null || v === undefined ? null : typeof v === 'string' && v.trim() !== '' ? (parseTimestamp(v) ?? SLOW) : SLOW)],
  [OptionalMoney, fastMoney],
  [
    OptionalDecimalText,
    (v) => {
      const n = fastMoney(v);
      return n === SLOW || n === null ? n : formatMoney(n as bigint, 0);
    },
  ],
  [
    OptionalCurrency,
    (v) => (v === null || v === undefined ? null : typeof v === 'string' ? (v.trim() === '' ? null : tryOr(() => normalizeCurrency(v))) : SLOW),
  ],
]);

/** A field as FieldReader reads it (shortcut first): exported so tests hold it to the schema. */
export function readField<S extends z.ZodType>(schema: S, value: unknown): { ok: true; value: z.output<S> | null } | { ok: false } {
  const f = new FieldReader({ value });
  const v = f.get('value', schema);
  return f.issues.length ? { ok: false } : { ok: true, value: v };
}

function tryOr<T>(fn: () => T): T | typeof SLOW {
  try {
    return fn();
  } catch {
    return SLOW;
  }
}

class FieldReader {
  readonly issues: string[] = [];
  constructor(readonly row: Record<string, unknown>) {}
  get<S extends z.ZodType>(key: string, schema: S, from: Record<string, unknown> = this.row): z.output<S> | null {
    const fast = FAST.get(schema);
    if (fast) {
      const v = fast(from[key]);
      if (v !== SLOW) return v as z.output<S>;
    }
    const r = schema.safeParse(from[key]);
    if (r.success) return r.data as z.output<S>;
    this.issues.push(`${key}: ${describeIssues(r.error.issues)}`);
    return null;
  }
  /** The first of `keys` that is present (not null/undefined), read with `schema`. */
  first<S extends z.ZodType>(keys: readonly string[], schema: S): z.output<S> | null {
    const key = keys.find((k) => this.row[k] !== undefined && this.row[k] !== null);
    return key === undefined ? null : this.get(key, schema);
  }
  /** Every non-empty value among `keys`, deduplicated in order. */
  all(keys: readonly string[]): string[] {
    const out: string[] = [];
    for (const k of keys) {
      const v = this.get(k, OptionalText);
      if (v !== null && !out.includes(v)) out.push(v);
    }
    return out;
  }
  result<R>(record: R): Normalized<R> {
    return this.issues.length > 0 ? { ok: false, reason: this.issues.join('; ') } : { ok: true, record };
  }
}

export function normalizeVoiceRecord(raw: unknown, recordType: VoiceRecordType): Normalized<VoiceRecord> {
  if (!isObject(raw)) return { ok: false, reason: 'row is not an object' };
  const f = new FieldReader(raw);
  const id = f.first(['id', 'uuid'], IdLike);
  if (id === null && f.issues.length === 0) f.issues.push('id: missing');
  const record: VoiceRecord = {
    recordType,
    id: id ?? '',
    legIds: f.all(LEG_ID_KEYS),
    // A webrtc record's plain `session_id` is the SDK registration, shared by many calls: never
    // a call session to match on (../shared/telnyx-api.md). Its call session ids still count.
    sessionIds: f.all(recordType === 'webrtc' ? WEBRTC_SESSION_ID_KEYS : SESSION_ID_KEYS),
    controlId: f.first(CONTROL_ID_KEYS, OptionalText),
    cli: f.get('cli', OptionalText),
    cld: f.get('cld', OptionalText),
    direction: f.get('direction', OptionalDirection),
    startedAt: f.get('started_at', OptionalTimestamp),
    finishedAt: f.get('finished_at', OptionalTimestamp),
    // A feature record may have no created_at (the spec's AmdDetailRecord has invoked_at,
    // ConferenceParticipantDetailRecord joined_at): its own time stands in for the window check.
    createdAt: f.get('created_at', OptionalTimestamp) ?? (isFeatureRecordType(recordType) ? f.first(FEATURE_TIME_KEYS, OptionalTimestamp) : null),
    callSec: f.get('call_sec', OptionalInt),
    billedSec: f.get('billed_sec', OptionalInt),
    rate: f.get('rate', OptionalDecimalText),
    costNanos: f.get('cost', OptionalMoney),
    currency: f.get('currency', OptionalCurrency),
    notBillable: notBillableFlag(raw),
    attribution: {
      billingGroupId: f.get('billing_group_id', OptionalText),
      billingGroupName: f.get('billing_group_name', OptionalText),
      connectionId: f.get('connection_id', OptionalText),
      connectionName: f.get('connection_name', OptionalText),
      tags: tagsText(raw.tags),
      countryCode: f.get('country_code', OptionalText),
    },
    raw,
  };
  return f.result(record);
}

export function normalizeMessageRecord(raw: unknown): Normalized<MessageRecord> {
  if (!isObject(raw)) return { ok: false, reason: 'row is not an object' };
  const f = new FieldReader(raw);
  const id = f.first(['uuid', 'id'], IdLike);
  if (id === null && f.issues.length === 0) f.issues.push('uuid: missing');
  // The MDR's cost is a flat string. Tolerate the webhook shape { amount, currency } too.
  const costObj = isObject(raw.cost) ? raw.cost : null;
  const costNanos = costObj ? f.get('amount', OptionalMoney, costObj) : f.get('cost', OptionalMoney);
  const currency =
    raw.currency !== undefined && raw.currency !== null ? f.get('currency', OptionalCurrency) : costObj ? f.get('currency', OptionalCurrency, costObj) : null;
  const messageType = f.get('message_type', OptionalText);
  const record: MessageRecord = {
    id: id ?? '',
    cli: f.get('cli', OptionalText),
    cld: f.get('cld', OptionalText),
    direction: f.get('direction', OptionalDirection),
    messageType: messageType === null ? null : messageType.toUpperCase(),
    status: f.get('status', OptionalText),
    parts: f.get('parts', OptionalInt),
    rate: f.get('rate', OptionalDecimalText),
    costNanos,
    carrierFeeNanos: f.get('carrier_fee', OptionalMoney),
    currency,
    createdAt: f.get('created_at', OptionalTimestamp),
    sentAt: f.get('sent_at', OptionalTimestamp),
    completedAt: f.get('completed_at', OptionalTimestamp),
    profileId: f.get('profile_id', OptionalText),
    profileName: f.get('profile_name', OptionalText),
    tags: tagsText(raw.tags),
    countryCode: f.get('country_code', OptionalText),
    raw,
  };
  return f.result(record);
}

export function normalizeWebhookDelivery(raw: unknown): Normalized<WebhookDelivery> {
  if (!isObject(raw)) return { ok: false, reason: 'row is not an object' };
  const f = new FieldReader(raw);
  const deliveryId = f.get('id', IdLike);
  let hook = isObject(raw.webhook) ? raw.webhook : null;
  // A stored delivery may hold the webhook body itself ({ data: { event_type, ... } }).
  if (hook && hook.event_type === undefined && isObject(hook.data)) hook = hook.data;
  if (!hook) {
    f.issues.push('webhook: missing or not an object');
    return f.result(null as never);
  }
  const eventId = f.get('id', IdLike, hook);
  const eventType = f.get('event_type', OptionalText, hook);
  if (eventType === null && !f.issues.some((i) => i.startsWith('event_type'))) f.issues.push('webhook.event_type: missing');
  let payload: Record<string, unknown> = {};
  if (isObject(hook.payload)) payload = hook.payload;
  else if (hook.payload !== undefined && hook.payload !== null) f.issues.push('webhook.payload: not an object');
  const record: WebhookDelivery = {
    deliveryId: deliveryId ?? '',
    status: f.get('status', OptionalText),
    startedAt: f.get('started_at', OptionalTimestamp),
    finishedAt: f.get('finished_at', OptionalTimestamp),
    eventId: eventId ?? '',
    // A v1 spelling ("call_initiated") becomes its v2 name; the raw row keeps what was sent.
    eventType: eventType === null ? '' : canonicalEventType(eventType),
    occurredAt: f.get('occurred_at', OptionalTimestamp, hook),
    payload,
    raw,
  };
  return f.result(record);
}

/** Normalizes a page's rows; the unreadable ones go to `rejected` with their index. */
export function normalizeRows<R>(data: unknown[], normalize: (raw: unknown) => Normalized<R>): { rows: R[]; rejected: RejectedRow[] } {
  const rows: R[] = [];
  const rejected: RejectedRow[] = [];
  data.forEach((raw, index) => {
    const n = normalize(raw);
    if (n.ok) rows.push(n.record);
    else rejected.push({ index, reason: n.reason, raw });
  });
  return { rows, rejected };
}

function notBillableFlag(row: Record<string, unknown>): boolean {
  // is_telnyx_billable: the spec's feature records (AmdDetailRecord, ...) say it this way.
  for (const k of ['billable', 'is_billable', 'is_telnyx_billable']) {
    const v = row[k];
    if (v === false || v === 0 || (typeof v === 'string' && /^(false|0|no)$/i.test(v.trim()))) return true;
  }
  for (const k of ['billing_status', 'billable_status', 'status']) {
    const v = row[k];
    if (typeof v === 'string' && /^(not|non|un)[_ -]?billable$/i.test(v.trim())) return true;
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join(', ');
}
