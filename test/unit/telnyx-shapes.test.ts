// Message payloads as Telnyx publishes them, booked with the carrier fee exactly once.
// Fixtures (test/fixtures/telnyx/README.md names each source): the MDR example of
// GET /detail_records (MessageDetailRecord: cost = rate * parts, carrier_fee apart), the
// send-group-MMS example (openapi/spec3.yml OutboundMessagePayload: cost.amount 0.0051 =
// rate 0.00205 + carrier fee 0.00305, as JSON numbers) and the inboundMessage callback
// (the same amounts as strings).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { mdrTotal } from '../../electron/core/costs/message-cost.ts';
import { applyPendingEvents } from '../../electron/core/ingest/apply-events.ts';
import { storeMessageRecords } from '../../electron/core/ingest/store-records.ts';
import { normalizeMessageRecord, normalizeRows, normalizeVoiceRecord, normalizeWebhookDelivery, parseEnvelope } from '../../electron/core/telnyx/index.ts';
import { parseJsonExact } from '../../electron/core/util/exact-json.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/telnyx/${name}`, import.meta.url), 'utf8');
type Obj = Record<string, unknown>;

describe('messages: the carrier fee exactly once', () => {
  it('the published MDR (GET /detail_records example) is booked as cost + carrier fee, flagged when its cost is not rate x parts', () => {
    const { data } = parseEnvelope(parseJsonExact(fixture('mdr.search-detail-records.json')));
    const { rows, rejected } = normalizeRows(data, normalizeMessageRecord);
    assert.deepEqual(rejected, []);
    const r = rows[0]!;
    assert.equal(r.rate, '0.003');
    assert.equal(r.parts, 2);
    const ledger = openTestLedger();
    storeMessageRecords(ledger, rows, NOW);
    const m = ledger.messages.get(r.id)!;
    // cost "0.003" + carrier_fee "0.003": the example's cost is not rate x parts (0.006), so
    // the documented reading is booked and the history says it could not be verified.
    assert.equal(formatMoney(m.costNanos!), '0.006');
    assert.equal(formatMoney(m.carrierFeeNanos!), '0.003');
    assert.equal(m.rate, '0.003');
    assert.match(ledger.history.forMessage(r.id).at(-1)!.reason, /unverified: rate x parts is 0\.006/);
    ledger.close();
  });

  it('an MDR whose cost is rate x parts gets its fee added; one that already includes the fee is not charged twice', () => {
    const rate = '0.00205';
    const fee = parseMoney('0.00305');
    const excl = mdrTotal({ costNanos: parseMoney(rate) * 2n, carrierFeeNanos: fee, rate, parts: 2 });
    assert.equal(excl.reading, 'fee_added');
    assert.equal(formatMoney(excl.nanos), '0.00715');
    const incl = mdrTotal({ costNanos: parseMoney(rate) * 2n + fee, carrierFeeNanos: fee, rate, parts: 2 });
    assert.equal(incl.reading, 'fee_included');
    assert.equal(formatMoney(incl.nanos), '0.00715');
    assert.equal(mdrTotal({ costNanos: 5n, carrierFeeNanos: null, rate: null, parts: null }).nanos, 5n);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 1, max: 10 }),
        fc.bigInt({ min: 1n, max: 10n ** 8n }),
        fc.boolean(),
        (r, parts, f, included) => {
          const costNanos = r * BigInt(parts) + (included ? f : 0n);
          return mdrTotal({ costNanos, carrierFeeNanos: f, rate: formatMoney(r, 0), parts }).nanos === r * BigInt(parts) + f;
        },
      ),
    );
  });

  it('message events with cost objects as JSON numbers or strings: total includes the fee, rate and fee kept apart', () => {
    const ledger = openTestLedger();
    const mms = (parseJsonExact(fixture('message.group-mms.json')) as { data: Obj }).data;
    const callback = (JSON.parse(fixture('message-received.callback.json')) as { data: Obj }).data;
    ledger.events.insert({ eventId: 'e-mms', eventType: 'message.finalized', occurredAt: NOW, deliveryId: null, payload: mms }, NOW);
    ledger.events.insert(
      { eventId: callback.id as string, eventType: callback.event_type as string, occurredAt: NOW + 1, deliveryId: null, payload: callback.payload as Obj },
      NOW,
    );
    assert.deepEqual(applyPendingEvents(ledger, NOW + 10), { applied: 2, waiting: 0, invalid: 0 });
    for (const id of [mms.id as string, (callback.payload as Obj).id as string]) {
      const m = ledger.messages.get(id)!;
      assert.equal(formatMoney(m.costNanos!), '0.0051', `${id}: the total, carrier fee included`);
      assert.equal(formatMoney(m.carrierFeeNanos!), '0.00305');
      assert.equal(m.rate, '0.00205');
      assert.equal(m.currency, 'USD');
    }
    ledger.close();
  });
});

describe('webhook API v1 spellings', () => {
  it('a delivery whose event_type is "call_initiated" (openapi/spec3.yml webhook delivery example) is read as call.initiated; unknown names stay as sent', () => {
    const app = JSON.parse(fixture('call-control-application.spec3.json')) as Obj;
    assert.equal(app.webhook_api_version, '1', 'the spec example (and default) is v1');
    const delivery = (type: string) => ({
      id: 'd-1',
      record_type: 'webhook_delivery',
      status: 'delivered',
      started_at: '2020-08-10T14:00:05.595Z',
      finished_at: '2020-08-10T14:00:05.949Z',
      webhook: { id: 'e-1', event_type: type, occurred_at: '2020-08-10T14:00:00.000Z', record_type: 'event', payload: {} },
    });
    const read = (type: string) => {
      const r = normalizeWebhookDelivery(delivery(type));
      assert.ok(r.ok);
      return r.record.eventType;
    };
    assert.equal(read('call_initiated'), 'call.initiated');
    assert.equal(read('call_hangup'), 'call.hangup');
    assert.equal(read('message_finalized'), 'message.finalized');
    assert.equal(read('call.hangup'), 'call.hangup');
    assert.equal(read('call_bridged'), 'call_bridged', 'no guessing beyond the names mapped');
  });
});

describe('voice record ids', () => {
  it("a webrtc record's session_id (an SDK registration shared by many calls) is never a call session; its call session ids are", () => {
    const row = { id: 'w1', telnyx_leg_id: 'leg-1', telnyx_session_id: 'call-session-1', session_id: 'sdk-registration', cost: '0.01', currency: 'USD' };
    const webrtc = normalizeVoiceRecord(row, 'webrtc');
    assert.ok(webrtc.ok);
    assert.deepEqual(webrtc.record.sessionIds, ['call-session-1']);
    const onlyRegistration = normalizeVoiceRecord({ id: 'w2', session_id: 'sdk-registration' }, 'webrtc');
    assert.ok(onlyRegistration.ok);
    assert.deepEqual(onlyRegistration.record.sessionIds, []);
    // Other record types keep reading session_id as a session (no source says otherwise).
    const cc = normalizeVoiceRecord({ id: 'c1', session_id: 's-1' }, 'call-control');
    assert.ok(cc.ok);
    assert.deepEqual(cc.record.sessionIds, ['s-1']);
  });
});
