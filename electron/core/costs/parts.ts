// A call's exact cost, part by part. Telnyx bills a call in parts: the call-control (or
// webrtc) leg, a SIP trunk, a recording, and other billed features (openapi/spec3.yml
// #/components/schemas/CallCost: cost_parts[].call_part, "the service incurring a charge",
// not a fixed set). Detail records price some parts one record each; a call.cost event lists
// every part it knows. So the exact cost is the sum of the call's DISTINCT parts: a part's
// amount comes from its detail records where any match the call (their ids verified by the
// caller), otherwise from the call.cost part. Neither source may overwrite the other's parts.
import { formatMoney } from '../../../shared/money.ts';

/** One of a call.cost event's cost_parts, read exactly (costs/call-cost.ts). */
export interface EventPart {
  part: string;
  nanos: bigint | null;
  currency: string | null;
  rate: string | null;
  billedSec: number | null;
}

export interface CallCostEventParts {
  eventId: string;
  totalNanos: bigint | null;
  billedSec: number | null;
  parts: EventPart[];
}

export interface RecordPart {
  recordType: string;
  recordId: string;
  costNanos: bigint | null;
  currency: string | null;
  rate: string | null;
}

export interface PricedPart {
  /** Canonical part name (partKey). */
  part: string;
  /** The part as its first source spelled it (a record type, or call_part). */
  label: string;
  nanos: bigint;
  currency: string;
  rate: string | null;
  source: 'detail_record' | 'call_cost_event';
  /** Record ids, or the event id, this amount comes from. */
  from: string[];
}

export interface CombinedParts {
  parts: PricedPart[];
  /** Parts known to belong to the call (a record or the event names them) with no cost yet. */
  missing: string[];
  /** The call.cost event's total_cost differs from the sum of its own parts: kept, flagged. */
  eventTotalMismatch: { total: bigint; partsSum: bigint } | null;
}

/**
 * One name per billed part. Detail-record types and call_part names differ in spelling
 * ("call_recording", "recording"); a webrtc record prices the main leg, which call.cost calls
 * call-control (UNCONFIRMED: no source shows a webrtc call's call.cost; this keeps a webrtc
 * record and a call-control part from being counted twice).
 */
export function partKey(name: string): string {
  const k = name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return PART_ALIASES.get(k) ?? k;
}

/**
 * A billed feature's detail-record type (shared/domain.ts FEATURE_RECORD_TYPES) and the
 * call_part a call.cost event names it by are one part. Only call-control, sip-trunking and
 * call-recording are published call_part values; the other spellings are UNCONFIRMED
 * readings, each mapped to its record type so the same charge is never counted twice.
 */
const PART_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'call-control': ['webrtc', 'callcontrol'],
    'call-recording': ['recording'],
    amd: ['answering-machine-detection', 'premium-amd'],
    tts: ['text-to-speech', 'speak'],
    stt: ['speech-to-text', 'transcription'],
    'media-streaming': ['streaming', 'media-stream'],
    'noise-suppression': ['noise-reduction'],
    'ai-voice-assistant': ['ai-assistant', 'voice-assistant'],
    'conference-participant': ['conference'],
  }).flatMap(([key, aliases]) => [key, ...aliases].map((a) => [a, key] as [string, string])),
);

export const MAIN_PART = 'call-control';

/** A billed feature of a call (recording, AMD, ...), not one of its legs. */
export function isFeaturePart(key: string): boolean {
  return key !== MAIN_PART && key !== 'sip-trunking';
}

/** The distinct parts of a call from its records and (the latest of) its call.cost events. */
export function combineParts(records: readonly RecordPart[], event: CallCostEventParts | null): CombinedParts {
  const byPart = new Map<string, PricedPart>();
  const known = new Set<string>();
  for (const r of records) {
    const key = partKey(r.recordType);
    known.add(key);
    if (r.costNanos === null || r.currency === null) continue;
    const p = byPart.get(key);
    // Two records of one part (two trunk legs) are two distinct charges: both count.
    if (p && p.source === 'detail_record') {
      if (p.from.includes(r.recordId)) continue;
      if (p.currency !== r.currency) throw new MixedCurrency();
      p.nanos += r.costNanos;
      p.from.push(r.recordId);
    } else {
      byPart.set(key, { part: key, label: r.recordType, nanos: r.costNanos, currency: r.currency, rate: r.rate, source: 'detail_record', from: [r.recordId] });
    }
  }
  let eventTotalMismatch: CombinedParts['eventTotalMismatch'] = null;
  if (event) {
    const fromEvent = new Map<string, PricedPart>();
    let partsSum = 0n;
    for (const ep of event.parts) {
      const key = partKey(ep.part);
      known.add(key);
      if (ep.nanos === null || ep.currency === null) continue;
      partsSum += ep.nanos;
      const p = fromEvent.get(key);
      if (p) {
        if (p.currency !== ep.currency) throw new MixedCurrency();
        p.nanos += ep.nanos;
      } else {
        fromEvent.set(key, {
          part: key,
          label: ep.part,
          nanos: ep.nanos,
          currency: ep.currency,
          rate: ep.rate,
          source: 'call_cost_event',
          from: [event.eventId],
        });
      }
    }
    for (const [key, p] of fromEvent) if (!byPart.has(key)) byPart.set(key, p);
    if (event.totalNanos !== null && event.parts.length > 0 && event.totalNanos !== partsSum) {
      eventTotalMismatch = { total: event.totalNanos, partsSum };
    }
  }
  const parts = [...byPart.values()].sort((a, b) => (a.part < b.part ? -1 : a.part > b.part ? 1 : 0));
  const missing = [...known].filter((k) => !byPart.has(k)).sort();
  return { parts, missing, eventTotalMismatch };
}

export class MixedCurrency extends Error {
  override name = 'MixedCurrency';
  constructor() {
    super('parts in more than one currency; not summed');
  }
}

/** Sum of the parts, which must share one currency (throws MixedCurrency otherwise). */
export function sumParts(parts: readonly PricedPart[]): { nanos: bigint; currency: string } | null {
  if (parts.length === 0) return null;
  const currency = parts[0]!.currency;
  let nanos = 0n;
  for (const p of parts) {
    if (p.currency !== currency) throw new MixedCurrency();
    nanos += p.nanos;
  }
  return { nanos, currency };
}

/** "call-control 0.015 (detail record) + call-recording 0.002 (call.cost)". */
export function describeParts(parts: readonly PricedPart[]): string {
  return parts.map((p) => `${p.label} ${formatMoney(p.nanos)} (${p.source === 'detail_record' ? 'detail record' : 'call.cost'})`).join(' + ');
}
