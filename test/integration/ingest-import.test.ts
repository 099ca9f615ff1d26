// Date-range import over HTTP from the simulator: the ledger must hold exactly what the
// simulator's ground truth says, and importing again must change nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sipVoiceRecord } from '../../electron/core/simulator/records.ts';
import { BOOKKEEPING_TABLES, dumpTables, openTestLedger } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { SIM_NOW, simulatorForSuite, testClient } from '../helpers/simulator.ts';
import { assertLedgerMatchesTruth, FULL_RANGE, importWith, ledgerClock, ledgerTotals } from '../helpers/ingest.ts';

const ACCOUNT = { seed: 'ingest-import', calls: 1000, messages: 400, sipTrunkingRate: 0.3, webrtcRate: 0.1, stragglerRate: 0.03 };

describe('date-range import', () => {
  const sim = simulatorForSuite(ACCOUNT);

  it('imports all four record types exactly as the ground truth has them, and a re-import changes nothing', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    const clock = ledgerClock();
    const p = await importWith({ ledger, client, clock });
    assert.equal(p.status, 'completed');
    assert.equal(p.rejected, 0);
    const counts = assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    assert.ok(counts.calls > 900 && counts.messages > 350);
    // Records listed twice by the API count as pages' rows but are stored once.
    assert.ok(p.records >= counts.records);

    // Both SIP-trunked calls (two records summed) and EUR numbers are in this account.
    const summed = ledger.db
      .prepare(`SELECT COUNT(*) FROM (SELECT call_id FROM detail_records WHERE call_id IS NOT NULL GROUP BY call_id HAVING COUNT(*) = 2)`)
      .pluck()
      .get() as number;
    assert.ok(summed > 50, `${summed} calls with call-control + sip-trunking records`);
    const totals = ledgerTotals(ledger);
    const expected = sim.account.expectedTotals({ by: 'record_created', fromMs: FULL_RANGE.from, toMs: FULL_RANGE.to, asOfMs: SIM_NOW });
    assert.deepEqual(totals, expected, 'per number and currency');
    const currencies = new Set(Object.values(totals).flatMap((c) => Object.keys(c)));
    assert.deepEqual([...currencies].sort(), ['EUR', 'USD']);
    for (const [number, perCurrency] of Object.entries(totals)) {
      assert.equal(Object.keys(perCurrency).length, 1, `${number} never mixes currencies`);
    }

    // Importing the same range again, an hour later: not one row changes.
    const before = dumpTables(ledger.db, { excludeTables: BOOKKEEPING_TABLES });
    await clock.advance(3_600_000);
    const again = await importWith({ ledger, client, clock });
    assert.equal(again.status, 'completed');
    assert.notEqual(again.importId, p.importId, 'a completed import is not resumed: the range is read again');
    assertSameLedger(dumpTables(ledger.db, { excludeTables: BOOKKEEPING_TABLES }), before, 'second import of the same range');
    ledger.close();
  });

  it('imports a sub-range, then the ranges around it, ending with the same ledger as one full import', async () => {
    const client = testClient(sim);
    const mid = { from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 9) };
    const ledger = openTestLedger();
    const clock = ledgerClock();
    await importWith({ ledger, client, clock, ...mid });
    assertLedgerMatchesTruth(ledger, sim.account, mid);
    await importWith({ ledger, client, clock, from: mid.to, to: FULL_RANGE.to });
    await importWith({ ledger, client, clock, from: FULL_RANGE.from, to: mid.from });
    // Every call now has all of its records, whichever import brought them and in what order.
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    ledger.close();
  });

  it("never takes a SIP trunk's leg id for the call's leg id, whichever record arrives first", async () => {
    // A call whose sip-trunking record (carrying the trunk's own leg id) is in a window that
    // its call-control record is not in.
    let pick: { i: number; sipMs: number } | null = null;
    for (let i = 0; i < sim.account.callCount && !pick; i++) {
      const t = sim.account.call(i);
      const sip = t.records.find((r) => r.recordType === 'sip-trunking');
      const main = t.records.find((r) => r.recordType !== 'sip-trunking');
      const rec = sipVoiceRecord(sim.account, i);
      if (sip && main && (rec.telnyx_leg_id ?? rec.call_leg_id) && Math.abs(main.createdMs - sip.createdMs) > 1000) pick = { i, sipMs: sip.createdMs };
    }
    assert.ok(pick, 'the account has such a call');
    const t = sim.account.call(pick.i);
    const ledger = openTestLedger();
    const client = testClient(sim);
    await importWith({ ledger, client, from: pick.sipMs, to: pick.sipMs + 1000, types: ['sip-trunking'] });
    const early = ledger.db.prepare('SELECT * FROM calls WHERE call_session_id = ?').get(t.callSessionId) as Record<string, unknown>;
    assert.ok(early, 'the sip-trunking record creates the call');
    assert.notEqual(early.call_leg_id, sim.account.sipLegId(pick.i), 'the trunk leg is not the call leg');
    assert.equal(early.direction, t.direction);
    assert.equal(early.our_number, t.ourNumber);
    await importWith({ ledger, client });
    const row = ledger.db.prepare('SELECT * FROM calls WHERE call_session_id = ?').get(t.callSessionId) as Record<string, unknown>;
    assert.equal(row.call_leg_id, t.callLegId, 'the call-control record brings the real leg id');
    assert.equal(BigInt(row.exact_nanos as number), t.totalCostNanos);
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    ledger.close();
  });

  it('imports only the record types asked for', async () => {
    const ledger = openTestLedger();
    const p = await importWith({ ledger, client: testClient(sim), types: ['messaging', 'webrtc'] });
    assert.equal(p.status, 'completed');
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE, ['messaging', 'webrtc']);
    const types = ledger.db.prepare('SELECT DISTINCT record_type FROM detail_records ORDER BY 1').pluck().all();
    assert.deepEqual(types, ['messaging', 'webrtc']);
    ledger.close();
  });
});
