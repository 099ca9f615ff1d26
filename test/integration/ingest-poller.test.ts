// Polling stored webhook deliveries from the simulator over HTTP: deliveries repeat, arrive
// late and out of order; the ledger dedupes on the event id, lets a hangup wait for its
// call.initiated, and books costs from call.cost and message.finalized.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMoney } from '../../shared/money.ts';
import { pollOnce, type PollResult } from '../../electron/core/ingest/poller.ts';
import { clientDeliverySource } from '../../electron/core/ingest/sources.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import type { GeneratedAccount, RunningSimulator } from '../../electron/core/simulator/index.ts';
import { callEventOccurred, deliveryTiming } from '../../electron/core/simulator/webhooks.ts';
import type { TelnyxClient } from '../../electron/core/telnyx/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { dumpTables, openTestLedger } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { simulatorForSuite, testClient } from '../helpers/simulator.ts';

const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = START + 2 * DAY; // every delivery (late ones and repeats included) has started by then

type Row = Record<string, unknown>;

/** A ledger and a simulator that share one "now". */
function rig(sim: RunningSimulator, client: TelnyxClient, ledger: Ledger) {
  const clock = new ManualClock(START);
  return {
    clock,
    async pollAt(t: number): Promise<PollResult> {
      clock.set(t);
      sim.setNow(t);
      return pollOnce({ ledger, source: clientDeliverySource(client), clock, firstLookbackMs: 2 * DAY });
    },
  };
}

function expectedEventCount(a: GeneratedAccount): number {
  let n = 0;
  for (let i = 0; i < a.callCount; i++) {
    const c = a.call(i);
    n += 2 + (c.answered ? 1 : 0) + (c.costEvent ? 1 : 0);
  }
  for (let i = 0; i < a.messageCount; i++) n += a.message(i).direction === 'outbound' ? 2 : 1;
  return n;
}

function assertMatchesTruth(ledger: Ledger, a: GeneratedAccount): void {
  const calls = new Map((ledger.db.prepare('SELECT * FROM calls').safeIntegers(true).all() as Row[]).map((r) => [String(r.call_leg_id), r]));
  assert.equal(calls.size, a.callCount, 'one call row per call');
  for (let i = 0; i < a.callCount; i++) {
    const t = a.call(i);
    const row = calls.get(t.callLegId);
    assert.ok(row, `call ${i}`);
    assert.equal(row.direction, t.direction, `call ${i} direction`);
    assert.equal(row.our_number, t.direction === 'outbound' ? t.from : t.to, `call ${i} our number`);
    assert.equal(row.our_number, t.ourNumber);
    assert.equal(row.other_number, t.direction === 'outbound' ? t.to : t.from);
    assert.equal(row.call_session_id, t.callSessionId);
    assert.equal(row.call_control_id, t.callControlId);
    assert.equal(Number(row.started_at), t.startMs);
    assert.equal(row.answered_at === null ? null : Number(row.answered_at), t.answerMs, `call ${i} answered_at`);
    assert.equal(Number(row.ended_at), t.endMs, `call ${i} ended_at`);
    if (t.answered) assert.equal(row.hangup_cause, 'normal_clearing');
    if (t.costEvent) {
      assert.equal(row.cost_source, 'call_cost_event', `call ${i} cost source`);
      assert.equal(row.cost_status, 'exact');
      assert.equal(row.exact_nanos, t.totalCostNanos, `call ${i} cost`);
      assert.equal(row.currency, t.currency);
    } else {
      assert.equal(row.cost_source, null, `call ${i}: no cost event, nothing booked`);
    }
  }
  const messages = new Map((ledger.db.prepare('SELECT * FROM messages').safeIntegers(true).all() as Row[]).map((r) => [String(r.id), r]));
  assert.equal(messages.size, a.messageCount, 'one message row per message');
  for (let i = 0; i < a.messageCount; i++) {
    const m = a.message(i);
    const row = messages.get(m.id);
    assert.ok(row, `message ${i}`);
    assert.equal(row.direction, m.direction);
    assert.equal(row.our_number, m.direction === 'outbound' ? m.from : m.to, `message ${i} our number`);
    assert.equal(row.other_number, m.direction === 'outbound' ? m.to : m.from);
    assert.equal(row.cost_nanos, m.costNanos, `message ${i} cost`);
    assert.equal(row.currency, m.currency);
    assert.equal(row.cost_status, 'exact');
    if (m.direction === 'outbound') {
      assert.equal(row.cost_source, 'message_finalized_event', `message ${i} cost from message.finalized`);
      assert.equal(row.carrier_fee_nanos, parseMoney(m.carrierFee));
      assert.equal(Number(row.completed_at), m.completedMs);
    }
  }
}

/** What a poll left, keyed by Telnyx ids (row ids depend on the order calls were first seen). */
function semanticDump(ledger: Ledger) {
  return {
    calls: ledger.db
      .prepare(
        `SELECT call_leg_id, call_session_id, call_control_id, our_number, other_number, direction, connection_id, started_at,
           answered_at, ended_at, call_sec, hangup_cause, exact_nanos, currency, rate, billed_sec, cost_status, cost_source
         FROM calls ORDER BY call_leg_id`,
      )
      .raw()
      .all(),
    messages: ledger.db
      .prepare(`SELECT * FROM messages ORDER BY id`)
      .raw()
      .all()
      .map((r) => (r as unknown[]).filter((_, k) => k < 15)),
    events: ledger.db
      .prepare(`SELECT event_id, event_type, occurred_at, delivery_id, payload FROM events WHERE applied_at IS NOT NULL ORDER BY event_id`)
      .raw()
      .all(),
  };
}

describe('polling stored webhook deliveries', () => {
  const sim = simulatorForSuite({
    seed: 'poller',
    calls: 300,
    messages: 150,
    startMs: START,
    spanMs: DAY,
    lateDeliveryRate: 0.2,
    lateDeliveryMs: { min: 10 * 60_000, max: 2 * HOUR },
    duplicateDeliveryRate: 0.2,
    nowMs: START,
  });

  it('ingests every delivery once, through many polls, into the same ledger one poll makes', async () => {
    const expected = expectedEventCount(sim.account);
    const client = testClient(sim);

    const stepwise = openTestLedger();
    const r = rig(sim, client, stepwise);
    let newEvents = 0;
    let deliveries = 0;
    let waited = 0;
    for (let t = START + 2 * HOUR; t <= END; t += 2 * HOUR) {
      const p = await r.pollAt(t);
      newEvents += p.newEvents;
      deliveries += p.deliveries;
      waited += p.applied.waiting;
      assert.equal(p.rejected, 0);
      assert.equal(p.cursor, Number(stepwise.settings.cursor('webhook_deliveries.started_at')));
    }
    assert.equal(stepwise.events.count(), expected, 'events = distinct webhook ids');
    assert.equal(newEvents, expected);
    assert.ok(deliveries > expected, 'repeated deliveries (and the overlap re-reads) were seen and deduplicated');
    assert.ok(waited > 0, 'some events arrived before the event they depend on, and waited');
    assert.equal(stepwise.events.countUnapplied(), 0, 'nothing is left waiting at the end');
    assertMatchesTruth(stepwise, sim.account);

    const single = openTestLedger();
    const p = await rig(sim, client, single).pollAt(END);
    assert.equal(p.newEvents, expected);
    assert.ok(p.deliveries > expected);
    assertMatchesTruth(single, sim.account);
    assertSameLedger(semanticDump(stepwise) as never, semanticDump(single) as never, 'many polls vs one poll');

    // Another poll with no new deliveries changes nothing (the runs log aside).
    const before = dumpTables(single.db, { excludeTables: ['runs'], excludeColumns: ['sync_cursors.updated_at'] });
    const again = await rig(sim, client, single).pollAt(END + 60_000);
    assert.equal(again.newEvents, 0);
    assert.ok(again.deliveries > 0, 'the overlap was read again');
    assert.deepEqual(again.applied, { applied: 0, waiting: 0, invalid: 0 });
    assertSameLedger(dumpTables(single.db, { excludeTables: ['runs'], excludeColumns: ['sync_cursors.updated_at'] }), before, 'a poll with nothing new');
    stepwise.close();
    single.close();
  });

  it('keeps a call.hangup that arrives before its call.initiated waiting, and applies it later', async () => {
    const a = sim.account;
    let pick: { i: number; hangupAt: number; initiatedAt: number } | null = null;
    for (let i = 0; i < a.callCount && !pick; i++) {
      const c = a.callCore(i);
      const init = deliveryTiming(a, 'call.initiated', i, callEventOccurred(a, c, 'call.initiated')!).startedMs[0];
      const hang = deliveryTiming(a, 'call.hangup', i, callEventOccurred(a, c, 'call.hangup')!).startedMs[0];
      if (hang + 2000 < init) pick = { i, hangupAt: hang, initiatedAt: init };
    }
    assert.ok(pick, 'the account has a call whose hangup is delivered before its call.initiated');
    const t = a.call(pick.i);
    const ledger = openTestLedger();
    const r = rig(sim, testClient(sim), ledger);

    await r.pollAt(pick.hangupAt + 1000);
    const hangup = ledger.db
      .prepare(`SELECT * FROM events WHERE event_type = 'call.hangup' AND json_extract(payload, '$.call_leg_id') = ?`)
      .get(t.callLegId) as Row | undefined;
    assert.ok(hangup, 'the hangup is stored');
    assert.equal(hangup.applied_at, null, 'but not applied');
    assert.equal(hangup.apply_note, 'waiting for call.initiated');
    assert.equal(ledger.calls.byLeg(t.callLegId), undefined, 'no call row from a hangup alone');

    await r.pollAt(pick.initiatedAt + 1000);
    const call = ledger.calls.byLeg(t.callLegId);
    assert.ok(call, 'call.initiated arrived: the call exists');
    assert.equal(call.direction, t.direction);
    assert.equal(call.ourNumber, t.ourNumber);
    assert.equal(call.endedAt, t.endMs, 'and the waiting hangup was applied to it');
    const applied = ledger.db.prepare('SELECT applied_at FROM events WHERE event_id = ?').pluck().get(hangup.event_id);
    assert.notEqual(applied, null);
    ledger.close();
  });
});
