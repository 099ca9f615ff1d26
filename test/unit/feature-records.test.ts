// Billed call features (recording, AMD, TTS, ...: shared/domain.ts FEATURE_RECORD_TYPES) as
// parts of their call, on a real ledger. The AMD record is the spec's own example
// (openapi/spec3.yml #/components/schemas/AmdDetailRecord; test/fixtures/telnyx/README.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { normalizeVoiceRecord, type VoiceRecord, type VoiceRecordType } from '../../electron/core/telnyx/schemas.ts';
import { linkUnlinkedFeatures, storeVoiceRecords } from '../../electron/core/ingest/store-records.ts';
import { voiceRecordGap } from '../../electron/core/ingest/sources.ts';
import { combineParts, partKey } from '../../electron/core/costs/parts.ts';
import { callCompletion } from '../../electron/core/jobs/completion.ts';
import { statusSummary } from '../../electron/core/views/status.ts';
import { statusText } from '../../electron/cli/status.ts';
import { unlinkedFeaturesCheck } from '../../electron/core/doctor/checks.ts';
import { insertHungUpCall } from '../helpers/call-rows.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const amdRaw = JSON.parse(readFileSync(new URL('../fixtures/telnyx/amd-detail-record.spec-example.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const LEG = String(amdRaw.call_leg_id);
const SESSION = String(amdRaw.call_session_id);

function read(raw: Record<string, unknown>, type: VoiceRecordType): VoiceRecord {
  const n = normalizeVoiceRecord(raw, type);
  assert.ok(n.ok, n.ok ? '' : n.reason);
  return n.record;
}

/** The call's own (call-control) record, in the shape the simulator and Telnyx send. */
function mainRecord(cost: string): Record<string, unknown> {
  return {
    id: 'cc-1',
    call_leg_id: LEG,
    call_session_id: SESSION,
    telnyx_call_control_id: 'v3:abc',
    cli: '+15550001000',
    cld: '+12125550100',
    direction: 'outbound',
    started_at: '2020-07-01T00:00:00Z',
    finished_at: '2020-07-01T00:01:00Z',
    created_at: '2020-07-01T00:01:05Z',
    call_sec: 60,
    billed_sec: 60,
    rate: '0.01',
    cost,
    currency: 'USD',
  };
}

describe('billed feature records', () => {
  it('the spec example AMD record reads as a part of its call: leg and session ids, exact cost, its invocation time', () => {
    const r = read(amdRaw, 'amd');
    assert.deepEqual(r.legIds, [LEG]);
    assert.deepEqual(r.sessionIds, [SESSION]);
    assert.equal(r.costNanos, parseMoney('0.004'));
    assert.equal(r.createdAt, Date.parse('2020-07-01T00:00:00Z'));
    assert.equal(r.notBillable, false);
    // No numbers and no direction: still bookable (a leg record without them is not).
    assert.equal(voiceRecordGap(r), null);
    assert.match(voiceRecordGap({ ...r, legIds: [], sessionIds: [] }) ?? '', /no call id/);
    assert.match(voiceRecordGap({ ...r, costNanos: null }) ?? '', /no cost/);
  });

  it("an AMD record is added to its call's exact cost once, however often it is read", () => {
    const ledger = openTestLedger();
    storeVoiceRecords(ledger, [read(mainRecord('0.0100'), 'call-control')], { createCalls: true }, NOW);
    const call = ledger.calls.findByIds({ legIds: [LEG] })!;
    assert.equal(call.exactNanos, parseMoney('0.01'));
    for (let k = 0; k < 2; k++) {
      const out = storeVoiceRecords(ledger, [read(amdRaw, 'amd')], { createCalls: true }, NOW + k);
      assert.equal(out.unmatched, 0);
      assert.equal(out.createdCalls, 0, 'a feature record never makes a call');
    }
    const after = ledger.calls.get(call.id)!;
    assert.equal(formatMoney(after.exactNanos!), '0.014');
    assert.equal(after.costStatus, 'exact');
    assert.equal(callCompletion(after), 'completed');
    const last = ledger.history.forCall(call.id).at(-1)!;
    assert.match(last.reason, /amd 0\.004 \+ call-control 0\.01/);
    ledger.close();
  });

  it('read before its call, it is kept unlinked and counted, then linked and booked when the call arrives', () => {
    const ledger = openTestLedger();
    const first = storeVoiceRecords(ledger, [read(amdRaw, 'amd')], { createCalls: true }, NOW);
    assert.equal(first.unmatched, 1);
    assert.equal(first.createdCalls, 0);
    assert.equal(ledger.records.unlinkedFeatureCount(), 1);
    assert.deepEqual(ledger.records.featureTypesSeen(), ['amd']);
    assert.match(statusText(statusSummary(ledger.db)), /note: {5}1 billed-feature records .* name a call this ledger does not have yet/);
    assert.equal(unlinkedFeaturesCheck(ledger.records.unlinkedFeatureCount()).status, 'warning');
    storeVoiceRecords(ledger, [read(mainRecord('0.0100'), 'call-control')], { createCalls: true }, NOW);
    const call = ledger.calls.findByIds({ legIds: [LEG] })!;
    assert.equal(formatMoney(call.exactNanos!), '0.01', 'not linked yet: the leg alone');
    const linked = linkUnlinkedFeatures(ledger, NOW + 1);
    assert.deepEqual(linked, { updatedCallIds: [call.id], linked: 1, unlinked: 0 });
    assert.equal(formatMoney(ledger.calls.get(call.id)!.exactNanos!), '0.014');
    assert.equal(ledger.records.unlinkedFeatureCount(), 0);
    assert.equal(statusSummary(ledger.db).unlinkedFeatureRecords, 0);
    ledger.close();
  });

  it("a feature alone is not the call's cost: a call with only its AMD part stays estimated", () => {
    const ledger = openTestLedger();
    const id = insertHungUpCall(ledger, NOW, { leg: LEG, session: SESSION, control: null });
    storeVoiceRecords(ledger, [read(amdRaw, 'amd')], { createCalls: false }, NOW);
    const call = ledger.calls.get(id)!;
    assert.equal(call.exactNanos, null);
    assert.notEqual(call.costStatus, 'exact');
    ledger.close();
  });

  it('a not-billable feature record is a part that cost 0, and the call stays billable', () => {
    const ledger = openTestLedger();
    storeVoiceRecords(ledger, [read(mainRecord('0.0100'), 'call-control')], { createCalls: true }, NOW);
    const free = { ...amdRaw, is_telnyx_billable: false, cost: null };
    storeVoiceRecords(ledger, [read(free, 'amd')], { createCalls: false }, NOW);
    const call = ledger.calls.findByIds({ legIds: [LEG] })!;
    assert.equal(call.costStatus, 'exact');
    assert.equal(formatMoney(call.exactNanos!), '0.01');
    assert.deepEqual(call.missingParts, []);
    ledger.close();
  });

  it("a feature's record and a call.cost part naming it are one part (never counted twice)", () => {
    assert.equal(partKey('recording'), partKey('call-recording'));
    assert.equal(partKey('amd'), partKey('answering_machine_detection'));
    const c = combineParts([{ recordType: 'recording', recordId: 'r1', costNanos: parseMoney('0.002'), currency: 'USD', rate: null }], {
      eventId: 'e1',
      totalNanos: parseMoney('0.017'),
      billedSec: 60,
      parts: [
        { part: 'call-control', nanos: parseMoney('0.015'), currency: 'USD', rate: null, billedSec: 60 },
        { part: 'call-recording', nanos: parseMoney('0.002'), currency: 'USD', rate: null, billedSec: 60 },
      ],
    });
    assert.deepEqual(
      c.parts.map((p) => [p.part, formatMoney(p.nanos), p.source]),
      [
        ['call-control', '0.015', 'call_cost_event'],
        ['call-recording', '0.002', 'detail_record'],
      ],
    );
  });
});
