// Detail records in the shape `GET /v2/detail_records` returns them. The voice record shape
// is untyped in Telnyx's spec, so each record picks (from its own random bits) between the
// field-name variants seen in the wild: the importer must cope with all of them.
//
//   main record (call-control / webrtc): id (own uuid), telnyx_leg_id | call_leg_id,
//     telnyx_session_id | call_session_id, telnyx_call_control_id ("v3:..." or ""),
//   sip-trunking record: id, telnyx_session_id | call_session_id, and in half of them NO leg
//     id at all (else telnyx_leg_id | call_leg_id of the trunk leg, which is not the
//     call-control leg), no telnyx_call_control_id.
//   billing_group_id: null | uuid string | number; country_code: "1" | 1 (dialling code);
//   tags: "" | "sales" | "support,priority"; plus unknown extra fields.
import type { GeneratedAccount, SimRecordType } from './account.ts';
import { formatCost, RECORDING_RATE_NANOS } from './account.ts';
import { remoteNumber } from './core.ts';
import { isoSeconds } from './time.ts';
import { makeUuid } from './prng.ts';
import { SALT } from './salts.ts';

export { isoSeconds };

export const RECORD_TYPE_NAMES: Record<SimRecordType, string> = {
  'call-control': 'call_control_detail_record',
  'sip-trunking': 'sip_trunking_detail_record',
  webrtc: 'webrtc_detail_record',
  messaging: 'message_detail_record',
  recording: 'recording_detail_record',
  amd: 'amd_detail_record',
  tts: 'tts_detail_record',
  stt: 'stt_detail_record',
  'media-streaming': 'media_streaming_detail_record',
  'noise-suppression': 'noise_suppression_detail_record',
  'ai-voice-assistant': 'ai_voice_assistant_detail_record',
  'conference-participant': 'conference_participant_detail_record',
};

const TAGS = ['', '', 'sales', 'support,priority'];

export type JsonRecord = Record<string, unknown>;

/** What the voice records of call i are built from: its core, our number, its variant bits, the other party, its costs. */
function voiceCall(a: GeneratedAccount, i: number) {
  const c = a.callCore(i);
  const n = a.numbers[c.numberIndex]!;
  return { c, n, v: c.variant, remote: remoteNumber(n, c.remoteA, c.remoteB), costs: a.callCosts(c) };
}

/** The main (call-control or webrtc) record of call i. */
export function mainVoiceRecord(a: GeneratedAccount, i: number): JsonRecord {
  const { c, n, v, remote, costs } = voiceCall(a, i);
  const main = costs.main;
  const rec: JsonRecord = {
    record_type: c.webrtc ? RECORD_TYPE_NAMES.webrtc : RECORD_TYPE_NAMES['call-control'],
    id: a.callRecordId(i),
  };
  rec[(v & 15) < 10 ? 'telnyx_leg_id' : 'call_leg_id'] = a.callLegId(i);
  rec[((v >>> 4) & 15) < 10 ? 'telnyx_session_id' : 'call_session_id'] = a.callSessionId(i);
  rec.telnyx_call_control_id = ((v >>> 8) & 7) < 2 ? '' : a.callControlId(i);
  Object.assign(rec, common(a, c.numberIndex, v, c.outbound ? n.e164 : remote, c.outbound ? remote : n.e164, c.outbound));
  rec.started_at = isoSeconds(c.startMs);
  rec.finished_at = isoSeconds(c.endMs);
  rec.call_sec = c.callSec;
  rec.billed_sec = c.billedSec;
  rec.rate = a.callRate(c);
  rec.cost = formatCost(main);
  rec.currency = n.currency;
  rec.connection_id = n.connectionId;
  rec.connection_name = `Connection ${c.numberIndex}`;
  rec.created_at = isoSeconds(c.recordCreatedMs);
  // Unknown extras a tolerant importer keeps and ignores.
  rec.hangup_cause = c.answered ? 'normal_clearing' : 'no_answer';
  rec.payment_method = 'rate-deck';
  if (c.webrtc) {
    rec.auth_username = `agent${c.numberIndex}`;
    // The SDK registration: one per agent, shared by every call it makes (never a call session).
    rec.session_id = makeUuid(a.seed, SALT.profile, 5000 + c.numberIndex);
  }
  return rec;
}

/** The sip-trunking record of call i (same session as the main record). */
export function sipVoiceRecord(a: GeneratedAccount, i: number): JsonRecord {
  const { c, n, v, remote, costs } = voiceCall(a, i);
  const sip = costs.sip;
  const rec: JsonRecord = { record_type: RECORD_TYPE_NAMES['sip-trunking'], id: a.sipRecordId(i) };
  if (((v >>> 16) & 1) === 0) rec[((v >>> 17) & 1) === 0 ? 'telnyx_leg_id' : 'call_leg_id'] = a.sipLegId(i);
  rec[((v >>> 18) & 1) === 0 ? 'telnyx_session_id' : 'call_session_id'] = a.callSessionId(i);
  Object.assign(rec, common(a, c.numberIndex, v, c.outbound ? n.e164 : remote, c.outbound ? remote : n.e164, c.outbound));
  rec.started_at = isoSeconds(c.answerMs);
  rec.finished_at = isoSeconds(c.endMs);
  rec.call_sec = c.callSec;
  rec.billed_sec = c.billedSec;
  rec.rate = n.deck.sipTrunkingRate;
  rec.cost = formatCost(sip);
  rec.currency = n.currency;
  rec.connection_id = n.sipConnectionId;
  rec.created_at = isoSeconds(c.sipCreatedMs);
  rec.sip_response_code = '200';
  rec.trunk_direction = c.outbound ? 'termination' : 'origination';
  return rec;
}

function common(a: GeneratedAccount, numberIndex: number, v: number, cli: string, cld: string, outbound: boolean): JsonRecord {
  const n = a.numbers[numberIndex]!;
  const bg = (v >>> 11) & 3;
  return {
    cli,
    cld,
    direction: outbound ? 'outbound' : 'inbound',
    billing_group_id: bg === 0 ? null : bg === 2 ? 100000 + numberIndex : n.billingGroupId,
    billing_group_name: bg === 0 ? null : `Billing group ${numberIndex}`,
    country_code: ((v >>> 13) & 1) === 1 ? Number(n.countryCode) : n.countryCode,
    tags: TAGS[(v >>> 14) & 3],
  };
}

/**
 * The message detail record of message i. `cost` = rate * parts, carrier_fee apart, as the
 * MDR report docs state (../shared/telnyx-api.md); `mdrCostIncludesFee` plays cost = rate *
 * parts + carrier_fee. The message's true cost is rate * parts + carrier_fee either way.
 */
export function messageRecord(a: GeneratedAccount, i: number): JsonRecord {
  const m = a.messageCore(i);
  const n = a.numbers[m.numberIndex]!;
  const remote = remoteNumber(n, m.remoteA, m.remoteB);
  const k = a.messageCosts(m);
  const v = m.variant;
  return {
    record_type: RECORD_TYPE_NAMES.messaging,
    uuid: a.messageId(i),
    cli: m.outbound ? n.e164 : remote,
    cld: m.outbound ? remote : n.e164,
    direction: m.outbound ? 'outbound' : 'inbound',
    message_type: m.mms ? 'MMS' : 'SMS',
    status: m.status,
    parts: m.parts,
    rate: k.rate,
    carrier_fee: k.carrierFee,
    cost: formatCost(a.options.mdrCostIncludesFee ? k.cost : k.cost - k.carrierFeeNanos),
    currency: n.currency,
    created_at: isoSeconds(m.recordCreatedMs),
    sent_at: isoSeconds(m.sentMs),
    completed_at: isoSeconds(m.completedMs),
    profile_id: n.messagingProfileId,
    tags: TAGS[(v >>> 14) & 3],
    errors: m.status === 'gw_reject' ? [{ code: '40008', title: 'Message rejected by gateway' }] : [],
    country_code: ((v >>> 13) & 1) === 1 ? Number(n.countryCode) : n.countryCode,
    normalized_carrier: n.currency === 'EUR' ? 'Telekom Deutschland' : 'T-Mobile USA',
  };
}

/**
 * The recording record of recorded call i. Telnyx publishes no schema for it: the fields
 * follow the spec's feature records (#/components/schemas/AmdDetailRecord: call_leg_id,
 * call_session_id, cost, rate, rate_measured_in, is_telnyx_billable, connection and billing
 * group), test/fixtures/telnyx/README.md. Its cost is the call.cost event's call-recording part.
 */
export function recordingRecord(a: GeneratedAccount, i: number): JsonRecord {
  const c = a.callCore(i);
  const n = a.numbers[c.numberIndex]!;
  return {
    record_type: RECORD_TYPE_NAMES.recording,
    id: a.recordingRecordId(i),
    call_leg_id: a.callLegId(i),
    call_session_id: a.callSessionId(i),
    connection_id: n.connectionId,
    billed_sec: c.billedSec,
    rate: formatCost(RECORDING_RATE_NANOS),
    rate_measured_in: 'minutes',
    cost: formatCost(a.callCosts(c).recording),
    currency: n.currency,
    is_telnyx_billable: true,
    started_at: isoSeconds(c.answerMs),
    finished_at: isoSeconds(c.endMs),
    created_at: isoSeconds(c.recordCreatedMs),
  };
}

/** Row generator per listable record type; `ref` is the item index in the sorted index. */
export function recordFor(a: GeneratedAccount, type: SimRecordType, itemIndex: number): JsonRecord {
  switch (type) {
    case 'call-control':
    case 'webrtc':
      return mainVoiceRecord(a, itemIndex);
    case 'sip-trunking':
      return sipVoiceRecord(a, itemIndex);
    case 'messaging':
      return messageRecord(a, itemIndex);
    case 'recording':
      return recordingRecord(a, itemIndex);
    default:
      // Listed empty: never asked for a row.
      return { record_type: RECORD_TYPE_NAMES[type], id: `${type}-${itemIndex}` };
  }
}
