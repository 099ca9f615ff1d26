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
import { dumpTables, openTestLedger } from '../helpers/ledger.ts';

const account = createAccount({
  seed: 11, calls: 3000, messages: 0, numbers: 4, sipTrunkingRate: 0.4, neverRecordRate: 0.1,
  unansweredRate: 0.2, webrtcRate: 0.1, duplicateRecordRate: 0.05,
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
    fc.property(fc.nat({ max: 2900 }), fc.integer({ min: 1, max: 30 }), fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (first, calls, keys, pageSize) => {
      const records = Array.from({ length: calls }, (_, k) => recordsOf(first + k)).flat();
      // Any order (a trunk record before or after its main record), some twice, in pages.
      const order = records.map((r, k) => ({ r, key: keys[k % keys.length]! * 131 + k })).sort((a, b) => a.key - b.key).map((x) => x.r);
      const all = [...order, ...order.filter((_, k) => keys[k % keys.length]! % 7 === 0)];
      const dumps = [true, false].map((bookOnInsert) => {
        const ledger = openTestLedger();
        try {
          for (let k = 0; k < all.length; k += pageSize) {
            ledger.tx(() => storeVoiceRecords(ledger, all.slice(k, k + pageSize), { createCalls: true, bookOnInsert }, 1_000 + k));
          }
          // History ids aside: the general path appends a batch's entries after the batch, the
          // fast path as it goes, so ids interleave differently; each call's entries are the same.
          return dumpTables(ledger.db, { excludeTables: ['schema_migrations'], excludeColumns: ['cost_history.id'] });
        } finally {
          ledger.close();
        }
      });
      for (const table of Object.keys(dumps[0]!)) assert.deepEqual(dumps[0]![table], dumps[1]![table], table);
      priced += (dumps[0]!.calls ?? []).length;
    }),
    { numRuns: 40 },
  );
  assert.ok(priced > 100, `only ${priced} calls were compared`);
});
