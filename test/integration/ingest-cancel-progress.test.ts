// Cancelling an import through its AbortSignal (it stops as "cancelled" and a re-run resumes
// it), and the progress it reports on the way: pages, records, totals and an ETA.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportProgress } from '../../shared/contract.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpTables, openTestLedger, type Dump } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { SIM_NOW, startTestSimulator, testClient } from '../helpers/simulator.ts';
import { FULL_RANGE, assertLedgerMatchesTruth, importWith } from '../helpers/ingest.ts';

const SAME = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: WRITE_TIME_COLUMNS };

describe('import cancel and progress', () => {
  let sim: RunningSimulator;
  let clean: Dump;
  before(async () => {
    sim = await startTestSimulator({ seed: 'cancel', calls: 800, messages: 300, sipTrunkingRate: 0.2 });
    const ledger = openTestLedger();
    await importWith({ ledger, client: testClient(sim) });
    clean = dumpTables(ledger.db, SAME);
    ledger.close();
  });

  for (const how of ['between pages', 'during a request'] as const) {
    it(`cancels ${how}: status cancelled, then a re-run resumes and completes`, async () => {
      const ledger = openTestLedger();
      const client = testClient(sim);
      const controller = new AbortController();
      sim.setFaults({ kind: 'slow', delayMs: 30 });
      let final: ImportProgress;
      try {
        final = await importWith({
          ledger,
          client,
          pagesPerCommit: 1,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.status !== 'running' || p.pagesDone < 3) return;
            // Synchronously: seen at the next page boundary. Later: lands in a request in flight.
            if (how === 'between pages') controller.abort();
            else setImmediate(() => controller.abort());
          },
        });
      } finally {
        sim.clearFaults();
      }
      assert.equal(final.status, 'cancelled');
      assert.equal(final.error, null);
      const row = ledger.imports.get(final.importId)!;
      assert.equal(row.status, 'cancelled');
      assert.equal(row.owner, null);
      assert.ok(row.pages >= 3 && row.pages < 40, `${row.pages} pages done when cancelled`);
      assert.equal(ledger.runs.last('import')?.status, 'cancelled');

      const resumed = await importWith({ ledger, client });
      assert.equal(resumed.importId, final.importId, 'the cancelled import is resumed');
      assert.equal(resumed.status, 'completed');
      assert.equal(resumed.pagesDone, resumed.pagesTotal);
      assertSameLedger(dumpTables(ledger.db, SAME), clean, `resumed after a cancel ${how}`);
      ledger.close();
    });
  }

  it('a signal aborted before the start cancels at once and stores nothing', async () => {
    const ledger = openTestLedger();
    const controller = new AbortController();
    controller.abort();
    const p = await importWith({ ledger, client: testClient(sim), signal: controller.signal });
    assert.equal(p.status, 'cancelled');
    assert.equal(ledger.records.count(), 0);
    ledger.close();
  });

  it('reports pages, records, totals and an ETA while it runs', async () => {
    const ledger = openTestLedger();
    // The clock moves one second per committed batch, so the ETA has an elapsed time to scale.
    const clock = new ManualClock(SIM_NOW + 3_600_000);
    const seen: ImportProgress[] = [];
    const final = await importWith({
      ledger,
      client: testClient(sim),
      clock,
      pagesPerCommit: 2,
      onProgress: (p) => {
        seen.push(p);
        void clock.advance(1000);
      },
    });
    assert.equal(final.status, 'completed');
    assert.deepEqual(seen.at(-1), final);
    const running = seen.slice(0, -1);
    assert.ok(running.length > 10);
    for (const p of running) {
      assert.equal(p.status, 'running');
      assert.equal(p.finishedAt, null);
      assert.equal(p.importId, final.importId);
      assert.deepEqual(p.range, FULL_RANGE);
    }
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i]!.pagesDone >= seen[i - 1]!.pagesDone, 'pages never go back');
      assert.ok(seen[i]!.records >= seen[i - 1]!.records, 'records never go back');
    }
    assert.ok(
      running.every((p, i) => i === 0 || p.pagesDone > running[i - 1]!.pagesDone),
      'every report is a step forward',
    );
    // Every type's total is known from the first commit on, so every report has an ETA.
    for (const p of running) {
      assert.notEqual(p.pagesTotal, null);
      assert.ok(p.etaMs! >= 0);
      assert.ok(p.pagesDone <= p.pagesTotal!);
    }
    const totals = ledger.imports.totals(final.importId);
    const pagesTotal = totals.reduce((s, t) => s + t.totalPages!, 0);
    const resultsTotal = totals.reduce((s, t) => s + t.totalResults!, 0);
    assert.equal(final.pagesTotal, pagesTotal);
    assert.equal(final.pagesDone, pagesTotal);
    assert.equal(final.records, resultsTotal, 'every listed row (duplicates included) counted once per listing');
    assert.equal(final.etaMs, null);
    assert.notEqual(final.finishedAt, null);
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    ledger.close();
  });
});
