// call.cost events per call (migration 5): what each said, so a call's parts can be combined
// with its detail records at any later time (costs/parts.ts). Amounts are stored as exact
// decimal text inside `parts` and as nano-units in total_nanos.
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import type { Db } from './open.ts';
import { toInt, toNanos } from './rows.ts';

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

type StoredPart = { part: string; cost: string | null; currency: string | null; rate: string | null; billedSec: number | null };

export function callCostEventsRepo(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO call_cost_events (event_id, call_id, occurred_at, status, total_nanos, billed_sec, parts)
     VALUES (@eventId, @callId, @occurredAt, @status, @totalNanos, @billedSec, @parts)
     ON CONFLICT(event_id) DO UPDATE SET call_id = excluded.call_id, occurred_at = excluded.occurred_at,
       status = excluded.status, total_nanos = excluded.total_nanos, billed_sec = excluded.billed_sec, parts = excluded.parts`,
  );
  // The latest event of a call is the one that counts (a later call.cost re-states the call).
  const latest = db.prepare(
    'SELECT event_id, total_nanos, billed_sec, parts FROM call_cost_events WHERE call_id = ? ORDER BY occurred_at DESC, event_id DESC LIMIT 1',
  );
  return {
    upsert(e: CallCostEventParts & { callId: number; occurredAt: number; status: string | null }): void {
      const parts: StoredPart[] = e.parts.map((p) => ({
        part: p.part,
        cost: p.nanos === null ? null : formatMoney(p.nanos, 0),
        currency: p.currency,
        rate: p.rate,
        billedSec: p.billedSec,
      }));
      upsert.run({
        eventId: e.eventId,
        callId: e.callId,
        occurredAt: e.occurredAt,
        status: e.status,
        totalNanos: e.totalNanos,
        billedSec: e.billedSec,
        parts: JSON.stringify(parts),
      });
    },
    latestForCall(callId: number): CallCostEventParts | null {
      const r = latest.get(callId) as Record<string, unknown> | undefined;
      if (!r) return null;
      const parts = (JSON.parse(String(r.parts)) as StoredPart[]).map(
        (p): EventPart => ({ part: p.part, nanos: p.cost === null ? null : parseMoney(p.cost), currency: p.currency, rate: p.rate, billedSec: p.billedSec }),
      );
      return { eventId: String(r.event_id), totalNanos: toNanos(r.total_nanos), billedSec: toInt(r.billed_sec), parts };
    },
  };
}
export type CallCostEventsRepo = ReturnType<typeof callCostEventsRepo>;
