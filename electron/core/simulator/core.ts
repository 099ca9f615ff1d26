// The numeric "core" of a call or message: timings, flags and costs' inputs, no strings.
// It is all the sorted indexes need, so building an index over a million calls never
// formats an id or a date. The full facts (ids, records, payloads) are derived from it.
import type { ResolvedAccountOptions, Range } from './options.ts';
import { Rng, hash3 } from './prng.ts';
import { SALT } from './salts.ts';
import { billedSeconds, type OurNumber } from './numbers.ts';

export interface CallCore {
  index: number;
  numberIndex: number;
  outbound: boolean;
  startMs: number;
  answered: boolean;
  /** -1 when never answered. */
  answerMs: number;
  endMs: number;
  callSec: number;
  billedSec: number;
  /** Main record is a webrtc record instead of call-control (and no call.cost events). */
  webrtc: boolean;
  /** False only for billable calls that never get any record (neverRecordRate). */
  recorded: boolean;
  /** Whole seconds: records carry second-precision timestamps. */
  recordCreatedMs: number;
  recordDuplicated: boolean;
  /** Also billed by a SIP trunk (answered call-control calls only). */
  sip: boolean;
  sipCreatedMs: number;
  sipDuplicated: boolean;
  costEvent: boolean;
  /** Random bits that choose field-name variants. */
  variant: number;
  remoteA: number;
  remoteB: number;
  hangup: number;
}

export interface MessageCore {
  index: number;
  numberIndex: number;
  outbound: boolean;
  mms: boolean;
  parts: number;
  status: 'delivered' | 'delivery_failed' | 'gw_reject';
  createdMs: number;
  sentMs: number;
  completedMs: number;
  billable: boolean;
  recorded: boolean;
  recordCreatedMs: number;
  recordDuplicated: boolean;
  variant: number;
  remoteA: number;
  remoteB: number;
}

function delay(r: Rng, o: ResolvedAccountOptions): number {
  const straggler = r.next() < o.stragglerRate;
  const d: Range = straggler ? o.stragglerDelayMs : o.recordDelayMs;
  return r.int(d.min, d.max);
}

const ceilSecond = (ms: number) => Math.ceil(ms / 1000) * 1000;

export function callCore(o: ResolvedAccountOptions, numbers: readonly OurNumber[], i: number): CallCore {
  // The draw order below is part of the data format: changing it changes every account.
  const r = new Rng(hash3(o.seed, SALT.call, i));
  const numberIndex = r.u32() % numbers.length;
  const outbound = r.next() < 0.55;
  const startMs = o.startMs + Math.floor(((i + r.next()) * o.spanMs) / o.calls);
  const answered = r.next() >= o.unansweredRate;
  const ringMs = answered ? r.int(2000, 20000) : r.int(5000, 30000);
  const kind = r.next();
  const u = r.next();
  const callSec = !answered ? 0 : kind < 0.7 ? 1 + Math.floor(u * 180) : kind < 0.95 ? 181 + Math.floor(u * 720) : 901 + Math.floor(u * 2700);
  const answerMs = answered ? startMs + ringMs : -1;
  const endMs = answered ? answerMs + callSec * 1000 : startMs + ringMs;
  const billedSec = billedSeconds(callSec, numbers[numberIndex]!.deck.incrementSec);
  const recordCreatedMs = ceilSecond(endMs + delay(r, o));
  const never = r.next() < o.neverRecordRate;
  const recordDuplicated = r.next() < o.duplicateRecordRate;
  const sipDraw = r.next() < o.sipTrunkingRate;
  const sipCreatedMs = ceilSecond(endMs + delay(r, o));
  const sipDuplicated = r.next() < o.duplicateRecordRate;
  const webrtc = r.next() < o.webrtcRate;
  const costDraw = r.next() < o.callCostEventRate;
  const billable = billedSec > 0;
  return {
    index: i,
    numberIndex,
    outbound,
    startMs,
    answered,
    answerMs,
    endMs,
    callSec,
    billedSec,
    webrtc,
    recorded: !(billable && never),
    recordCreatedMs,
    recordDuplicated,
    sip: sipDraw && answered && !webrtc,
    sipCreatedMs,
    sipDuplicated,
    costEvent: costDraw && !webrtc,
    variant: r.u32(),
    remoteA: r.u32(),
    remoteB: r.u32(),
    hangup: r.u32(),
  };
}

export function messageCore(o: ResolvedAccountOptions, numbers: readonly OurNumber[], i: number): MessageCore {
  const r = new Rng(hash3(o.seed, SALT.message, i));
  const numberIndex = r.u32() % numbers.length;
  const outbound = r.next() < 0.6;
  const createdMs = o.startMs + Math.floor(((i + r.next()) * o.spanMs) / o.messages);
  const mms = r.next() < 0.15;
  const p = r.next();
  const parts = mms ? 1 : p < 0.7 ? 1 : p < 0.92 ? 2 : 3;
  const s = r.next();
  const status = !outbound || s < 0.94 ? 'delivered' : s < 0.97 ? 'delivery_failed' : 'gw_reject';
  const sentMs = createdMs + r.int(50, 1500);
  const completedMs = sentMs + r.int(800, 20000);
  const recordCreatedMs = ceilSecond(completedMs + delay(r, o));
  const never = r.next() < o.neverRecordRate;
  const recordDuplicated = r.next() < o.duplicateRecordRate;
  // A gateway reject is never billed (cost "0"); failed deliveries are billed like delivered.
  const billable = status !== 'gw_reject';
  return {
    index: i,
    numberIndex,
    outbound,
    mms,
    parts,
    status,
    createdMs,
    sentMs,
    completedMs,
    billable,
    recorded: !(billable && never),
    recordCreatedMs,
    recordDuplicated,
    variant: r.u32(),
    remoteA: r.u32(),
    remoteB: r.u32(),
  };
}

/** The other party's number, in the same country as ours. */
export function remoteNumber(ours: OurNumber, a: number, b: number): string {
  if (ours.currency === 'EUR') return `+49${151 + (a % 30)}${String(b % 100_000_000).padStart(8, '0')}`;
  return `+1${200 + (a % 800)}${String(b % 10_000_000).padStart(7, '0')}`;
}
