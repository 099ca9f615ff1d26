// Status changes that keep the booked amount: a call whose detail record never came within
// the settle window becomes "no_record" (its estimate stands, and says so). Written with a
// history row like every cost change, so a person can see when and why it happened. A record
// that turns up later still wins: applyCallCost replaces the estimate and the status.
import type { Ledger } from '../ledger/index.ts';
import { atomically } from './apply.ts';

export function markCallNoRecord(ledger: Ledger, callId: number, reason: string, now: number): boolean {
  return atomically(ledger, () => {
    const call = ledger.calls.get(callId);
    // Only an estimate can "have no record"; an exact or not-billable cost is left alone.
    if (!call || call.costStatus !== 'estimated') return false;
    ledger.calls.setStatus(callId, 'no_record', now);
    ledger.history.append(
      {
        callId,
        oldNanos: call.estimatedNanos,
        newNanos: call.estimatedNanos,
        currency: call.estimateCurrency,
        oldSource: call.costSource,
        newSource: 'estimate',
        oldStatus: call.costStatus,
        newStatus: 'no_record',
        reason,
        detail: { estimateMethod: call.estimateMethod },
      },
      now,
    );
    return true;
  });
}

/** A message still without any cost when its settle window closed. */
export function markMessageNoRecord(ledger: Ledger, messageId: string, now: number): boolean {
  return atomically(ledger, () => {
    const m = ledger.messages.get(messageId);
    if (!m || m.costStatus !== 'open') return false;
    ledger.messages.setStatus(messageId, 'no_record', now);
    return true;
  });
}
