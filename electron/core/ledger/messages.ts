// Message rows (SMS/MMS). The message id is Telnyx's (= the MDR uuid), so it is the key.
import type { CostSource, Direction, MessageCostStatus } from '../../../shared/domain.ts';
import type { Db } from './open.ts';
import { toInt, toNanos, toText } from './rows.ts';

export interface Message {
  id: string;
  ourNumber: string;
  otherNumber: string;
  direction: Direction;
  messageType: string | null;
  parts: number | null;
  status: string | null;
  sentAt: number | null;
  completedAt: number | null;
  costNanos: bigint | null;
  carrierFeeNanos: bigint | null;
  currency: string | null;
  rate: string | null;
  costStatus: MessageCostStatus;
  costSource: CostSource | null;
  messagingProfileId: string | null;
  messagingProfileName: string | null;
  /** JSON array of tags as Telnyx sent them. */
  tags: string | null;
  countryCode: string | null;
}

export interface MessageFacts {
  id: string;
  ourNumber: string;
  otherNumber: string;
  direction: Direction;
  messageType?: string | null;
  parts?: number | null;
  status?: string | null;
  sentAt?: number | null;
  completedAt?: number | null;
  messagingProfileId?: string | null;
  messagingProfileName?: string | null;
  tags?: string | null;
  countryCode?: string | null;
}

export function mapMessage(r: Record<string, unknown>): Message {
  return {
    id: String(r.id),
    ourNumber: String(r.our_number),
    otherNumber: String(r.other_number),
    direction: r.direction as Direction,
    messageType: toText(r.message_type),
    parts: toInt(r.parts),
    status: toText(r.status),
    sentAt: toInt(r.sent_at),
    completedAt: toInt(r.completed_at),
    costNanos: toNanos(r.cost_nanos),
    carrierFeeNanos: toNanos(r.carrier_fee_nanos),
    currency: toText(r.currency),
    rate: toText(r.rate),
    costStatus: r.cost_status as MessageCostStatus,
    costSource: (r.cost_source ?? null) as CostSource | null,
    messagingProfileId: toText(r.messaging_profile_id),
    messagingProfileName: toText(r.messaging_profile_name),
    tags: toText(r.tags),
    countryCode: toText(r.country_code),
  };
}

export function messagesRepo(db: Db) {
  const byId = db.prepare('SELECT * FROM messages WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO messages (id, our_number, other_number, direction, message_type, parts, status, sent_at,
       completed_at, messaging_profile_id, messaging_profile_name, tags, country_code, created_at, updated_at)
     VALUES (@id, @ourNumber, @otherNumber, @direction, @messageType, @parts, @status, @sentAt, @completedAt,
       @messagingProfileId, @messagingProfileName, @tags, @countryCode, @now, @now)
     ON CONFLICT(id) DO UPDATE SET
       messaging_profile_id = COALESCE(excluded.messaging_profile_id, messaging_profile_id),
       messaging_profile_name = COALESCE(excluded.messaging_profile_name, messaging_profile_name),
       tags = COALESCE(excluded.tags, tags),
       country_code = COALESCE(excluded.country_code, country_code),
       message_type = COALESCE(excluded.message_type, message_type),
       parts = COALESCE(excluded.parts, parts),
       status = COALESCE(excluded.status, status),
       sent_at = COALESCE(sent_at, excluded.sent_at),
       completed_at = COALESCE(excluded.completed_at, completed_at),
       updated_at = excluded.updated_at
     WHERE message_type IS NOT COALESCE(excluded.message_type, message_type)
       OR parts IS NOT COALESCE(excluded.parts, parts)
       OR status IS NOT COALESCE(excluded.status, status)
       OR sent_at IS NOT COALESCE(sent_at, excluded.sent_at)
       OR completed_at IS NOT COALESCE(excluded.completed_at, completed_at)
       OR messaging_profile_id IS NOT COALESCE(excluded.messaging_profile_id, messaging_profile_id)
       OR messaging_profile_name IS NOT COALESCE(excluded.messaging_profile_name, messaging_profile_name)
       OR tags IS NOT COALESCE(excluded.tags, tags)
       OR country_code IS NOT COALESCE(excluded.country_code, country_code)`,
  );
  const setCost = db.prepare(
    `UPDATE messages SET cost_nanos = @nanos, carrier_fee_nanos = @carrierFee, currency = @currency,
       rate = COALESCE(@rate, rate), cost_status = @status, cost_source = @source, cost_updated_at = @now,
       updated_at = @now WHERE id = @id`,
  );
  const setStatus = db.prepare('UPDATE messages SET cost_status = @status, updated_at = @now WHERE id = @id');
  return {
    get: (id: string) => {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? mapMessage(r) : undefined;
    },
    upsert(m: MessageFacts, now: number): void {
      upsert.run({
        messageType: null,
        parts: null,
        status: null,
        sentAt: null,
        completedAt: null,
        messagingProfileId: null,
        messagingProfileName: null,
        tags: null,
        countryCode: null,
        ...m,
        now,
      });
    },
    setCost(
      id: string,
      c: {
        nanos: bigint | null;
        carrierFee: bigint | null;
        currency: string | null;
        rate: string | null;
        status: MessageCostStatus;
        source: CostSource | null;
      },
      now: number,
    ): void {
      setCost.run({ ...c, id, now });
    },
    setStatus(id: string, status: MessageCostStatus, now: number): void {
      setStatus.run({ id, status, now });
    },
  };
}
export type MessagesRepo = ReturnType<typeof messagesRepo>;
