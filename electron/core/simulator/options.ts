// Account options and their defaults. Every field is optional; `resolveAccountOptions` fills
// the rest so the same (partial) options always describe the same account.
import { seedFrom } from './prng.ts';

export interface Range {
  min: number;
  max: number;
}

export interface AccountOptions {
  /** Anything: the same seed gives the same account, byte for byte. Default 1. */
  seed?: number | string;
  /** How many of our phone numbers. Default 6 (every third one bills in EUR). */
  numbers?: number;
  /** Calls that start within [startMs, startMs + spanMs). Default 2000. */
  calls?: number;
  /** Messages within the same span. Default 1000. */
  messages?: number;
  /** Default 2026-01-01T00:00Z; in live mode `now - spanMs` at creation. */
  startMs?: number;
  /** Default 14 days (ends 2026-01-15T00:00Z, before ManualClock's default noon). */
  spanMs?: number;
  /** Detail record created_at = call end + this. Default 30 s .. 10 min. */
  recordDelayMs?: Range;
  /** Fraction of records that arrive much later (created_at = end + stragglerDelayMs). Default 0.01. */
  stragglerRate?: number;
  /** Default 1 h .. 6 h. */
  stragglerDelayMs?: Range;
  /** Fraction of billable calls/messages that never get a detail record. Default 0.01. */
  neverRecordRate?: number;
  /** Fraction of records listed twice (same row, adjacent in created_at order). Default 0.02. */
  duplicateRecordRate?: number;
  /** Fraction of answered calls that also have a sip-trunking record (same session). Default 0.1. */
  sipTrunkingRate?: number;
  /** Fraction of calls whose main record is a webrtc record instead of call-control. Default 0.02. */
  webrtcRate?: number;
  /** Fraction of call-control calls whose connection sends call.cost events. Default 0.5. */
  callCostEventRate?: number;
  /** Fraction of calls never answered. Default 0.15. */
  unansweredRate?: number;
  /**
   * Fraction of answered call-control calls that are recorded: a "call-recording" part in
   * their call.cost (openapi/spec3.yml CallCost cost_parts[].call_part), which no
   * call-control or sip-trunking record carries. Default 0.
   */
  recordingRate?: number;
  /**
   * An MDR's `cost` as documented ("rate * parts", carrier_fee a separate field): false,
   * the default. true plays the other reading (cost includes the fee).
   */
  mdrCostIncludesFee?: boolean;
  /**
   * Webhook API version of the account's applications (openapi/spec3.yml
   * CallControlApplication.webhook_api_version, default "1" at Telnyx). "2" (the default
   * here): event_type "call.hangup"; "1": the v1 spelling "call_hangup".
   */
  webhookApiVersion?: '1' | '2';
  /**
   * What GET /call_control_applications and /messaging_profiles report (the doctor reads
   * them): by default one application per connection with a webhook URL, this account's API
   * version and call cost in webhooks on when callCostEventRate > 0; false values play a
   * badly set up account.
   */
  accountSetup?: { webhookUrls?: boolean; callCostInWebhooks?: boolean; connectionWebhookUrls?: boolean };
  /** Added to every GET /usage_reports row's cost (a decimal, e.g. "0.5"): Telnyx disagreeing. Default "0". */
  usageReportOffset?: string;
  /** Fraction of webhook deliveries delivered a second time (same event id). Default 0.03. */
  duplicateDeliveryRate?: number;
  /** Fraction of deliveries that start well after the event. Default 0.03. */
  lateDeliveryRate?: number;
  /** Default 2 min .. 30 min. */
  lateDeliveryMs?: Range;
  /**
   * Live/demo mode: the span ends at creation time (`nowMs`), and the account keeps going
   * for `liveHorizonMs` more at the same density. Future calls exist already but are
   * invisible (records and deliveries only show once the clock passes their created_at /
   * started_at), so a dashboard polling the simulator sees new calls keep happening.
   */
  live?: boolean;
  /** Default 7 days. */
  liveHorizonMs?: number;
  /** Creation time for live mode. Default Date.now(). */
  nowMs?: number;
}

export interface ResolvedAccountOptions {
  seed: number;
  seedInput: number | string;
  numbers: number;
  calls: number;
  messages: number;
  startMs: number;
  spanMs: number;
  recordDelayMs: Range;
  stragglerRate: number;
  stragglerDelayMs: Range;
  neverRecordRate: number;
  duplicateRecordRate: number;
  sipTrunkingRate: number;
  webrtcRate: number;
  callCostEventRate: number;
  unansweredRate: number;
  recordingRate: number;
  mdrCostIncludesFee: boolean;
  webhookApiVersion: '1' | '2';
  /** connectionWebhookUrls: whether the SIP connections of GET /connections have one (default: as webhookUrls). */
  accountSetup: { webhookUrls: boolean; callCostInWebhooks: boolean; connectionWebhookUrls: boolean };
  usageReportOffset: string;
  duplicateDeliveryRate: number;
  lateDeliveryRate: number;
  lateDeliveryMs: Range;
  live: boolean;
  liveHorizonMs: number;
  /** Calls/messages in total, including the live horizon. */
  totalCalls: number;
  totalMessages: number;
}

export const DEFAULT_START_MS = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

function rate(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} must be within [0, 1], got ${x}`);
  return x;
}

function range(name: string, v: Range | undefined, dflt: Range): Range {
  const r = v ?? dflt;
  if (!(Number.isFinite(r.min) && Number.isFinite(r.max) && r.min >= 0 && r.max >= r.min)) {
    throw new RangeError(`${name} must be {min, max} with 0 <= min <= max`);
  }
  return { min: Math.floor(r.min), max: Math.floor(r.max) };
}

function count(name: string, v: number | undefined, dflt: number, min: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min || x > 0x7fffffff) throw new RangeError(`${name} must be an integer >= ${min}`);
  return x;
}

export function resolveAccountOptions(o: AccountOptions = {}): ResolvedAccountOptions {
  const live = o.live ?? false;
  const spanMs = o.spanMs ?? (live ? 7 * DAY : 14 * DAY);
  if (!(Number.isFinite(spanMs) && spanMs > 0)) throw new RangeError('spanMs must be > 0');
  const nowMs = o.nowMs ?? Date.now();
  const startMs = o.startMs ?? (live ? nowMs - spanMs : DEFAULT_START_MS);
  const calls = count('calls', o.calls, 2000, 0);
  const messages = count('messages', o.messages, 1000, 0);
  const liveHorizonMs = o.liveHorizonMs ?? 7 * DAY;
  const extra = (n: number) => (live && n > 0 ? Math.ceil((n * liveHorizonMs) / spanMs) : 0);
  const seedInput = o.seed ?? 1;
  return {
    seed: seedFrom(seedInput),
    seedInput,
    numbers: count('numbers', o.numbers, 6, 1),
    calls,
    messages,
    startMs,
    spanMs,
    recordDelayMs: range('recordDelayMs', o.recordDelayMs, { min: 30_000, max: 600_000 }),
    stragglerRate: rate('stragglerRate', o.stragglerRate, 0.01),
    stragglerDelayMs: range('stragglerDelayMs', o.stragglerDelayMs, { min: 3_600_000, max: 21_600_000 }),
    neverRecordRate: rate('neverRecordRate', o.neverRecordRate, 0.01),
    duplicateRecordRate: rate('duplicateRecordRate', o.duplicateRecordRate, 0.02),
    sipTrunkingRate: rate('sipTrunkingRate', o.sipTrunkingRate, 0.1),
    webrtcRate: rate('webrtcRate', o.webrtcRate, 0.02),
    callCostEventRate: rate('callCostEventRate', o.callCostEventRate, 0.5),
    unansweredRate: rate('unansweredRate', o.unansweredRate, 0.15),
    recordingRate: rate('recordingRate', o.recordingRate, 0),
    mdrCostIncludesFee: o.mdrCostIncludesFee ?? false,
    webhookApiVersion: o.webhookApiVersion === '1' ? '1' : '2',
    usageReportOffset: o.usageReportOffset ?? '0',
    accountSetup: {
      webhookUrls: o.accountSetup?.webhookUrls ?? true,
      callCostInWebhooks: o.accountSetup?.callCostInWebhooks ?? (o.callCostEventRate ?? 0.5) > 0,
      connectionWebhookUrls: o.accountSetup?.connectionWebhookUrls ?? o.accountSetup?.webhookUrls ?? true,
    },
    duplicateDeliveryRate: rate('duplicateDeliveryRate', o.duplicateDeliveryRate, 0.03),
    lateDeliveryRate: rate('lateDeliveryRate', o.lateDeliveryRate, 0.03),
    lateDeliveryMs: range('lateDeliveryMs', o.lateDeliveryMs, { min: 120_000, max: 1_800_000 }),
    live,
    liveHorizonMs,
    totalCalls: calls + extra(calls),
    totalMessages: messages + extra(messages),
  };
}
