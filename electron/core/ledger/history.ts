// The append-only cost history (triggers in the schema refuse UPDATE and DELETE).
import type { Db } from './open.ts';
import { toInt, toNanos, toText } from './rows.ts';

export interface HistoryRow {
  callId?: number | null;
  messageId?: string | null;
  oldNanos: bigint | null;
  newNanos: bigint | null;
  currency: string | null;
  oldSource: string | null;
  newSource: string;
  oldStatus: string | null;
  newStatus: string;
  reason: string;
  detail?: Record<string, unknown> | null;
}

export function historyRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO cost_history (call_id, message_id, old_nanos, new_nanos, currency, old_source, new_source,
       old_status, new_status, reason, detail, at)
     VALUES (@callId, @messageId, @oldNanos, @newNanos, @currency, @oldSource, @newSource, @oldStatus,
       @newStatus, @reason, @detail, @at)`,
  );
  const forCall = db.prepare('SELECT * FROM cost_history WHERE call_id = ? ORDER BY id');
  const forMessage = db.prepare('SELECT * FROM cost_history WHERE message_id = ? ORDER BY id');
  const map = (r: Record<string, unknown>) => ({
    at: toInt(r.at)!,
    oldNanos: toNanos(r.old_nanos),
    newNanos: toNanos(r.new_nanos),
    currency: toText(r.currency),
    oldSource: toText(r.old_source),
    newSource: String(r.new_source),
    oldStatus: toText(r.old_status),
    newStatus: String(r.new_status),
    reason: String(r.reason),
    detail: r.detail ? (JSON.parse(String(r.detail)) as Record<string, unknown>) : null,
  });
  return {
    append(row: HistoryRow, at: number): void {
      insert.run({
        callId: row.callId ?? null,
        messageId: row.messageId ?? null,
        oldNanos: row.oldNanos,
        newNanos: row.newNanos,
        currency: row.currency,
        oldSource: row.oldSource,
        newSource: row.newSource,
        oldStatus: row.oldStatus,
        newStatus: row.newStatus,
        reason: row.reason,
        detail: row.detail ? JSON.stringify(row.detail, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : null,
        at,
      });
    },
    forCall: (callId: number) => (forCall.all(callId) as Record<string, unknown>[]).map(map),
    forMessage: (id: string) => (forMessage.all(id) as Record<string, unknown>[]).map(map),
  };
}
export type HistoryRepo = ReturnType<typeof historyRepo>;
