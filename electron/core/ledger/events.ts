// Raw stored webhook events, deduplicated by event id. Applying them to call/message rows
// is ingest's job; this module only stores them and tracks which are applied.
import type { Db } from './open.ts';
import { parseJsonExact } from '../util/exact-json.ts';

export interface StoredEvent {
  eventId: string;
  eventType: string;
  occurredAt: number;
  payload: Record<string, unknown>;
}

export function eventsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO events (event_id, event_type, occurred_at, delivery_id, payload, received_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING`,
  );
  const unapplied = db.prepare(
    `SELECT event_id, event_type, occurred_at, payload FROM events
     WHERE applied_at IS NULL AND (occurred_at, event_id) > (?, ?)
     ORDER BY occurred_at, event_id LIMIT ?`,
  );
  const markApplied = db.prepare('UPDATE events SET applied_at = ?, apply_note = ?, unusable_reason = ? WHERE event_id = ?');
  const unusable = db.prepare(
    'SELECT unusable_reason AS reason, COUNT(*) AS count FROM events WHERE unusable_reason IS NOT NULL GROUP BY unusable_reason ORDER BY count DESC, reason LIMIT 20',
  );
  const unusableTotal = db.prepare('SELECT COUNT(*) FROM events WHERE unusable_reason IS NOT NULL').pluck();
  const note = db.prepare('UPDATE events SET apply_note = ? WHERE event_id = ?');
  const linkCall = db.prepare('UPDATE events SET call_id = ? WHERE event_id = ? AND call_id IS NOT ?');
  // The latest call.cost of a call is the one that counts (a later one re-states the call).
  const latestCallCost = db.prepare(
    `SELECT event_id, payload FROM events WHERE call_id = ? AND event_type = 'call.cost'
     ORDER BY occurred_at DESC, event_id DESC LIMIT 1`,
  );
  const count = db.prepare('SELECT COUNT(*) FROM events').pluck();
  const countUnapplied = db.prepare('SELECT COUNT(*) FROM events WHERE applied_at IS NULL').pluck();
  return {
    /** True when the event is new (a repeated delivery of a known event returns false). */
    insert(e: StoredEvent & { deliveryId: string | null }, now: number): boolean {
      return insert.run(e.eventId, e.eventType, e.occurredAt, e.deliveryId, JSON.stringify(e.payload), now).changes === 1;
    },
    /** Unapplied events in occurrence order, after a keyset position (so waiting ones don't block). */
    unapplied(limit: number, after: { occurredAt: number; eventId: string } = { occurredAt: -1, eventId: '' }): StoredEvent[] {
      return (unapplied.all(after.occurredAt, after.eventId, limit) as Record<string, unknown>[]).map((r) => ({
        eventId: String(r.event_id),
        eventType: String(r.event_type),
        occurredAt: Number(r.occurred_at),
        payload: parseJsonExact(String(r.payload)) as Record<string, unknown>,
      }));
    },
    /** `unusableReason`: the event cannot be used (kept, counted by this reason in the sync status). */
    markApplied(eventId: string, now: number, what: string, unusableReason: string | null = null): void {
      markApplied.run(now, what, unusableReason, eventId);
    },
    /** Events that could not be used, by reason (the 20 most frequent), and how many in all. */
    unusable(): { total: number; reasons: { reason: string; count: number }[] } {
      const reasons = (unusable.all() as { reason: string; count: number }[]).map((r) => ({ reason: String(r.reason), count: Number(r.count) }));
      return { total: Number(unusableTotal.get()), reasons };
    },
    noteWaiting(eventId: string, why: string): void {
      note.run(why, eventId);
    },
    /** Links a call.cost event to the call it prices (costs/apply.ts reads it from there). */
    linkCall(eventId: string, callId: number): void {
      linkCall.run(callId, eventId, callId);
    },
    latestCallCost(callId: number): { eventId: string; payload: Record<string, unknown> } | null {
      const r = latestCallCost.get(callId) as { event_id: string; payload: string } | undefined;
      return r ? { eventId: String(r.event_id), payload: parseJsonExact(String(r.payload)) as Record<string, unknown> } : null;
    },
    count: () => Number(count.get()),
    countUnapplied: () => Number(countUnapplied.get()),
  };
}
export type EventsRepo = ReturnType<typeof eventsRepo>;
