// When a job has nothing left to fetch, and the facts its schedule is computed from.
import type { Call } from '../ledger/calls.ts';
import type { Message } from '../ledger/messages.ts';

export type Completion = 'completed' | 'not_billable' | null;

/**
 * A call is done once its cost is exact from any source (a detail record, a call.cost event,
 * a manual entry) or Telnyx says it is not billable. costs/apply.ts only books detail records
 * as exact once the call's main record is in, so "exact" never means "half the parts".
 */
export function callCompletion(call: Call): Completion {
  if (call.costStatus === 'not_billable') return 'not_billable';
  // A partial cost (a known part not priced yet) keeps its job: the part is still to fetch.
  if (call.costStatus === 'exact') return call.missingParts.length > 0 ? null : 'completed';
  return null;
}

/** A message is done when its cost is final: its detail record, message.finalized, or manual. */
export function messageCompletion(m: Message): Completion {
  if (m.costStatus === 'not_billable') return 'not_billable';
  if (m.costStatus === 'exact' && m.costSource !== 'message_sent_event') return 'completed';
  return null;
}

export interface JobFacts {
  /** The moment the schedule counts from: hangup (call) or completion (message). */
  ref: number;
  start: number | null;
  answered: boolean;
}

export function callFacts(call: Call): JobFacts {
  const ref = call.endedAt ?? call.startedAt ?? call.createdAt;
  return { ref, start: call.startedAt, answered: (call.callSec ?? 0) > 0 || call.answeredAt !== null };
}

export function messageFacts(m: Message, now: number): JobFacts {
  const ref = m.completedAt ?? m.sentAt ?? now;
  return { ref, start: m.sentAt, answered: true };
}
