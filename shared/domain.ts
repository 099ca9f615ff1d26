// Domain vocabulary shared by the core and the renderer. Plain values and zod enums only:
// this file is imported by the browser bundle, so nothing Node-specific belongs here.
import { z } from 'zod';

/**
 * Detail-record types this product imports (`filter[record_type]` values; the list is
 * openapi/spec3.yml's GET /detail_records filter[record_type] enum, as the SDKs generate it).
 * Besides the call legs and messages: billed call features whose records name the call they
 * belong to by call_leg_id / call_session_id (spec: AmdDetailRecord,
 * ConferenceParticipantDetailRecord; recording, tts, stt, media-streaming, noise-suppression
 * and ai-voice-assistant have no typed schema and are read like them). Not queried: conference
 * (no cost field), verify, fax, wireless, media_storage, embedding, inference (not a call's).
 */
export const FEATURE_RECORD_TYPES = [
  'recording',
  'amd',
  'tts',
  'stt',
  'media-streaming',
  'noise-suppression',
  'ai-voice-assistant',
  'conference-participant',
] as const;
export const RecordType = z.enum(['call-control', 'sip-trunking', 'webrtc', 'messaging', ...FEATURE_RECORD_TYPES]);
export type RecordType = z.infer<typeof RecordType>;
export type FeatureRecordType = (typeof FEATURE_RECORD_TYPES)[number];
export const VOICE_RECORD_TYPES = ['call-control', 'sip-trunking', 'webrtc'] as const satisfies readonly RecordType[];
/**
 * What an import asks for unless told otherwise. The feature types are asked for by name
 * (`--types recording,amd`): whether their listings accept filter[created_at] is not
 * published (an SDK's doc says a filter on a field a record type lacks is a 400, and an AMD
 * record has invoked_at, not created_at), so a default import never depends on it.
 */
export const ALL_RECORD_TYPES = ['call-control', 'sip-trunking', 'webrtc', 'messaging'] as const satisfies readonly RecordType[];
export function isFeatureRecordType(t: string): t is FeatureRecordType {
  return (FEATURE_RECORD_TYPES as readonly string[]).includes(t);
}

/** Stored webhook event types the poller asks for. */
export const EVENT_TYPES = ['call.initiated', 'call.answered', 'call.hangup', 'call.cost', 'message.sent', 'message.finalized', 'message.received'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The same events as Telnyx's webhook API v1 spells them. Call Control applications and
 * connections default to webhook_api_version "1" (openapi/spec3.yml
 * #/components/schemas/CallControlApplication), and the spec's webhook delivery example
 * carries `event_type: "call_initiated"`. Only names whose meaning is clear are mapped.
 */
export const V1_EVENT_TYPES: Readonly<Record<string, EventType>> = {
  call_initiated: 'call.initiated',
  call_answered: 'call.answered',
  call_hangup: 'call.hangup',
  call_cost: 'call.cost',
  message_sent: 'message.sent',
  message_finalized: 'message.finalized',
  message_received: 'message.received',
};

/** An event type as this product names it: the v2 name, or the v2 name of a v1 spelling. */
export function canonicalEventType(t: string): string {
  const s = t.trim();
  return V1_EVENT_TYPES[s] ?? V1_EVENT_TYPES[s.toLowerCase()] ?? s;
}

/** What the poller asks Telnyx for: every type it uses, in both API versions' spellings. */
export const POLLED_EVENT_TYPES: readonly string[] = [...EVENT_TYPES, ...Object.keys(V1_EVENT_TYPES)];

/** Direction from our side. Our number is `from` for outbound and `to` for inbound. */
export const Direction = z.enum(['inbound', 'outbound']);
export type Direction = z.infer<typeof Direction>;

/**
 * Where a call's cost stands.
 * - open: the call has not ended yet (or its end is unknown), nothing booked
 * - estimated: an estimate is booked, exact cost not known yet
 * - exact: Telnyx's cost is booked (from a detail record or a call.cost event)
 * - not_billable: Telnyx says the call costs nothing to bill (or it was never answered)
 * - no_record: no record appeared within the settle window; the estimate stands
 */
export const CallCostStatus = z.enum(['open', 'estimated', 'exact', 'not_billable', 'no_record']);
export type CallCostStatus = z.infer<typeof CallCostStatus>;

export const MessageCostStatus = z.enum(['open', 'exact', 'not_billable', 'no_record']);
export type MessageCostStatus = z.infer<typeof MessageCostStatus>;

/**
 * Sources of a cost, best last. For calls a detail record beats a call.cost event, which
 * beats an estimate. For messages Telnyx's message.finalized cost is authoritative, then
 * the message detail record, then the provisional cost on message.sent.
 */
export const CostSource = z.enum(['estimate', 'call_cost_event', 'message_sent_event', 'detail_record', 'message_finalized_event', 'manual']);
export type CostSource = z.infer<typeof CostSource>;

export const CALL_SOURCE_RANK: Record<CostSource, number> = {
  estimate: 1,
  call_cost_event: 2,
  detail_record: 3,
  message_sent_event: 0,
  message_finalized_event: 0,
  manual: 4,
};

export const MESSAGE_SOURCE_RANK: Record<CostSource, number> = {
  estimate: 0,
  call_cost_event: 0,
  message_sent_event: 1,
  detail_record: 2,
  message_finalized_event: 3,
  manual: 4,
};

/** Cost-fetch job lifecycle. */
export const JobStatus = z.enum(['pending', 'running', 'completed', 'failed', 'not_billable', 'no_record']);
export type JobStatus = z.infer<typeof JobStatus>;

/** The badge a person sees on a call row: cost status and job status folded into one word. */
/** partial: Telnyx's cost of some parts is booked, a part known to belong to the call is not yet. */
export const CallBadge = z.enum(['open', 'estimated', 'pending', 'exact', 'partial', 'failed', 'not_billable', 'no_record']);
export type CallBadge = z.infer<typeof CallBadge>;

/** completed_with_problems: every page was read, but some rows could not be (kept, counted, shown). */
export const ImportStatus = z.enum(['running', 'completed', 'completed_with_problems', 'cancelled', 'failed', 'interrupted']);
export type ImportStatus = z.infer<typeof ImportStatus>;

/** Money as it crosses the contract: an exact decimal string and its currency. */
export const MoneyValue = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type MoneyValue = z.infer<typeof MoneyValue>;
