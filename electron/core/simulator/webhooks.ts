// Stored webhook deliveries (`GET /v2/webhook_deliveries`). Every call sends call.initiated,
// call.answered (answered calls), call.hangup and, when its connection has costs in
// webhooks, call.cost; every outbound message message.sent + message.finalized, every
// inbound one message.received. Each event is delivered once, a few hundred ms after it
// happened; some are delivered late (minutes after), some twice (same webhook.id, a new
// delivery id, a later started_at), so started_at order differs from occurred_at order.
import { V1_EVENT_TYPES, type EventType } from '../../../shared/domain.ts';
import type { GeneratedAccount } from './account.ts';
import { formatCost, RECORDING_RATE } from './account.ts';
import { remoteNumber, type CallCore, type MessageCore } from './core.ts';
import { Rng, hash3, makeUuid } from './prng.ts';
import { SALT } from './salts.ts';
import { isoMs } from './time.ts';

export const CALL_EVENTS = ['call.initiated', 'call.answered', 'call.hangup', 'call.cost'] as const;
export const MESSAGE_EVENTS = ['message.sent', 'message.finalized', 'message.received'] as const;
export const SIM_EVENT_TYPES: readonly EventType[] = [...CALL_EVENTS, ...MESSAGE_EVENTS];

/** Slot of an event type within its item (also part of the event/delivery id salts). */
export const EVENT_SLOT: Record<EventType, number> = {
  'call.initiated': 0,
  'call.answered': 1,
  'call.hangup': 2,
  'call.cost': 3,
  'message.sent': 0,
  'message.finalized': 1,
  'message.received': 2,
};

export interface DeliveryTiming {
  occurredMs: number;
  startedMs: [number, number];
  finishedMs: [number, number];
  duplicated: boolean;
  late: boolean;
}

export function isCallEvent(t: EventType): t is (typeof CALL_EVENTS)[number] {
  return t.startsWith('call.');
}

/** When an event of item `i` happened, or null if that item has no such event. */
export function callEventOccurred(a: GeneratedAccount, c: CallCore, t: EventType): number | null {
  switch (t) {
    case 'call.initiated':
      return c.startMs;
    case 'call.answered':
      return c.answered ? c.answerMs : null;
    case 'call.hangup':
      return c.endMs;
    case 'call.cost':
      // A few seconds after hangup; the delay is drawn from the event's own stream.
      return c.costEvent ? c.endMs + 1000 + (hash3(a.seed, SALT.callEvent, c.index, 77) % 4000) : null;
    default:
      return null;
  }
}

export function messageEventOccurred(m: MessageCore, t: EventType): number | null {
  switch (t) {
    case 'message.sent':
      return m.outbound ? m.sentMs : null;
    case 'message.finalized':
      return m.outbound ? m.completedMs : null;
    case 'message.received':
      return m.outbound ? null : m.createdMs;
    default:
      return null;
  }
}

export function deliveryTiming(a: GeneratedAccount, t: EventType, itemIndex: number, occurredMs: number): DeliveryTiming {
  const o = a.options;
  const salt = isCallEvent(t) ? SALT.callDelivery : SALT.messageDelivery;
  const r = new Rng(hash3(a.seed, salt, itemIndex, EVENT_SLOT[t]));
  const late = r.next() < o.lateDeliveryRate;
  const lateMs = r.int(o.lateDeliveryMs.min, o.lateDeliveryMs.max);
  const normalMs = r.int(80, 900);
  const duplicated = r.next() < o.duplicateDeliveryRate;
  const gap = r.int(5_000, 600_000);
  const s0 = occurredMs + (late ? lateMs : normalMs);
  const s1 = s0 + gap;
  return { occurredMs, startedMs: [s0, s1], finishedMs: [s0 + r.int(20, 400), s1 + r.int(20, 400)], duplicated, late };
}

function eventId(a: GeneratedAccount, t: EventType, i: number): string {
  const base = isCallEvent(t) ? SALT.callEvent : SALT.messageEvent;
  return makeUuid(a.seed, base * 16 + EVENT_SLOT[t], i);
}

function deliveryId(a: GeneratedAccount, t: EventType, i: number, copy: number): string {
  const base = isCallEvent(t) ? SALT.callDeliveryId : SALT.messageDeliveryId;
  return makeUuid(a.seed, base * 16 + EVENT_SLOT[t] * 2 + copy, i);
}

const iso = isoMs;

/** Webhook API v1 spelling of each type (openapi/spec3.yml webhook delivery example: "call_initiated"). */
const V1_NAME: Record<EventType, string> = Object.fromEntries(Object.entries(V1_EVENT_TYPES).map(([v1, v2]) => [v2, v1])) as Record<EventType, string>;

/** One delivery (copy 0 or 1) of event type `t` of item `i`. */
export function delivery(a: GeneratedAccount, t: EventType, i: number, copy: number): Record<string, unknown> {
  let occurred: number;
  let payload: Record<string, unknown>;
  if (isCallEvent(t)) {
    const c = a.callCore(i);
    occurred = callEventOccurred(a, c, t)!;
    payload = callPayload(a, c, t);
  } else {
    const m = a.messageCore(i);
    occurred = messageEventOccurred(m, t)!;
    payload = messagePayload(a, m, t);
  }
  const timing = deliveryTiming(a, t, i, occurred);
  return {
    id: deliveryId(a, t, i, copy),
    record_type: 'webhook_delivery',
    status: 'delivered',
    started_at: iso(timing.startedMs[copy]!),
    finished_at: iso(timing.finishedMs[copy]!),
    user_id: makeUuid(a.seed, SALT.profile, 9999),
    webhook: {
      id: eventId(a, t, i),
      record_type: 'event',
      event_type: a.options.webhookApiVersion === '1' ? V1_NAME[t] : t,
      occurred_at: iso(occurred),
      payload,
    },
    attempts: [],
  };
}

const ANSWERED_HANGUP = { cause: 'normal_clearing', sip: '200' };
const UNANSWERED = [
  { cause: 'no_answer', sip: '480' },
  { cause: 'user_busy', sip: '486' },
  { cause: 'originator_cancel', sip: '487' },
  { cause: 'call_rejected', sip: '603' },
  { cause: 'timeout', sip: '408' },
];

function callPayload(a: GeneratedAccount, c: CallCore, t: EventType): Record<string, unknown> {
  const n = a.numbers[c.numberIndex]!;
  const remote = remoteNumber(n, c.remoteA, c.remoteB);
  const ids = {
    call_control_id: a.callControlId(c.index),
    call_leg_id: a.callLegId(c.index),
    call_session_id: a.callSessionId(c.index),
    connection_id: n.connectionId,
  };
  const from = c.outbound ? n.e164 : remote;
  const to = c.outbound ? remote : n.e164;
  switch (t) {
    case 'call.initiated':
      return {
        ...ids,
        client_state: null,
        direction: c.outbound ? 'outgoing' : 'incoming',
        from,
        to,
        start_time: iso(c.startMs),
        state: c.outbound ? 'bridging' : 'parked',
      };
    case 'call.answered':
      return { ...ids, client_state: null, from, to, start_time: iso(c.startMs) };
    case 'call.hangup': {
      const h = c.answered ? ANSWERED_HANGUP : UNANSWERED[c.hangup % UNANSWERED.length]!;
      const source = c.answered ? (((c.hangup >>> 8) & 1) === 0 ? 'caller' : 'callee') : c.outbound ? 'callee' : 'caller';
      return {
        ...ids,
        client_state: null,
        from,
        to,
        start_time: iso(c.startMs),
        hangup_cause: h.cause,
        hangup_source: source,
        sip_hangup_cause: h.sip,
        call_quality_stats: null,
      };
    }
    case 'call.cost': {
      // total_cost = sum of the parts; the call-control part equals the call-control record's
      // cost, and a SIP-trunked call adds a sip-trunking part (its sip record's cost).
      const k = a.callCosts(c);
      const parts: Record<string, unknown>[] = [
        { call_part: 'call-control', billed_duration_secs: c.billedSec, cost: formatCost(k.main), rate: a.callRate(c), currency: n.currency },
      ];
      if (c.sip) {
        parts.push({
          call_part: 'sip-trunking',
          billed_duration_secs: c.billedSec,
          cost: formatCost(k.sip),
          rate: n.deck.sipTrunkingRate,
          currency: n.currency,
        });
      }
      if (k.recording > 0n) {
        parts.push({
          call_part: 'call-recording',
          billed_duration_secs: c.billedSec,
          cost: formatCost(k.recording),
          rate: RECORDING_RATE,
          currency: n.currency,
        });
      }
      // The two published shapes (../shared/telnyx-api.md): v2 here as status "success" with
      // decimal strings; the v1 account as openapi/spec3.yml's CallCost example has it, status
      // "valid" with amounts as JSON numbers (every amount here has <= 15 digits: exact).
      if (a.options.webhookApiVersion === '1') {
        for (const p of parts) {
          p.cost = Number(p.cost);
          p.rate = Number(p.rate);
        }
        return { ...ids, status: 'valid', total_cost: Number(formatCost(k.main + k.sip + k.recording)), billed_duration_secs: c.billedSec, cost_parts: parts };
      }
      return {
        ...ids,
        status: 'success',
        total_cost: formatCost(k.main + k.sip + k.recording),
        billed_duration_secs: c.billedSec,
        cost_parts: parts,
      };
    }
    default:
      throw new Error(`not a call event: ${t}`);
  }
}

function messagePayload(a: GeneratedAccount, m: MessageCore, t: EventType): Record<string, unknown> {
  const n = a.numbers[m.numberIndex]!;
  const remote = remoteNumber(n, m.remoteA, m.remoteB);
  const k = a.messageCosts(m);
  const money = (amount: string) => ({ amount, currency: n.currency });
  const cost = money(formatCost(k.cost));
  const base = {
    id: a.messageId(m.index),
    record_type: 'message',
    direction: m.outbound ? 'outbound' : 'inbound',
    type: m.mms ? 'MMS' : 'SMS',
    messaging_profile_id: n.messagingProfileId,
    parts: m.parts,
    cost_breakdown: { rate: money(k.rate), carrier_fee: money(k.carrierFee) },
    errors: m.status === 'gw_reject' && t === 'message.finalized' ? [{ code: '40008', title: 'Message rejected by gateway' }] : [],
  };
  const fromField = (num: string) => ({ phone_number: num, carrier: n.currency === 'EUR' ? 'Telekom' : 'Telnyx', line_type: 'Wireless' });
  switch (t) {
    case 'message.sent':
      return {
        ...base,
        from: fromField(n.e164),
        to: [{ phone_number: remote, status: 'sent', carrier: 'T-Mobile USA', line_type: 'Wireless' }],
        // The provisional cost on message.sent is sometimes not there yet.
        cost: ((m.variant >>> 19) & 1) === 0 && m.billable ? cost : null,
        sent_at: iso(m.sentMs),
        completed_at: null,
      };
    case 'message.finalized': {
      const status = m.status === 'delivered' ? 'delivered' : m.status === 'gw_reject' ? 'sending_failed' : 'delivery_failed';
      return {
        ...base,
        from: fromField(n.e164),
        to: [{ phone_number: remote, status, carrier: 'T-Mobile USA', line_type: 'Wireless' }],
        cost,
        sent_at: iso(m.sentMs),
        completed_at: iso(m.completedMs),
      };
    }
    case 'message.received':
      return {
        ...base,
        from: fromField(remote),
        to: [{ phone_number: n.e164, status: 'webhook_delivered', carrier: 'Telnyx', line_type: 'Wireless' }],
        cost,
        received_at: iso(m.createdMs),
      };
    default:
      throw new Error(`not a message event: ${t}`);
  }
}
