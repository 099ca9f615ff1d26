// A deterministic generated Telnyx account. Nothing is stored per call: call #i (its ids,
// timings, records and events) is recomputed from (seed, i) whenever it is asked for, so a
// million-call account costs a few hundred bytes until an index is built over it.
//
// Ground truth for tests: `call(i)` / `message(i)` give every fact, including the true cost
// as an exact decimal string; `expectedTotals()` sums exact costs per number and currency.
import type { FeatureRecordType } from '../../../shared/domain.ts';
import { formatMoney, type Nanos } from '../../../shared/money.ts';
import { callCore, messageCore, remoteNumber, type CallCore, type MessageCore } from './core.ts';
import { makeNumbers, voiceCostNanos, type OurNumber } from './numbers.ts';
import { resolveAccountOptions, type AccountOptions, type ResolvedAccountOptions } from './options.ts';
import { hash3, makeCallControlId, makeUuid, uuidIndex } from './prng.ts';
import { SALT } from './salts.ts';

/** Recording, per minute of the call's billed time (a call.cost "call-recording" part). */
export const RECORDING_RATE = '0.002';
export const RECORDING_RATE_NANOS = 2_000_000n;

/** Record types the simulator serves (values of `filter[record_type]`). */
export type SimRecordType = 'call-control' | 'sip-trunking' | 'webrtc' | 'messaging' | FeatureRecordType;

export interface VoiceRecordTruth {
  recordType: 'call-control' | 'sip-trunking' | 'webrtc';
  /** The record's own id (never a leg id). */
  id: string;
  /** Leg id the record refers to (for sip-trunking: the trunk leg, which is not the call's leg). */
  legId: string;
  sessionId: string;
  createdMs: number;
  rate: string;
  billedSec: number;
  cost: string;
  costNanos: Nanos;
  currency: string;
  /** Listed twice by the detail-records endpoint. */
  duplicated: boolean;
}

export interface CallTruth {
  index: number;
  callControlId: string;
  callLegId: string;
  callSessionId: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound';
  ourNumber: string;
  numberIndex: number;
  currency: string;
  startMs: number;
  answerMs: number | null;
  endMs: number;
  answered: boolean;
  callSec: number;
  billedSec: number;
  /** Per-minute rate of the main (call-control or webrtc) leg. */
  rate: string;
  incrementSec: number;
  webrtc: boolean;
  sipTrunked: boolean;
  /** Whether the connection sends call.cost events for this call. */
  costEvent: boolean;
  /** Unanswered calls are not billable: their record says call_sec 0, billed_sec 0, cost "0". */
  billable: boolean;
  /** Whether any detail record ever appears (false: neverRecordRate hit). */
  hasRecord: boolean;
  /** The records that will be listed (empty when !hasRecord). */
  records: VoiceRecordTruth[];
  /** Sum over all billed parts (main leg + sip trunk + recording), exact. */
  totalCost: string;
  totalCostNanos: Nanos;
}

export interface MessageTruth {
  index: number;
  /** Message id = MDR `uuid` = webhook payload `id`. */
  id: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound';
  ourNumber: string;
  numberIndex: number;
  type: 'SMS' | 'MMS';
  parts: number;
  status: string;
  /** Per part. */
  rate: string;
  carrierFee: string;
  /** cost = rate * parts + carrier_fee (the MDR `cost` includes the carrier fee). */
  cost: string;
  costNanos: Nanos;
  currency: string;
  billable: boolean;
  createdMs: number;
  sentMs: number;
  completedMs: number;
  hasRecord: boolean;
  recordCreatedMs: number | null;
  duplicated: boolean;
}

/** Per our number (E.164), per currency, nano-units. */
export type Totals = Record<string, Record<string, Nanos>>;

export interface TotalsQuery {
  /** Inclusive lower bound (ms). */
  fromMs?: number;
  /** Exclusive upper bound (ms). */
  toMs?: number;
  /**
   * 'start' (default): calls by start time, messages by creation time, every billable item's
   * true cost (including those that never get a record unless `onlyRecorded`).
   * 'record_created': each record by its created_at, each counted once: what a perfect
   * importer of the window [fromMs, toMs) would book (combine with `asOfMs` for visibility).
   */
  by?: 'start' | 'record_created';
  /** Only records with created_at <= asOfMs (by: 'record_created'). */
  asOfMs?: number;
  onlyRecorded?: boolean;
  calls?: boolean;
  messages?: boolean;
  /** For by: 'record_created', which record types to count (default all four). */
  recordTypes?: readonly SimRecordType[];
}

/** Longest possible lag between a call's start and its last record's created_at. */
function maxLagMs(o: ResolvedAccountOptions): number {
  return 30_000 + 3601_000 + Math.max(o.recordDelayMs.max, o.stragglerDelayMs.max) + 2000;
}

export class GeneratedAccount {
  readonly options: ResolvedAccountOptions;
  readonly numbers: readonly OurNumber[];
  readonly callCount: number;
  readonly messageCount: number;
  readonly seed: number;

  constructor(options: AccountOptions = {}) {
    this.options = resolveAccountOptions(options);
    this.seed = this.options.seed;
    this.numbers = makeNumbers(this.seed, this.options.numbers);
    this.callCount = this.options.totalCalls;
    this.messageCount = this.options.totalMessages;
  }

  // --- cores and ids (cheap) ---------------------------------------------------------------
  callCore(i: number): CallCore {
    this.#checkCall(i);
    return callCore(this.options, this.numbers, i);
  }
  messageCore(i: number): MessageCore {
    this.#checkMessage(i);
    return messageCore(this.options, this.numbers, i);
  }
  callLegId(i: number): string {
    return makeUuid(this.seed, SALT.callLeg, i);
  }
  callSessionId(i: number): string {
    return makeUuid(this.seed, SALT.callSession, i);
  }
  callControlId(i: number): string {
    return makeCallControlId(this.seed, SALT.callControl, i);
  }
  /** The recording detail record of call i (recorded calls only). */
  recordingRecordId(i: number): string {
    return makeUuid(this.seed, SALT.recordingRecordId, i);
  }
  /** Id of the call's main record (call-control or webrtc). */
  callRecordId(i: number): string {
    return makeUuid(this.seed, SALT.recordId, i);
  }
  sipLegId(i: number): string {
    return makeUuid(this.seed, SALT.sipLeg, i);
  }
  sipRecordId(i: number): string {
    return makeUuid(this.seed, SALT.sipRecordId, i);
  }
  messageId(i: number): string {
    return makeUuid(this.seed, SALT.messageId, i);
  }

  /** Call index for any id the account generated for a call (leg, session, record, sip leg). */
  findCall(id: string): number | null {
    for (const salt of [SALT.callLeg, SALT.callSession, SALT.recordId, SALT.sipLeg, SALT.sipRecordId]) {
      const i = uuidIndex(this.seed, salt, id);
      if (i !== null && i < this.callCount) return i;
    }
    return null;
  }
  findMessage(id: string): number | null {
    const i = uuidIndex(this.seed, SALT.messageId, id);
    return i !== null && i < this.messageCount ? i : null;
  }

  number(i: number): OurNumber {
    const n = this.numbers[i];
    if (!n) throw new RangeError(`no number #${i}`);
    return n;
  }

  /** Main-leg, sip-trunk and recording costs of a call, nano-units. */
  callCosts(c: CallCore): { rateNanos: Nanos; main: Nanos; sip: Nanos; recording: Nanos } {
    const n = this.numbers[c.numberIndex]!;
    const rateNanos = c.webrtc ? n.nanos.webrtcRate : c.outbound ? n.nanos.outboundRate : n.nanos.inboundRate;
    const main = voiceCostNanos(rateNanos, c.billedSec);
    const sip = c.sip ? voiceCostNanos(n.nanos.sipTrunkingRate, c.billedSec) : 0n;
    const recording = this.isRecorded(c) ? voiceCostNanos(RECORDING_RATE_NANOS, c.billedSec) : 0n;
    return { rateNanos, main, sip, recording };
  }

  /**
   * A recorded call: answered, call-control. Its recording part is in its call.cost events
   * (when it has them) and in a recording detail record (records.ts recordingRecord). Its own
   * hash, so recordingRate 0 leaves every other draw of the account as it was.
   */
  isRecorded(c: CallCore): boolean {
    const r = this.options.recordingRate;
    if (r <= 0 || !c.answered || c.webrtc) return false;
    return hash3(this.seed, SALT.callEvent, c.index, 91) / 0x1_0000_0000 < r;
  }

  callRate(c: CallCore): string {
    const d = this.numbers[c.numberIndex]!.deck;
    return c.webrtc ? d.webrtcRate : c.outbound ? d.outboundRate : d.inboundRate;
  }

  messageCosts(m: MessageCore): { rate: string; carrierFee: string; carrierFeeNanos: Nanos; cost: Nanos } {
    const n = this.numbers[m.numberIndex]!;
    const d = n.deck;
    if (!m.billable) return { rate: '0', carrierFee: '0', carrierFeeNanos: 0n, cost: 0n };
    const rate = m.mms ? (m.outbound ? d.mmsOutboundRate : d.mmsInboundRate) : m.outbound ? d.smsOutboundRate : d.smsInboundRate;
    const rateN = m.mms ? (m.outbound ? n.nanos.mmsOutboundRate : n.nanos.mmsInboundRate) : m.outbound ? n.nanos.smsOutboundRate : n.nanos.smsInboundRate;
    // Inbound messages carry no carrier fee.
    const carrierFee = m.outbound ? (m.mms ? d.mmsCarrierFee : d.smsCarrierFee) : '0';
    const feeN = m.outbound ? (m.mms ? n.nanos.mmsCarrierFee : n.nanos.smsCarrierFee) : 0n;
    return { rate, carrierFee, carrierFeeNanos: feeN, cost: rateN * BigInt(m.parts) + feeN };
  }

  // --- full facts ---------------------------------------------------------------------------
  call(i: number): CallTruth {
    const c = this.callCore(i);
    const n = this.numbers[c.numberIndex]!;
    const remote = remoteNumber(n, c.remoteA, c.remoteB);
    const costs = this.callCosts(c);
    const legId = this.callLegId(i);
    const sessionId = this.callSessionId(i);
    const records: VoiceRecordTruth[] = [];
    if (c.recorded) {
      records.push({
        recordType: c.webrtc ? 'webrtc' : 'call-control',
        id: this.callRecordId(i),
        legId,
        sessionId,
        createdMs: c.recordCreatedMs,
        rate: this.callRate(c),
        billedSec: c.billedSec,
        cost: formatCost(costs.main),
        costNanos: costs.main,
        currency: n.currency,
        duplicated: c.recordDuplicated,
      });
      if (c.sip) {
        records.push({
          recordType: 'sip-trunking',
          id: this.sipRecordId(i),
          legId: this.sipLegId(i),
          sessionId,
          createdMs: c.sipCreatedMs,
          rate: n.deck.sipTrunkingRate,
          billedSec: c.billedSec,
          cost: formatCost(costs.sip),
          costNanos: costs.sip,
          currency: n.currency,
          duplicated: c.sipDuplicated,
        });
      }
    }
    const total = costs.main + costs.sip + costs.recording;
    return {
      index: i,
      callControlId: this.callControlId(i),
      callLegId: legId,
      callSessionId: sessionId,
      from: c.outbound ? n.e164 : remote,
      to: c.outbound ? remote : n.e164,
      direction: c.outbound ? 'outbound' : 'inbound',
      ourNumber: n.e164,
      numberIndex: c.numberIndex,
      currency: n.currency,
      startMs: c.startMs,
      answerMs: c.answered ? c.answerMs : null,
      endMs: c.endMs,
      answered: c.answered,
      callSec: c.callSec,
      billedSec: c.billedSec,
      rate: this.callRate(c),
      incrementSec: n.deck.incrementSec,
      webrtc: c.webrtc,
      sipTrunked: c.sip,
      costEvent: c.costEvent,
      billable: c.billedSec > 0,
      hasRecord: c.recorded,
      records,
      totalCost: formatCost(total),
      totalCostNanos: total,
    };
  }

  message(i: number): MessageTruth {
    const m = this.messageCore(i);
    const n = this.numbers[m.numberIndex]!;
    const remote = remoteNumber(n, m.remoteA, m.remoteB);
    const costs = this.messageCosts(m);
    return {
      index: i,
      id: this.messageId(i),
      from: m.outbound ? n.e164 : remote,
      to: m.outbound ? remote : n.e164,
      direction: m.outbound ? 'outbound' : 'inbound',
      ourNumber: n.e164,
      numberIndex: m.numberIndex,
      type: m.mms ? 'MMS' : 'SMS',
      parts: m.parts,
      status: m.status,
      rate: costs.rate,
      carrierFee: costs.carrierFee,
      cost: formatCost(costs.cost),
      costNanos: costs.cost,
      currency: n.currency,
      billable: m.billable,
      createdMs: m.createdMs,
      sentMs: m.sentMs,
      completedMs: m.completedMs,
      hasRecord: m.recorded,
      recordCreatedMs: m.recorded ? m.recordCreatedMs : null,
      duplicated: m.recorded && m.recordDuplicated,
    };
  }

  // --- expected totals ----------------------------------------------------------------------
  /** Calls whose start could fall in [fromMs, toMs) (a slightly wider index range). */
  callIndexRange(fromMs: number, toMs: number): [number, number] {
    return indexRange(this.options.startMs, this.options.spanMs / Math.max(1, this.options.calls), this.callCount, fromMs, toMs);
  }
  messageIndexRange(fromMs: number, toMs: number): [number, number] {
    return indexRange(this.options.startMs, this.options.spanMs / Math.max(1, this.options.messages), this.messageCount, fromMs, toMs);
  }

  expectedTotals(q: TotalsQuery = {}): Totals {
    const from = q.fromMs ?? -Infinity;
    const to = q.toMs ?? Infinity;
    const by = q.by ?? 'start';
    const asOf = q.asOfMs ?? Infinity;
    const types = new Set<SimRecordType>(q.recordTypes ?? ['call-control', 'sip-trunking', 'webrtc', 'messaging']);
    const totals: Totals = {};
    const add = (numberIndex: number, amount: Nanos) => {
      const n = this.numbers[numberIndex]!;
      const perCur = (totals[n.e164] ??= {});
      perCur[n.currency] = (perCur[n.currency] ?? 0n) + amount;
    };
    const inWindow = (t: number) => t >= from && t < to && t <= asOf;
    const lag = by === 'record_created' ? maxLagMs(this.options) : 0;
    if (q.calls ?? true) {
      const [lo, hi] = this.callIndexRange(from - lag, to);
      for (let i = lo; i < hi; i++) {
        const c = callCore(this.options, this.numbers, i);
        if (by === 'start') {
          if (c.startMs < from || c.startMs >= to) continue;
          if (q.onlyRecorded && !c.recorded) continue;
          const k = this.callCosts(c);
          add(c.numberIndex, k.main + k.sip + k.recording);
        } else {
          if (!c.recorded) continue;
          const k = this.callCosts(c);
          if (types.has(c.webrtc ? 'webrtc' : 'call-control') && inWindow(c.recordCreatedMs)) add(c.numberIndex, k.main);
          if (c.sip && types.has('sip-trunking') && inWindow(c.sipCreatedMs)) add(c.numberIndex, k.sip);
        }
      }
    }
    if (q.messages ?? true) {
      const [lo, hi] = this.messageIndexRange(from - lag, to);
      for (let i = lo; i < hi; i++) {
        const m = messageCore(this.options, this.numbers, i);
        if (by === 'start') {
          if (m.createdMs < from || m.createdMs >= to) continue;
          if (q.onlyRecorded && !m.recorded) continue;
        } else if (!m.recorded || !types.has('messaging') || !inWindow(m.recordCreatedMs)) {
          continue;
        }
        add(m.numberIndex, this.messageCosts(m).cost);
      }
    }
    return totals;
  }

  #checkCall(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.callCount) throw new RangeError(`no call #${i}`);
  }
  #checkMessage(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.messageCount) throw new RangeError(`no message #${i}`);
  }
}

function indexRange(startMs: number, spacing: number, count: number, fromMs: number, toMs: number): [number, number] {
  // Item i starts in [startMs + i*spacing, startMs + (i+1)*spacing); one extra on each side.
  const lo = fromMs === -Infinity ? 0 : Math.max(0, Math.floor((fromMs - startMs) / spacing) - 1);
  const hi = toMs === Infinity ? count : Math.min(count, Math.ceil((toMs - startMs) / spacing) + 1);
  return [Math.min(lo, count), Math.max(0, hi)];
}

/** Telnyx-style cost text: at least four decimals ("0.0180", "0.00305"), a genuine zero is "0". */
export function formatCost(n: Nanos): string {
  return n === 0n ? '0' : formatMoney(n, 4);
}

export function createAccount(options: AccountOptions = {}): GeneratedAccount {
  return new GeneratedAccount(options);
}
