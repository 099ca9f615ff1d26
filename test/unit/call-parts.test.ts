// A call's exact cost part by part (costs/parts.ts, costs/apply.ts) from call.cost events as
// Telnyx publishes them (openapi/spec3.yml #/components/schemas/CallCost, and the
// success|error / string reading of team-telnyx/telnyx-ruby's CallCostWebhookEvent) and
// detail records, on a real ledger. Fixtures: test/fixtures/telnyx/ (README names each source).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { applyCostFromRecords, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import { readCallCost } from '../../electron/core/costs/call-cost.ts';
import { combineParts, partKey, sumParts } from '../../electron/core/costs/parts.ts';
import { applyPendingEvents } from '../../electron/core/ingest/apply-events.ts';
import { callCompletion } from '../../electron/core/jobs/completion.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { parseJsonExact } from '../../electron/core/util/exact-json.ts';
import { BADGE_SQL as BADGE } from '../../electron/core/views/calls.ts';
import { insertHungUpCall, storeCallRecord } from '../helpers/call-rows.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/telnyx/${name}`, import.meta.url), 'utf8');
type Obj = Record<string, unknown>;

/** The published example's ids (openapi/spec3.yml CallCost property examples). */
const LEG = '428c31b6-7af4-4bcb-b7f5-5013ef9657c1';
const SESSION = '428c31b6-abf3-3bc1-b7f4-5013ef9657c1';
const CONTROL = 'v3:MdI91X4lWFEs7IgbBEOT9M4AigoY08M0WWZFISt1Yw2axZ_IiE4pqg';

function newCall(ledger: Ledger, ids: { leg?: string; session?: string; control?: string | null } = {}): number {
  return insertHungUpCall(ledger, NOW, { leg: ids.leg ?? LEG, session: ids.session ?? SESSION, control: ids.control === undefined ? CONTROL : ids.control });
}

function record(ledger: Ledger, callId: number, type: string, id: string, cost: string | null, currency = 'USD', rate: string | null = null): void {
  storeCallRecord(ledger, NOW, { callId, type, id, cost, currency, rate, raw: JSON.stringify({ id, cost }) });
}

/** Stores a call.cost event as the poller would (payload parsed exactly from its raw text) and applies it. */
function deliverCallCost(ledger: Ledger, eventId: string, payloadText: string, occurredAt = NOW + 1000) {
  const payload = parseJsonExact(payloadText) as Obj;
  ledger.events.insert({ eventId, eventType: 'call.cost', occurredAt, deliveryId: `d-${eventId}`, payload }, NOW);
  return applyPendingEvents(ledger, NOW + 2000);
}

describe('call.cost as Telnyx sends it', () => {
  it('the spec example (status "valid", amounts as JSON numbers) is booked, not ignored', () => {
    const body = parseJsonExact(fixture('call-cost.published.json')) as Obj;
    const read = readCallCost(body.payload as Obj);
    assert.equal(read.kind, 'cost');
    if (read.kind !== 'cost') return;
    assert.equal(read.status, 'valid');
    assert.deepEqual(read.value.parts, [{ part: 'call-control', nanos: 0n, currency: 'USD', rate: '0.001', billedSec: 0 }]);
    assert.equal(read.value.totalNanos, 0n);

    const ledger = openTestLedger();
    const id = newCall(ledger);
    bookCallEstimate(ledger, id, { nanos: parseMoney('0.015'), currency: 'USD', method: 'flat', rate: '0.015', billedSec: 60 }, NOW);
    const s = deliverCallCost(ledger, body.id as string, JSON.stringify(body.payload));
    assert.deepEqual(s, { applied: 1, waiting: 0, invalid: 0 });
    const call = ledger.calls.get(id)!;
    assert.equal(call.costStatus, 'exact', 'a genuine zero from a valid call.cost is exact');
    assert.equal(call.costSource, 'call_cost_event');
    assert.equal(call.exactNanos, 0n);
    assert.equal(call.rate, '0.001');
    ledger.close();
  });

  it('the string reading (status "success", telnyx-ruby CallCostWebhookEvent) books the sum of its parts, currency from each part', () => {
    const body = JSON.parse(fixture('call-cost.sdk-strings.json')) as { data: Obj };
    const ledger = openTestLedger();
    const id = newCall(ledger);
    deliverCallCost(ledger, body.data.id as string, JSON.stringify(body.data.payload));
    const call = ledger.calls.get(id)!;
    assert.equal(formatMoney(call.exactNanos!), '0.0085');
    assert.equal(call.currency, 'USD');
    assert.equal(call.costStatus, 'exact');
    assert.deepEqual(call.missingParts, []);
    ledger.close();
  });

  it('status "error" books nothing and is counted as unusable with its reason; a bad amount likewise', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    const payload = { call_leg_id: LEG, status: 'error', cost_parts: [], total_cost: null };
    assert.deepEqual(deliverCallCost(ledger, 'e-err', JSON.stringify(payload)), { applied: 0, waiting: 0, invalid: 1 });
    const bad = { call_leg_id: LEG, status: 'valid', total_cost: 1, cost_parts: [{ call_part: 'call-control', cost: 'one', currency: 'USD' }] };
    assert.deepEqual(deliverCallCost(ledger, 'e-bad', JSON.stringify(bad)), { applied: 0, waiting: 0, invalid: 1 });
    assert.equal(ledger.calls.get(id)!.costStatus, 'open');
    const notes = ledger.db.prepare('SELECT event_id, apply_note FROM events ORDER BY event_id').all() as { event_id: string; apply_note: string }[];
    assert.match(notes[0]!.apply_note, /cost_parts\[0\]\.cost: not a decimal amount/);
    assert.match(notes[1]!.apply_note, /status error/);
    // Counted by reason for the sync status (quoted values left out so alike events group).
    const unusable = ledger.events.unusable();
    assert.equal(unusable.total, 2);
    assert.deepEqual(unusable.reasons.map((r) => r.reason).sort(), [
      'call.cost status error: no cost to book',
      'call.cost: cost_parts[0].cost: not a decimal amount: …',
    ]);
    ledger.close();
  });

  it('a JSON number is read exactly from the raw text: short ones as the double spells them, long ones as their source text', () => {
    const text = '{"a":0.0051,"b":0.00305,"c":0.123456789,"d":12345678.123456789,"e":0.1234567890123456789,"f":[1e-400, 60]}';
    const v = parseJsonExact(text) as Obj;
    assert.equal(v.a, 0.0051);
    assert.equal(parseMoney(v.d as string | number), 12_345_678_123_456_789n, '17 digits: exact, from the source text');
    assert.equal(v.d, '12345678.123456789', 'a double would have made it 12345678.12345679');
    assert.equal(v.e, '0.1234567890123456789');
    assert.throws(() => parseMoney(v.e as string), /more than 9 decimals/, 'too precise to book: flagged, never rounded');
    assert.deepEqual(v.f, ['1e-400', 60]);
    // Any amount with up to 9 decimals, written as a JSON number, reads back to the same nano-units.
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.integer({ min: 0, max: 9 }), (n, drop) => {
        const text9 = formatMoney(n, 9);
        const written = (drop > 0 && text9.endsWith('0'.repeat(drop)) ? text9.slice(0, -drop) : text9).replace(/\.$/, '');
        const parsed = parseJsonExact(`{"cost":${written}}`) as { cost: number | string };
        return parseMoney(parsed.cost) === n;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a call costs the sum of its distinct parts', () => {
  it('records price call-control and sip-trunking, the call.cost event adds its recording part; the history says where each came from', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    record(ledger, id, 'call-control', 'r-cc', '0.002', 'USD', '0.002');
    record(ledger, id, 'sip-trunking', 'r-sip', '0.0045', 'USD', '0.0045');
    assert.equal(applyCostFromRecords(ledger, id, NOW), 'updated');
    assert.equal(formatMoney(ledger.calls.get(id)!.exactNanos!), '0.0065');
    const body = JSON.parse(fixture('call-cost.sdk-strings.json')) as { data: Obj };
    deliverCallCost(ledger, 'e-1', JSON.stringify(body.data.payload));
    const call = ledger.calls.get(id)!;
    assert.equal(formatMoney(call.exactNanos!), '0.0085', 'the recording part is not lost');
    assert.equal(call.costSource, 'detail_record');
    const last = ledger.history.forCall(id).at(-1)!;
    assert.match(last.reason, /call-control 0\.002 \(detail record\) \+ call-recording 0\.002 \(call\.cost\) \+ sip-trunking 0\.0045 \(detail record\)/);
    const detail = last.detail as { parts: { part: string; source: string; from: string[] }[] };
    assert.deepEqual(
      detail.parts.map((p) => [p.part, p.source, p.from]),
      [
        ['call-control', 'detail_record', ['r-cc']],
        ['call-recording', 'call_cost_event', ['e-1']],
        ['sip-trunking', 'detail_record', ['r-sip']],
      ],
    );
    // A record that arrives later replaces only its own part.
    record(ledger, id, 'recording', 'r-rec', '0.0025');
    applyCostFromRecords(ledger, id, NOW + 5000);
    assert.equal(formatMoney(ledger.calls.get(id)!.exactNanos!), '0.009');
    ledger.close();
  });

  it('a call.cost total that disagrees with its parts is kept and flagged; the parts are booked', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    const payload = {
      call_leg_id: LEG,
      status: 'valid',
      total_cost: 0.05,
      cost_parts: [
        { call_part: 'call-control', cost: 0.01, currency: 'USD', rate: 0.01 },
        { call_part: 'call-recording', cost: 0.002, currency: 'USD', rate: 0.002 },
      ],
    };
    deliverCallCost(ledger, 'e-mis', JSON.stringify(payload));
    assert.equal(formatMoney(ledger.calls.get(id)!.exactNanos!), '0.012');
    const h = ledger.history.forCall(id).at(-1)!;
    assert.match(h.reason, /total_cost 0\.05 disagrees with its parts \(0\.012\)/);
    assert.deepEqual((h.detail as Obj).eventTotalMismatch, { total: '0.05', partsSum: '0.012' });
    const stored = ledger.db.prepare('SELECT payload, call_id FROM events WHERE event_id = ?').get('e-mis') as { payload: string; call_id: number };
    assert.equal((JSON.parse(stored.payload) as Obj).total_cost, 0.05, 'the event, its total as sent, is kept');
    assert.equal(stored.call_id, id, 'and linked to its call');
    ledger.close();
  });

  it('a part known but not priced leaves the call partial (never exact) and its job open', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    record(ledger, id, 'call-control', 'r-cc', '0.013');
    record(ledger, id, 'sip-trunking', 'r-sip', null);
    applyCostFromRecords(ledger, id, NOW);
    let call = ledger.calls.get(id)!;
    assert.deepEqual(call.missingParts, ['sip-trunking']);
    assert.equal(callCompletion(call), null, 'the job stays to fetch the missing part');
    const badge = ledger.db.prepare(`SELECT ${BADGE} AS b FROM calls c LEFT JOIN jobs j ON j.call_id = c.id WHERE c.id = ?`).get(id) as { b: string };
    assert.equal(badge.b, 'partial');
    assert.match(ledger.history.forCall(id).at(-1)!.reason, /^partial cost: sip-trunking not priced yet/);
    record(ledger, id, 'sip-trunking', 'r-sip', '0.004');
    applyCostFromRecords(ledger, id, NOW + 1);
    call = ledger.calls.get(id)!;
    assert.deepEqual(call.missingParts, []);
    assert.equal(formatMoney(call.exactNanos!), '0.017');
    assert.equal(callCompletion(call), 'completed');
    ledger.close();
  });

  it('a trunk part alone never books a Call Control call (the estimate stands) unless a call.cost lists the parts', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    record(ledger, id, 'sip-trunking', 'r-sip', '0.004');
    assert.equal(applyCostFromRecords(ledger, id, NOW), 'incomplete');
    assert.equal(ledger.calls.get(id)!.exactNanos, null);
    ledger.close();
  });
});

// ---------------------------------------------------------------------------------------
// Property: any mix of detail records and call.cost parts, in any order, books the sum of
// the distinct parts (a record's amount wins its part; the event fills the others).

const PARTS = ['call-control', 'sip-trunking', 'call-recording', 'amd', 'tts', 'media-streaming'] as const;
const amountArb = fc.bigInt({ min: 0n, max: 10n ** 12n });

describe('property: booked exact = sum of distinct parts', () => {
  it('for any parts from any mix of records and a call.cost event, applied in any order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...PARTS), { minLength: 1, maxLength: PARTS.length }),
        fc.array(fc.tuple(amountArb, fc.boolean(), fc.boolean(), amountArb), { minLength: PARTS.length, maxLength: PARTS.length }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 }),
        (parts, draws, eventFirst, eventTotalDelta) => {
          // Each part: its true amount; whether a record prices it; whether the event lists it.
          const truth = new Map<string, bigint>();
          const records: { type: string; id: string; cost: bigint }[] = [];
          const eventParts: { call_part: string; cost: string; currency: string; rate: string }[] = [];
          parts.forEach((p, i) => {
            const [amount, hasRecord, inEvent, other] = draws[i]!;
            const byRecord = hasRecord || !inEvent; // every part has at least one source
            truth.set(p, amount);
            if (byRecord) records.push({ type: p === 'call-recording' ? 'recording' : p, id: `r-${p}`, cost: amount });
            // The event may state another amount for a part a record prices: the record wins.
            if (inEvent) eventParts.push({ call_part: p, cost: formatMoney(byRecord ? other : amount, 0), currency: 'USD', rate: '0.001' });
          });
          const hasMain = records.some((r) => r.type === 'call-control') || eventParts.length > 0;
          const ledger = openTestLedger();
          try {
            const id = newCall(ledger);
            const applyRecords = () => {
              for (const r of records) record(ledger, id, r.type, r.id, formatMoney(r.cost, 0));
              applyCostFromRecords(ledger, id, NOW);
            };
            const applyEvent = () => {
              if (eventParts.length === 0) return;
              const sum = eventParts.reduce((s, p) => s + parseMoney(p.cost), 0n);
              const payload = {
                call_leg_id: LEG,
                status: eventTotalDelta === 0 ? 'valid' : 'success',
                total_cost: formatMoney(sum + BigInt(eventTotalDelta), 0),
                cost_parts: eventParts,
              };
              deliverCallCost(ledger, 'e-prop', JSON.stringify(payload));
            };
            if (eventFirst) {
              applyEvent();
              applyRecords();
            } else {
              applyRecords();
              applyEvent();
            }
            const call = ledger.calls.get(id)!;
            const expected = [...truth.values()].reduce((s, a) => s + a, 0n);
            if (!hasMain) {
              // A trunk/feature part alone, no event: the call stays unbooked (see the test above).
              return call.exactNanos === null;
            }
            return call.exactNanos === expected && call.costStatus === 'exact' && call.missingParts.length === 0;
          } finally {
            ledger.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('combineParts alone: the sum is independent of record order and of duplicate copies of a record', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PARTS), amountArb, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 12 }), (rows) => {
        const records = rows.map(([p, amount, copy], i) => ({ recordType: p, recordId: `r${i}`, costNanos: amount, currency: 'USD', rate: null, copy }));
        const withDuplicates = records.flatMap((r) => Array.from({ length: r.copy + 1 }, () => r));
        const shuffled = [...withDuplicates].reverse();
        const a = sumParts(combineParts(records, null).parts)!.nanos;
        const b = sumParts(combineParts(shuffled, null).parts)!.nanos;
        const expected = records.reduce((s, r) => s + r.costNanos, 0n);
        return a === expected && b === expected;
      }),
      { numRuns: 500 },
    );
    assert.equal(partKey('Call_Recording'), 'call-recording');
    assert.equal(partKey('webrtc'), 'call-control');
  });
});
