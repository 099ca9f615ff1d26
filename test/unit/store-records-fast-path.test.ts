// A call first seen through a record that prices it alone is inserted already booked
// (insertCallPricedByRecord). Whatever mix of records arrives, in whatever pages, the ledger
// must be row for row what the general path (insert the call, then price it from its
// records) leaves: the fast path is a shortcut, never a different answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { storeVoiceRecords } from '../../electron/core/ingest/store-records.ts';
import { createAccount } from '../../electron/core/simulator/index.ts';
import { mainVoiceRecord, sipVoiceRecord } from '../../electron/core/simulator/records.ts';
import { normalizeVoiceRecord, type VoiceRecord } from '../../electron/core/telnyx/index.ts';
import { dumpTables, withTestLedger } from '../helpers/ledger.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { parseMoney } from '../../shared/money.ts';

const compare = comparisonEstimator(DEFAULT_SETTINGS.rates);

const account = createAccount({
  seed: 11,
  calls: 3000,
  messages: 0,
  numbers: 4,
  sipTrunkingRate: 0.4,
  neverRecordRate: 0.1,
  unansweredRate: 0.2,
  webrtcRate: 0.1,
  duplicateRecordRate: 0.05,
});

function recordsOf(i: number): VoiceRecord[] {
  return account.call(i).records.map((rec) => {
    const n = normalizeVoiceRecord(rec.recordType === 'sip-trunking' ? sipVoiceRecord(account, i) : mainVoiceRecord(account, i), rec.recordType);
    assert.ok(n.ok);
    return n.record;
  });
}

test('calls priced on insert equal calls inserted and then priced, row for row', () => {
  let priced = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: 2900 }),
      // Unbiased, from 5: fast-check's bias towards small values could leave too few calls to
      // meet the coverage floor below by chance (as it once did in bulk-write.test.ts).
      fc.noBias(fc.integer({ min: 5, max: 30 })),
      fc.array(fc.nat(), { minLength: 1, maxLength: 80 }),
      fc.integer({ min: 1, max: 40 }),
      (first, calls, keys, pageSize) => {
        const records = Array.from({ length: calls }, (_, k) => recordsOf(first + k)).flat();
        // Any order (a trunk record before or after its main record), some twice, in pages.
        const order = records
          .map((r, k) => ({ r, key: keys[k % keys.length]! * 131 + k }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.r);
        const all = [...order, ...order.filter((_, k) => keys[k % keys.length]! % 7 === 0)];
        const dumps = [true, false].map((bookOnInsert) =>
          withTestLedger((ledger) => {
            for (let k = 0; k < all.length; k += pageSize) {
              ledger.tx(() => storeVoiceRecords(ledger, all.slice(k, k + pageSize), { createCalls: true, bookOnInsert, compare }, 1_000 + k));
            }
            // History ids aside: the general path appends a batch's entries after the batch, the
            // fast path as it goes, so ids interleave differently; each call's entries are the same.
            return dumpTables(ledger.db, { excludeTables: ['schema_migrations'], excludeColumns: ['cost_history.id'] });
          }),
        );
        for (const table of Object.keys(dumps[0]!)) assert.deepEqual(dumps[0]![table], dumps[1]![table], table);
        priced += (dumps[0]!.calls ?? []).length;
      },
    ),
    { numRuns: 40 },
  );
  assert.ok(priced > 100, `only ${priced} calls were compared`);
});

test('an imported call keeps its exact cost and gets, for comparison only, the estimate the fallback would have booked', () =>
  withTestLedger((ledger) => {
    const records = Array.from({ length: 400 }, (_, i) => recordsOf(i)).flat();
    for (let k = 0; k < records.length; k += 50) ledger.tx(() => storeVoiceRecords(ledger, records.slice(k, k + 50), { createCalls: true, compare }, 1_000));
    const rows = ledger.db
      .prepare(`SELECT id, direction, call_sec, estimated_nanos, estimate_currency, estimate_method, cost_status, cost_source, currency FROM calls`)
      .all() as {
      id: number;
      direction: string;
      call_sec: number | null;
      estimated_nanos: number | null;
      estimate_currency: string | null;
      estimate_method: string | null;
      cost_status: string;
      cost_source: string | null;
      currency: string | null;
    }[];
    const priced = rows.filter((r) => r.cost_status === 'exact' || r.cost_status === 'not_billable');
    assert.ok(priced.length > 300);
    const rate = (d: string) => parseMoney(d === 'inbound' ? DEFAULT_SETTINGS.rates.inboundPerMinute : DEFAULT_SETTINGS.rates.outboundPerMinute);
    let other = 0;
    for (const r of priced) {
      assert.equal(r.cost_source, 'detail_record');
      if (r.currency !== DEFAULT_SETTINGS.rates.currency) {
        // Billed in a currency with no fallback rate in Settings: no comparison, never one in USD.
        assert.equal(r.estimated_nanos, null, `call ${r.id} (${r.currency})`);
        other++;
        continue;
      }
      // 60/60 increments by default: whole minutes, none when nobody talked.
      const minutes = BigInt(Math.ceil((r.call_sec ?? 0) / 60));
      assert.equal(BigInt(r.estimated_nanos!), minutes * rate(r.direction), `call ${r.id}`);
      assert.equal(r.estimate_currency, DEFAULT_SETTINGS.rates.currency);
      assert.match(r.estimate_method!, /^for comparison, never booked/);
    }
    assert.ok(other > 0 && other < priced.length, `${other} of ${priced.length} calls in another currency`);
    // Calls still waiting for their main record have nothing booked, and no comparison either.
    for (const r of rows.filter((x) => x.cost_status === 'open')) assert.equal(r.estimated_nanos, null);
    // The comparison is not a booked cost: no history entry speaks of it.
    const estimates = ledger.db.prepare(`SELECT COUNT(*) FROM cost_history WHERE new_source = 'estimate'`).pluck().get();
    assert.equal(estimates, 0);
  }));
