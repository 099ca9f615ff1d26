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
  const markApplied = db.prepare('UPDATE events SET applied_at = ?, apply_note = ? WHERE event_id = ?');
  const note = db.prepare('UPDATE events SET apply_note = ? WHERE event_id = ?');
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
    markApplied(eventId: string, now: number, what: string): void {
      markApplied.run(now, what, eventId);
    },
    noteWaiting(eventId: string, why: string): void {
      note.run(why, eventId);
    },
    count: () => Number(count.get()),
    countUnapplied: () => Number(countUnapplied.get()),
  };
}
export type EventsRepo = ReturnType<typeof eventsRepo>;
