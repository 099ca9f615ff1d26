// A call and its detail records written straight into a ledger, as call.hangup and an import
// leave them, for tests of what happens next (booking, parts, linking features).
import { parseMoney } from '../../shared/money.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';

export interface CallIds {
  leg: string;
  session: string;
  control: string | null;
}

/** A one-minute outbound call from +15550001000 that hung up at `now`, not priced yet. */
export function insertHungUpCall(ledger: Ledger, now: number, ids: CallIds): number {
  return ledger.calls.insert(
    {
      callLegId: ids.leg,
      callSessionId: ids.session,
      callControlId: ids.control,
      ourNumber: '+15550001000',
      otherNumber: '+12125550100',
      direction: 'outbound',
      startedAt: now - 60_000,
      endedAt: now,
    },
    now,
  );
}

export interface CallRecord {
  callId: number;
  type: string;
  id: string;
  /** Decimal text, or null for a record that states no cost. */
  cost: string | null;
  currency: string | null;
  rate?: string | null;
  raw: string;
}

/** A detail record of a call (no ids of its own: linked by `callId`), created and stored at `now`. */
export function storeCallRecord(ledger: Ledger, now: number, r: CallRecord): void {
  ledger.records.upsert(
    {
      recordType: r.type,
      recordId: r.id,
      createdAt: now,
      legId: null,
      sessionId: null,
      controlId: null,
      costNanos: r.cost === null ? null : parseMoney(r.cost),
      currency: r.currency,
      rate: r.rate ?? null,
      raw: r.raw,
      callId: r.callId,
      messageId: null,
    },
    now,
  );
}

/**
 * An outbound call from +15551234567 to +15559876543 (no session id), answered `ringMs` after it
 * started and billed as long as it talked (`sec`), written at its start.
 */
export function insertTalkedCall(ledger: Ledger, leg: string, startedAt: number, o: { ringMs: number; sec: number }): number {
  const answeredAt = startedAt + o.ringMs;
  return ledger.calls.insert(
    {
      callLegId: leg,
      callSessionId: null,
      callControlId: null,
      ourNumber: '+15551234567',
      otherNumber: '+15559876543',
      direction: 'outbound',
      startedAt,
      answeredAt,
      endedAt: answeredAt + o.sec * 1000,
      callSec: o.sec,
      billedSec: o.sec,
    },
    startedAt,
  );
}
