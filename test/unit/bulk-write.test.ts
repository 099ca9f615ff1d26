// The import's bulk write path (ingest/bulk-write.ts) against the row-by-row path it replaced
// (storeVoiceRecords + storeMessageRecords page by page): for random record sets from the
// simulator's account — SIP-trunked calls (two parts), records listed twice, the same range
// imported again, a part in another currency than its call, webhook events that arrive
// before the records (the call exists, estimated, maybe priced by a call.cost) or after them,
// and messages — both leave the same ledger, every row of every table, ids included; also
// when the calls' keys are merged into the big level of their key table after every chunk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { applyPendingEvents } from '../../electron/core/ingest/apply-events.ts';
import { writeRecordBatches, type RecordBatch } from '../../electron/core/ingest/bulk-write.ts';
import { openPage, wirePage } from '../../electron/core/ingest/page-wire.ts';
import { emptyOutcome, storeMessageRecords, storeVoiceRecords } from '../../electron/core/ingest/store-records.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { createAccount } from '../../electron/core/simulator/index.ts';
import { mainVoiceRecord, messageRecord, sipVoiceRecord } from '../../electron/core/simulator/records.ts';
import { delivery } from '../../electron/core/simulator/webhooks.ts';
import {
  normalizeMessageRecord,
  normalizeVoiceRecord,
  normalizeWebhookDelivery,
  type MessageRecord,
  type VoiceRecord,
} from '../../electron/core/telnyx/index.ts';
import { watchSpend } from '../../electron/core/alerts/api.ts';
import { alertStore } from '../../electron/core/alerts/store.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { dumpTables, withTestLedger } from '../helpers/ledger.ts';

const compare = comparisonEstimator(DEFAULT_SETTINGS.rates);
const account = createAccount({
  seed: 23,
  calls: 2000,
  messages: 400,
  numbers: 5,
  sipTrunkingRate: 0.35,
  webrtcRate: 0.1,
  callCostEventRate: 0.4,
  neverRecordRate: 0.05,
  unansweredRate: 0.15,
  duplicateRecordRate: 0.05,
});

interface Event {
  eventId: string;
  eventType: string;
  occurredAt: number;
  payload: Record<string, unknown>;
}

function voiceOf(i: number, otherCurrency: boolean): VoiceRecord[] {
  return account.call(i).records.map((rec) => {
    const n = normalizeVoiceRecord(rec.recordType === 'sip-trunking' ? sipVoiceRecord(account, i) : mainVoiceRecord(account, i), rec.recordType);
    assert.ok(n.ok);
    // A trunk part billed in another currency than the call: never summed (mixed_currency).
    if (otherCurrency && rec.recordType === 'sip-trunking') return { ...n.record, currency: n.record.currency === 'USD' ? 'EUR' : 'USD' };
    return n.record;
  });
}

function eventsOf(i: number): Event[] {
  const truth = account.call(i);
  return (['call.initiated', 'call.answered', 'call.hangup', 'call.cost'] as const)
    .filter((t) => (t !== 'call.answered' || truth.answered) && (t !== 'call.cost' || truth.costEvent))
    .map((t) => {
      const n = normalizeWebhookDelivery(delivery(account, t, i, 0));
      assert.ok(n.ok);
      return { eventId: n.record.eventId, eventType: t, occurredAt: n.record.occurredAt!, payload: n.record.payload };
    });
}

function messageOf(i: number): MessageRecord | null {
  if (!account.message(i).hasRecord) return null;
  const n = normalizeMessageRecord(messageRecord(account, i));
  assert.ok(n.ok);
  return n.record;
}

function deliver(ledger: Ledger, events: readonly Event[], now: number): void {
  for (const e of events) ledger.events.insert({ ...e, deliveryId: null }, now);
  applyPendingEvents(ledger, now);
}

type WritePath = (ledger: Ledger, chunk: readonly RecordBatch[], now: number) => void;

const rowByRow: WritePath = (ledger, chunk, now) => {
  const out = emptyOutcome();
  for (const b of chunk) {
    if (b.voice.length) storeVoiceRecords(ledger, b.voice, { createCalls: true, compare }, now, out);
    if (b.messages.length) storeMessageRecords(ledger, b.messages, now, out);
  }
};
const bulk: WritePath = (ledger, chunk, now) => void writeRecordBatches(ledger, chunk, { compare }, now);
// The bulk path as the write worker runs it: each page sealed (page-wire.ts), its call ids and
// record count read beside the buffer, its records opened for one pass and not kept.
const sealedBulk: WritePath = (ledger, chunk, now) =>
  bulk(
    ledger,
    chunk.map((b) => openPage(wirePage(b))),
    now,
  );

test('the bulk write path leaves the ledger the row-by-row path leaves, row for row', () => {
  let compared = 0;
  let fired = 0;
  fc.assert(
    fc.property(
      fc.nat({ max: 1900 }),
      // Unbiased, from 10: fast-check's bias towards small values could leave 25 runs with too
      // few calls to compare (373 in one CI run) and fail the coverage floor below by chance.
      fc.noBias(fc.integer({ min: 10, max: 60 })),
      fc.array(fc.nat({ max: 99 }), { minLength: 8, maxLength: 60 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 6 }),
      fc.boolean(),
      (first, calls, dice, pageSize, pagesPerChunk, twice) => {
        const roll = (k: number) => dice[k % dice.length]!;
        const voice: VoiceRecord[] = [];
        const before: Event[] = [];
        const after: Event[] = [];
        for (let k = 0; k < calls; k++) {
          const i = first + k;
          voice.push(...voiceOf(i, roll(k) < 8));
          // Some calls' webhooks came first (the call exists before its records), some later.
          if (roll(k + 1) < 30) before.push(...eventsOf(i));
          else if (roll(k + 1) < 45) after.push(...eventsOf(i));
        }
        // Any order, some listed twice.
        const shuffled = voice
          .map((r, k) => ({ r, key: roll(k) * 1000 + k }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.r);
        const records = [...shuffled, ...shuffled.filter((_, k) => roll(k + 3) < 10)];
        const messages = Array.from({ length: Math.min(40, calls) }, (_, k) => messageOf((first + k) % 400)).filter((m) => m !== null);
        // Pages as the importer gets them: voice pages, then message pages.
        const pages: RecordBatch[] = [];
        for (let k = 0; k < records.length; k += pageSize) pages.push({ voice: records.slice(k, k + pageSize), messages: [] });
        for (let k = 0; k < messages.length; k += pageSize) pages.push({ voice: [], messages: messages.slice(k, k + pageSize) });
        const dumps = [rowByRow, bulk, sealedBulk, bulk].map((path, variant) =>
          withTestLedger((ledger) => {
            // Spend alerts run at the end of each write, for the (number, day) pairs it wrote: the
            // bulk path's new calls reach them too (their hours are summed, not marked dirty).
            const stopWatching = watchSpend(ledger, () => 9_000);
            try {
              ledger.tx(() => {
                alertStore(ledger.db).addRule({ kind: 'daily_spend', currency: 'USD', threshold: '0.05', enabled: true }, 400);
                alertStore(ledger.db).addRule({ kind: 'call_cost', currency: 'USD', threshold: '0.02', enabled: true }, 400);
              });
              deliver(ledger, before, 500);
              for (let pass = 0; pass < (twice ? 2 : 1); pass++) {
                for (let k = 0; k < pages.length; k += pagesPerChunk) {
                  ledger.tx(() => path(ledger, pages.slice(k, k + pagesPerChunk), 1_000 + pass * 100 + k));
                  // The last variant merges the calls' new keys after every chunk (ledger/call-keys.ts),
                  // so each chunk finds the calls before it in the big level of the key table.
                  if (variant === 3) ledger.mergeCallKeysIfDue(1);
                }
              }
              deliver(ledger, after, 5_000);
              return dumpTables(ledger.db, { excludeTables: ['schema_migrations'] });
            } finally {
              stopWatching();
            }
          }),
        );
        assertSameLedger(dumps[1]!, dumps[0]!, 'bulk vs row by row');
        assertSameLedger(dumps[2]!, dumps[0]!, 'bulk on sealed pages vs row by row');
        assertSameLedger(dumps[3]!, dumps[0]!, 'bulk with the call keys merged after every chunk vs row by row');
        compared += dumps[0]!.calls!.length;
        fired += dumps[0]!.alert_firings?.length ?? 0;
      },
    ),
    { numRuns: 25 },
  );
  assert.ok(compared > 500, `only ${compared} calls were compared`);
  assert.ok(fired > 20, `only ${fired} alert firings were compared`);
});
