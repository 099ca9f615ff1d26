// Booking costs on the ledger (costs/apply.ts over the ledger repositories): a worse source
// never overwrites a better one, the same cost twice changes nothing, every change leaves
// one history row, and two currencies are never summed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMoney } from '../../shared/money.ts';
import { applyCallCost, applyCostFromRecords, applyMessageCost, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { insertHungUpCall, storeCallRecord } from '../helpers/call-rows.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const NOW = Date.UTC(2026, 0, 15, 12);

function newCall(ledger: Ledger, leg = 'leg-1'): number {
  return insertHungUpCall(ledger, NOW, { leg, session: `s-${leg}`, control: null });
}

function record(ledger: Ledger, callId: number, type: string, id: string, cost: string | null, currency: string | null): void {
  storeCallRecord(ledger, NOW, { callId, type, id, cost, currency, raw: '{}' });
}

describe('call costs', () => {
  it('ranks estimate < call.cost event < detail record, and records every change once', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    assert.equal(
      bookCallEstimate(ledger, id, { nanos: parseMoney('0.015'), currency: 'USD', method: 'flat 0.015/min', rate: '0.015', billedSec: 60 }, NOW),
      'updated',
    );
    assert.equal(ledger.calls.get(id)!.costStatus, 'estimated');
    const event = { source: 'call_cost_event' as const, nanos: parseMoney('0.0180'), currency: 'USD', reason: 'call.cost' };
    assert.equal(applyCallCost(ledger, id, event, NOW + 1), 'updated');
    assert.equal(applyCallCost(ledger, id, event, NOW + 2), 'unchanged', 'the same cost twice');
    const recordCost = { source: 'detail_record' as const, nanos: parseMoney('0.0175'), currency: 'USD', reason: 'record' };
    assert.equal(applyCallCost(ledger, id, recordCost, NOW + 3), 'updated');
    assert.equal(applyCallCost(ledger, id, event, NOW + 4), 'ignored_worse', 'a late call.cost never overwrites the record');
    assert.equal(
      bookCallEstimate(ledger, id, { nanos: 1n, currency: 'USD', method: 'again', rate: '0.015', billedSec: 60 }, NOW + 5),
      'ignored_worse',
      'an estimate never overwrites an exact cost',
    );
    const call = ledger.calls.get(id)!;
    assert.equal(call.exactNanos, 17_500_000n);
    assert.equal(call.costSource, 'detail_record');
    assert.equal(call.costStatus, 'exact');
    assert.equal(call.estimatedNanos, 15_000_000n, 'the estimate is kept beside the exact cost');
    const history = ledger.history.forCall(id);
    assert.deepEqual(
      history.map((h) => [h.oldSource, h.newSource, h.oldNanos, h.newNanos]),
      [
        [null, 'estimate', null, 15_000_000n],
        ['estimate', 'call_cost_event', 15_000_000n, 18_000_000n],
        ['call_cost_event', 'detail_record', 18_000_000n, 17_500_000n],
      ],
    );
    assert.equal(applyCallCost(ledger, 999, recordCost, NOW), 'missing');
    ledger.close();
  });

  it('sums a call-control and a sip-trunking record, refuses two currencies, ignores missing costs', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    assert.equal(applyCostFromRecords(ledger, id, NOW), 'no_cost');
    record(ledger, id, 'call-control', 'r1', '0.0180', 'USD');
    record(ledger, id, 'sip-trunking', 'r2', '0.00305', 'USD');
    assert.equal(applyCostFromRecords(ledger, id, NOW), 'updated');
    assert.equal(ledger.calls.get(id)!.exactNanos, 21_050_000n);
    assert.equal(applyCostFromRecords(ledger, id, NOW + 1), 'unchanged');
    assert.match(ledger.history.forCall(id).at(-1)!.reason, /sum of 2 detail records \(call-control 0\.018 \+ sip-trunking 0\.00305\)/);

    const eur = newCall(ledger, 'leg-2');
    record(ledger, eur, 'call-control', 'r3', '0.0110', 'EUR');
    record(ledger, eur, 'sip-trunking', 'r4', '0.0020', 'USD');
    assert.equal(applyCostFromRecords(ledger, eur, NOW), 'mixed_currency');
    assert.equal(ledger.calls.get(eur)!.exactNanos, null, 'nothing booked');
    assert.deepEqual(ledger.history.forCall(eur), []);
    ledger.close();
  });

  it('a genuine zero is an exact zero, and "not billable" is its own status', () => {
    const ledger = openTestLedger();
    const id = newCall(ledger);
    record(ledger, id, 'call-control', 'r1', '0', 'USD');
    assert.equal(applyCostFromRecords(ledger, id, NOW), 'updated');
    assert.equal(ledger.calls.get(id)!.exactNanos, 0n);
    assert.equal(ledger.calls.get(id)!.costStatus, 'exact');
    const other = newCall(ledger, 'leg-2');
    applyCallCost(ledger, other, { source: 'detail_record', nanos: 0n, currency: 'USD', status: 'not_billable', reason: 'not billable' }, NOW);
    assert.equal(ledger.calls.get(other)!.costStatus, 'not_billable');
    ledger.close();
  });
});

describe('message costs', () => {
  it('ranks message.sent < detail record < message.finalized', () => {
    const ledger = openTestLedger();
    ledger.messages.upsert({ id: 'm1', ourNumber: '+15550001000', otherNumber: '+12125550100', direction: 'outbound' }, NOW);
    const c = (source: 'message_sent_event' | 'detail_record' | 'message_finalized_event', cost: string) => ({
      source,
      nanos: parseMoney(cost),
      carrierFeeNanos: parseMoney('0.00305'),
      currency: 'USD',
      reason: source,
    });
    assert.equal(applyMessageCost(ledger, 'm1', c('message_sent_event', '0.004'), NOW), 'updated');
    assert.equal(applyMessageCost(ledger, 'm1', c('message_finalized_event', '0.00705'), NOW), 'updated');
    assert.equal(applyMessageCost(ledger, 'm1', c('detail_record', '0.00705'), NOW), 'ignored_worse');
    assert.equal(applyMessageCost(ledger, 'm1', c('message_sent_event', '0.004'), NOW), 'ignored_worse');
    assert.equal(applyMessageCost(ledger, 'm1', c('message_finalized_event', '0.00705'), NOW), 'unchanged');
    const m = ledger.messages.get('m1')!;
    assert.equal(m.costNanos, 7_050_000n);
    assert.equal(m.carrierFeeNanos, 3_050_000n);
    assert.equal(m.costSource, 'message_finalized_event');
    assert.equal(ledger.history.forMessage('m1').length, 2);
    assert.equal(applyMessageCost(ledger, 'nope', c('detail_record', '1'), NOW), 'missing');
    ledger.close();
  });
});
