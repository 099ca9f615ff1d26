// Stored webhook events -> call and message rows. Events arrive late, twice and out of
// order, so application is idempotent and waits: a call.hangup whose call.initiated has not
// arrived yet stays unapplied (with a note) and is tried again on the next pass.
import { normalizeCurrency, MoneyError } from '../../../shared/money.ts';
import { storableMoney } from './money-range.ts';
import type { Direction } from '../../../shared/domain.ts';
import { applyCostFromRecords, applyMessageCost } from '../costs/apply.ts';
import { readCallCost } from '../costs/call-cost.ts';
import type { Ledger } from '../ledger/index.ts';
import type { StoredEvent } from '../ledger/events.ts';
import { ourSide } from './store-records.ts';
import { tagsText } from '../telnyx/schemas.ts';

export interface ApplyEventsHooks {
  /** A call's end became known: book the estimate and schedule the exact-cost fetch. */
  onCallEnded?(callId: number): void;
  /** A message arrived without a cost: schedule a fetch of its detail record. */
  onMessageWithoutCost?(messageId: string): void;
}

export interface ApplyEventsSummary {
  applied: number;
  waiting: number;
  invalid: number;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const int = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : null;
};
const time = (v: unknown): number | null => {
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
};
const phone = (v: unknown): string | null => (v && typeof v === 'object' ? str((v as Obj).phone_number) : str(v));

function callDirection(v: unknown): Direction | null {
  if (v === 'incoming' || v === 'inbound') return 'inbound';
  if (v === 'outgoing' || v === 'outbound') return 'outbound';
  return null;
}

/** Hangup causes that mean the call was never answered (nothing to bill for talk time). */
const UNANSWERED = new Set(['no_answer', 'user_busy', 'call_rejected', 'originator_cancel', 'timeout', 'unallocated_number', 'destination_out_of_order']);

type Outcome = { applied: true; note: string } | { applied: false; note: string; invalid?: boolean };

/** A note as a reason to count by: quoted values (ids, amounts) left out so alike ones group. */
function unusableReason(note: string): string {
  return note.replace(/"[^"]*"/g, '…').slice(0, 200);
}

export function applyPendingEvents(ledger: Ledger, now: number, hooks: ApplyEventsHooks = {}, batch = 2000): ApplyEventsSummary {
  const summary: ApplyEventsSummary = { applied: 0, waiting: 0, invalid: 0 };
  // Occurrence order: call.initiated before call.hangup before call.cost whenever all have arrived.
  let after = { occurredAt: -1, eventId: '' };
  for (;;) {
    const pending = ledger.events.unapplied(batch, after);
    if (pending.length === 0) break;
    const last = pending[pending.length - 1]!;
    after = { occurredAt: last.occurredAt, eventId: last.eventId };
    for (const e of pending) {
      const outcome = ledger.tx(() => {
        const o = applyOne(ledger, e, now, hooks);
        if (o.applied) ledger.events.markApplied(e.eventId, now, o.note);
        else if (o.invalid) ledger.events.markApplied(e.eventId, now, o.note, unusableReason(o.note));
        else ledger.events.noteWaiting(e.eventId, o.note);
        return o;
      });
      if (outcome.applied) summary.applied++;
      else if (outcome.invalid) summary.invalid++;
      else summary.waiting++;
    }
  }
  return summary;
}

function applyOne(ledger: Ledger, e: StoredEvent, now: number, hooks: ApplyEventsHooks): Outcome {
  const p = e.payload;
  const ids = {
    legIds: [str(p.call_leg_id)].filter((x): x is string => x !== null),
    controlId: str(p.call_control_id),
    sessionIds: [str(p.call_session_id)].filter((x): x is string => x !== null),
  };
  switch (e.eventType) {
    case 'call.initiated': {
      const direction = callDirection(p.direction);
      const from = str(p.from);
      const to = str(p.to);
      if (!direction || !from || !to || (ids.legIds.length === 0 && ids.sessionIds.length === 0)) {
        return { applied: false, invalid: true, note: 'call.initiated lacks direction, numbers or ids' };
      }
      const existing = ledger.calls.findByIds(ids);
      const startedAt = time(p.start_time) ?? e.occurredAt;
      if (existing) {
        ledger.calls.addFacts(
          existing.id,
          {
            callLegId: ids.legIds[0],
            callControlId: ids.controlId ?? undefined,
            callSessionId: ids.sessionIds[0],
            startedAt,
            connectionId: str(p.connection_id),
            tags: tagsText(p.tags) ?? undefined,
          },
          now,
        );
        return { applied: true, note: `call ${existing.id} known` };
      }
      const id = ledger.calls.insert(
        {
          callLegId: ids.legIds[0] ?? null,
          callSessionId: ids.sessionIds[0] ?? null,
          callControlId: ids.controlId,
          ...ourSide(direction, from, to),
          direction,
          connectionId: str(p.connection_id),
          tags: tagsText(p.tags),
          startedAt,
        },
        now,
      );
      return { applied: true, note: `call ${id} created` };
    }
    case 'call.answered': {
      const call = ledger.calls.findByIds(ids);
      if (!call) return { applied: false, note: 'waiting for call.initiated' };
      // A hangup applied before this (the answer was delivered late) measured the talk time
      // from the start, ringing included: measure it again from the answer.
      const fromStart = call.endedAt !== null && call.startedAt !== null ? Math.max(0, Math.round((call.endedAt - call.startedAt) / 1000)) : null;
      const remeasure = call.answeredAt === null && call.endedAt !== null && call.callSec === fromStart;
      ledger.calls.addFacts(
        call.id,
        { answeredAt: e.occurredAt, callSec: remeasure ? Math.max(0, Math.round((call.endedAt! - e.occurredAt) / 1000)) : undefined },
        now,
      );
      return { applied: true, note: `call ${call.id} answered` };
    }
    case 'call.hangup': {
      const call = ledger.calls.findByIds(ids);
      if (!call) return { applied: false, note: 'waiting for call.initiated' };
      const cause = str(p.hangup_cause);
      const start = call.answeredAt ?? call.startedAt ?? time(p.start_time);
      // No end_time on call.hangup: the event's occurred_at is the end.
      const unanswered = call.answeredAt === null && cause !== null && UNANSWERED.has(cause);
      const callSec = unanswered || start === null ? 0 : Math.max(0, Math.round((e.occurredAt - start) / 1000));
      const alreadyEnded = call.endedAt !== null;
      ledger.calls.addFacts(call.id, { endedAt: e.occurredAt, hangupCause: cause, callSec: call.callSec === null ? callSec : undefined }, now);
      if (!alreadyEnded || call.costStatus === 'open') hooks.onCallEnded?.(call.id);
      return { applied: true, note: `call ${call.id} ended (${cause ?? 'unknown cause'})` };
    }
    case 'call.cost': {
      const call = ledger.calls.findByIds(ids);
      if (!call) return { applied: false, note: 'waiting for the call' };
      // openapi/spec3.yml #/components/schemas/CallCost, read in either published shape.
      const read = readCallCost(p);
      if (read.kind === 'error_status') return { applied: false, invalid: true, note: `call.cost status ${read.status}: no cost to book` };
      if (read.kind === 'invalid') return { applied: false, invalid: true, note: `call.cost: ${read.reason}` };
      // Linked to its call, then combined part by part with the call's detail records.
      ledger.events.linkCall(e.eventId, call.id);
      const billingGroupId = str(p.billing_group_id);
      if (billingGroupId) ledger.calls.addFacts(call.id, { billingGroupId }, now);
      const res = applyCostFromRecords(ledger, call.id, now);
      if (res === 'mixed_currency') return { applied: false, invalid: true, note: 'call.cost: parts in more than one currency; not summed' };
      return { applied: true, note: `call.cost ${res}` };
    }
    case 'message.sent':
    case 'message.finalized':
    case 'message.received':
      return applyMessageEvent(ledger, e, now, hooks);
    default:
      return { applied: true, note: `event type ${e.eventType} not used` };
  }
}

function applyMessageEvent(ledger: Ledger, e: StoredEvent, now: number, hooks: ApplyEventsHooks): Outcome {
  const p = e.payload;
  const id = str(p.id);
  const direction = callDirection(p.direction) ?? (e.eventType === 'message.received' ? 'inbound' : 'outbound');
  const from = phone(p.from);
  const toList = Array.isArray(p.to) ? (p.to as unknown[]) : [p.to];
  const to = phone(toList[0]);
  if (!id || !from || !to) return { applied: false, invalid: true, note: `${e.eventType} lacks id or numbers` };
  const toStatus = toList[0] && typeof toList[0] === 'object' ? str((toList[0] as Obj).status) : null;
  // message.sent says "sent": news only for a message we know nothing of yet. Delivered late,
  // after message.finalized (or the record), it must not set a final status back to "sent".
  const status = e.eventType === 'message.sent' && ledger.messages.get(id)?.status ? null : toStatus;
  ledger.messages.upsert(
    {
      id,
      ...ourSide(direction, from, to),
      direction,
      messageType: str(p.type),
      parts: int(p.parts),
      status,
      sentAt: time(p.sent_at) ?? e.occurredAt,
      completedAt: time(p.completed_at),
      messagingProfileId: str(p.messaging_profile_id),
      tags: tagsText(p.tags),
    },
    now,
  );
  const cost = p.cost && typeof p.cost === 'object' ? (p.cost as Obj) : null;
  try {
    const amount = cost ? storableMoney(cost.amount as string | number | null) : null;
    if (amount !== null && cost?.currency) {
      const breakdown = p.cost_breakdown && typeof p.cost_breakdown === 'object' ? (p.cost_breakdown as Obj) : {};
      const fee = breakdown.carrier_fee && typeof breakdown.carrier_fee === 'object' ? (breakdown.carrier_fee as Obj).amount : breakdown.carrier_fee;
      const rate = breakdown.rate && typeof breakdown.rate === 'object' ? (breakdown.rate as Obj).amount : breakdown.rate;
      const res = applyMessageCost(
        ledger,
        id,
        {
          source: e.eventType === 'message.finalized' ? 'message_finalized_event' : 'message_sent_event',
          nanos: amount,
          carrierFeeNanos: storableMoney(fee as string | number | null | undefined),
          currency: normalizeCurrency(cost.currency),
          rate: str(rate),
          reason: `cost from ${e.eventType} webhook event`,
          detail: { event: e.eventId },
        },
        now,
      );
      return { applied: true, note: `message ${id} cost ${res}` };
    }
  } catch (err) {
    if (err instanceof MoneyError) return { applied: false, invalid: true, note: `${e.eventType}: ${err.message}` };
    throw err;
  }
  if (e.eventType !== 'message.sent') hooks.onMessageWithoutCost?.(id);
  return { applied: true, note: `message ${id} stored without cost` };
}
