// The generated account: deterministic, exact money, realistic id relationships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMoney } from '../../shared/money.ts';
import { createAccount, type CallTruth } from '../../electron/core/simulator/index.ts';
import { mainVoiceRecord, messageRecord, sipVoiceRecord } from '../../electron/core/simulator/records.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const E164 = /^\+[1-9]\d{7,14}$/;

function calls(a: ReturnType<typeof createAccount>, n = a.callCount): CallTruth[] {
  return Array.from({ length: n }, (_, i) => a.call(i));
}

test('same seed gives the same account, another seed a different one', () => {
  const a = createAccount({ seed: 7, calls: 300, messages: 100 });
  const b = createAccount({ seed: 7, calls: 300, messages: 100 });
  const c = createAccount({ seed: 8, calls: 300, messages: 100 });
  assert.deepEqual(a.numbers, b.numbers);
  for (const i of [0, 1, 150, 299]) {
    assert.deepEqual(a.call(i), b.call(i));
    assert.deepEqual(mainVoiceRecord(a, i), mainVoiceRecord(b, i));
  }
  assert.deepEqual(a.message(42), b.message(42));
  assert.notEqual(a.call(0).callLegId, c.call(0).callLegId);
  assert.notDeepEqual(
    a.numbers.map((n) => n.e164),
    c.numbers.map((n) => n.e164),
  );
});

test('a million-call account is generated lazily, by index', () => {
  const before = process.memoryUsage().heapUsed;
  const a = createAccount({ calls: 1_000_000, messages: 1_000_000 });
  const last = a.call(999_999);
  assert.equal(a.callCount, 1_000_000);
  assert.ok(last.startMs >= a.options.startMs && last.startMs < a.options.startMs + a.options.spanMs);
  assert.deepEqual(a.call(123_456), createAccount({ calls: 1_000_000 }).call(123_456));
  // Nothing per call is kept: far less than a byte per call was allocated.
  assert.ok(process.memoryUsage().heapUsed - before < 5_000_000);
  assert.throws(() => a.call(1_000_000), RangeError);
});

test('numbers are E.164, some bill in EUR, both increments occur', () => {
  const a = createAccount({ numbers: 6 });
  assert.equal(new Set(a.numbers.map((n) => n.e164)).size, 6);
  for (const n of a.numbers) assert.match(n.e164, E164);
  assert.ok(a.numbers.some((n) => n.currency === 'EUR'));
  assert.ok(a.numbers.some((n) => n.currency === 'USD'));
  assert.deepEqual(new Set(a.numbers.map((n) => n.deck.incrementSec)), new Set([60, 6]));
  const all = calls(createAccount({ calls: 500 }));
  assert.ok(all.some((c) => c.currency === 'EUR' && c.billable));
});

test('calls start in index order, uniformly over the span', () => {
  const a = createAccount({ calls: 1000, spanMs: 1_000_000 });
  const all = calls(a);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]!.startMs >= all[i - 1]!.startMs);
  assert.ok(all[0]!.startMs < a.options.startMs + 1000);
  assert.ok(all[999]!.startMs >= a.options.startMs + 999_000);
});

test('ids: opaque v3 call_control_id, distinct UUIDs for leg, session and record', () => {
  const a = createAccount({ calls: 200 });
  for (const c of calls(a)) {
    assert.match(c.callControlId, /^v3:[A-Za-z0-9_-]{20,}$/);
    assert.match(c.callLegId, UUID);
    assert.match(c.callSessionId, UUID);
    assert.notEqual(c.callLegId, c.callSessionId);
    for (const r of c.records) {
      assert.match(r.id, UUID);
      assert.notEqual(r.id, c.callLegId);
      assert.equal(a.findCall(r.id), c.index);
    }
    assert.equal(a.findCall(c.callLegId), c.index);
    assert.equal(a.findCall(c.callSessionId), c.index);
  }
  assert.equal(a.findCall('00000000-0000-4000-8000-000000000000'), null);
});

test("voice costs are exact: cost = rate * billed_sec / 60, billed by the number's increment", () => {
  const a = createAccount({ calls: 2000 });
  let checked = 0;
  for (const c of calls(a)) {
    const inc = c.incrementSec;
    if (!c.answered) {
      assert.equal(c.callSec, 0);
      assert.equal(c.billedSec, 0);
      assert.equal(c.billable, false);
      assert.equal(c.totalCost, '0');
      continue;
    }
    assert.ok(c.billedSec >= c.callSec && c.billedSec % inc === 0 && c.billedSec - c.callSec < inc);
    assert.ok(c.billedSec >= inc);
    let sum = 0n;
    for (const r of c.records) {
      const expected = (parseMoney(r.rate) * BigInt(r.billedSec)) / 60n;
      assert.equal((parseMoney(r.rate) * BigInt(r.billedSec)) % 60n, 0n, 'exact division');
      assert.equal(parseMoney(r.cost), expected);
      assert.match(r.cost, /^\d+\.\d{4,6}$/);
      sum += parseMoney(r.cost);
      checked++;
    }
    if (c.hasRecord) assert.equal(sum, parseMoney(c.totalCost));
  }
  assert.ok(checked > 1000);
});

test('record JSON: field variants, sip-trunking records share the session and may lack a leg id', () => {
  const a = createAccount({ calls: 3000, sipTrunkingRate: 0.3 });
  const seen = new Set<string>();
  let sipOnlySession = 0;
  let sipCalls = 0;
  for (let i = 0; i < a.callCount; i++) {
    const c = a.call(i);
    if (!c.hasRecord) continue;
    const main = mainVoiceRecord(a, i);
    const leg = main.telnyx_leg_id ?? main.call_leg_id;
    const session = main.telnyx_session_id ?? main.call_session_id;
    assert.equal(leg, c.callLegId);
    assert.equal(session, c.callSessionId);
    assert.notEqual(main.id, leg);
    for (const k of ['telnyx_leg_id', 'call_leg_id', 'telnyx_session_id', 'call_session_id']) if (k in main) seen.add(k);
    if (main.telnyx_call_control_id === '') seen.add('empty-cc');
    seen.add(`bg:${main.billing_group_id === null ? 'null' : typeof main.billing_group_id}`);
    seen.add(`cc:${typeof main.country_code}`);
    assert.equal(typeof main.call_sec, 'number');
    assert.equal(typeof main.cost, 'string');
    if (c.sipTrunked) {
      sipCalls++;
      const sip = sipVoiceRecord(a, i);
      assert.equal(sip.telnyx_session_id ?? sip.call_session_id, c.callSessionId);
      const sipLeg = sip.telnyx_leg_id ?? sip.call_leg_id;
      if (sipLeg === undefined) sipOnlySession++;
      else assert.notEqual(sipLeg, c.callLegId);
      assert.equal(parseMoney(String(main.cost)) + parseMoney(String(sip.cost)), parseMoney(c.totalCost));
    }
  }
  for (const k of [
    'telnyx_leg_id',
    'call_leg_id',
    'telnyx_session_id',
    'call_session_id',
    'empty-cc',
    'bg:null',
    'bg:string',
    'bg:number',
    'cc:string',
    'cc:number',
  ]) {
    assert.ok(seen.has(k), `variant ${k} occurs`);
  }
  assert.ok(sipCalls > 100);
  assert.ok(sipOnlySession > 0 && sipOnlySession < sipCalls);
});

test('some billable calls never get a record; webrtc calls get a webrtc record', () => {
  const a = createAccount({ calls: 4000, neverRecordRate: 0.05, webrtcRate: 0.05 });
  const all = calls(a);
  const never = all.filter((c) => !c.hasRecord);
  assert.ok(never.length > 0);
  for (const c of never) {
    assert.equal(c.billable, true);
    assert.deepEqual(c.records, []);
  }
  const web = all.filter((c) => c.webrtc && c.hasRecord);
  assert.ok(web.length > 0);
  for (const c of web) {
    assert.equal(c.records[0]!.recordType, 'webrtc');
    assert.equal(mainVoiceRecord(a, c.index).record_type, 'webrtc_detail_record');
    assert.equal(c.costEvent, false);
  }
});

test('messages: cost = rate * parts + carrier_fee, exact; the MDR cost = rate * parts, fee apart; SMS and MMS, both directions', () => {
  const a = createAccount({ messages: 1500 });
  const kinds = new Set<string>();
  for (let i = 0; i < a.messageCount; i++) {
    const m = a.message(i);
    kinds.add(`${m.type}:${m.direction}`);
    assert.ok(m.parts >= 1 && m.parts <= 3);
    if (m.type === 'MMS') assert.equal(m.parts, 1);
    if (m.billable) {
      assert.equal(parseMoney(m.cost), parseMoney(m.rate) * BigInt(m.parts) + parseMoney(m.carrierFee));
    } else assert.equal(m.cost, '0');
    const rec = messageRecord(a, i);
    assert.equal(rec.record_type, 'message_detail_record');
    assert.equal(rec.uuid, m.id);
    // The MDR's cost is rate * parts, the carrier fee a separate field (MDR report docs).
    assert.equal(parseMoney(rec.cost as string), parseMoney(m.cost) - parseMoney(m.carrierFee));
    assert.equal(rec.carrier_fee, m.carrierFee);
    assert.equal(m.direction === 'outbound' ? rec.cli : rec.cld, m.ourNumber);
  }
  assert.deepEqual(kinds, new Set(['SMS:inbound', 'SMS:outbound', 'MMS:inbound', 'MMS:outbound']));
  assert.ok(a.message(0).carrierFee !== undefined);
  assert.ok([...Array(a.messageCount).keys()].some((i) => a.message(i).carrierFee === '0.00305'));
});

test('expectedTotals matches a sum over call(i)/message(i), per number and currency', () => {
  const a = createAccount({ calls: 3000, messages: 1000 });
  const from = a.options.startMs + a.options.spanMs / 4;
  const to = a.options.startMs + a.options.spanMs / 2;
  const manual: Record<string, Record<string, bigint>> = {};
  const add = (num: string, cur: string, v: bigint) => {
    const m = (manual[num] ??= {});
    m[cur] = (m[cur] ?? 0n) + v;
  };
  for (let i = 0; i < a.callCount; i++) {
    const c = a.call(i);
    if (c.startMs >= from && c.startMs < to) add(c.ourNumber, c.currency, c.totalCostNanos);
  }
  for (let i = 0; i < a.messageCount; i++) {
    const m = a.message(i);
    if (m.createdMs >= from && m.createdMs < to) add(m.ourNumber, m.currency, m.costNanos);
  }
  assert.deepEqual(a.expectedTotals({ fromMs: from, toMs: to }), manual);
  // By record created_at: every record once, whatever its call's start.
  const byRecord: Record<string, Record<string, bigint>> = {};
  for (let i = 0; i < a.callCount; i++) {
    const c = a.call(i);
    for (const r of c.records) {
      if (r.createdMs >= from && r.createdMs < to) {
        const m = (byRecord[c.ourNumber] ??= {});
        m[c.currency] = (m[c.currency] ?? 0n) + r.costNanos;
      }
    }
  }
  assert.deepEqual(a.expectedTotals({ fromMs: from, toMs: to, by: 'record_created', messages: false }), byRecord);
  const eur = Object.values(a.expectedTotals()).some((perCur) => (perCur.EUR ?? 0n) > 0n);
  assert.ok(eur);
});

test('live mode: the span ends at creation time and the account continues into the future', () => {
  const now = Date.UTC(2026, 5, 1, 12);
  const a = createAccount({ live: true, nowMs: now, calls: 700, spanMs: 7 * 86_400_000, liveHorizonMs: 86_400_000 });
  assert.equal(a.options.startMs, now - 7 * 86_400_000);
  assert.equal(a.callCount, 800);
  assert.ok(a.call(699).startMs < now);
  assert.ok(a.call(701).startMs > now);
  // Rebuilding from the resolved options (what another process reports) gives the same data.
  const again = createAccount({ ...a.options, seed: a.options.seedInput });
  assert.deepEqual(again.call(750), a.call(750));
});
