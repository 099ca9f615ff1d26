// A batch report's row batches committed by the write worker (ingest/write-worker.ts,
// chunk-commit.ts commitReportBatch) against the same report import committing on the main
// thread: over real HTTP from the simulator, the ledger is the same row for row (bookkeeping
// and spend alerts' firings included) with at most two batches in flight; a worker that stops
// during a report's ingest fails the import with the writer's error (not a fallback to the
// pages) and a later import resumes to the clean ledger; a cancel with batches in flight
// leaves nothing to commit after the import returned.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportProgress } from '../../shared/contract.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { runImport } from '../../electron/core/ingest/importer.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { startWriteWorker, type ChunkWriter } from '../../electron/core/ingest/write-worker.ts';
import { watchSpend } from '../../electron/core/alerts/api.ts';
import { alertStore } from '../../electron/core/alerts/store.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import type { ManualClock } from '../../electron/core/util/clock.ts';
import { BOOKKEEPING_TABLES, dumpTables, openTestLedger, type Dump } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';
import { ALL_TYPES, FAST_READ_RETRY, FULL_RANGE, assertLedgerMatchesTruth, ledgerClock } from '../helpers/ingest.ts';
import { workerStoppedWhen } from '../helpers/write-worker.ts';
import { FETCHER, callsPricedAlone, seedWaitingJobs, type WaitingCall } from '../helpers/waiting-jobs.ts';

const DAY = 86_400_000;
const rates = DEFAULT_SETTINGS.rates;
const SAME = { excludeTables: BOOKKEEPING_TABLES };

describe("batch reports' rows through the write worker", () => {
  let sim: RunningSimulator;
  let clean: Dump;
  let pricedAlone: WaitingCall[];

  function reportImport(o: {
    ledger: Ledger;
    clock?: ManualClock;
    writer?: ChunkWriter;
    signal?: AbortSignal;
    onProgress?: (p: ImportProgress) => void;
    onCallsUpdated?: (ids: number[], settledJobs: number) => void;
    jobsOwner?: string;
  }): Promise<ImportProgress> {
    return runImport({
      ledger: o.ledger,
      source: clientRecordSource(testClient(sim), 4, FAST_READ_RETRY, { minRangeMs: DAY, pollMs: 2, batchRows: 60, partRows: 31 }),
      clock: o.clock ?? ledgerClock(),
      ...FULL_RANGE,
      recordTypes: ALL_TYPES,
      owner: 'test',
      compare: comparisonEstimator(rates),
      ...(o.writer ? { writer: o.writer } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.onCallsUpdated ? { onCallsUpdated: o.onCallsUpdated } : {}),
      ...(o.jobsOwner ? { jobsOwner: o.jobsOwner } : {}),
    });
  }

  /** The worker, counting the report batches sent and not yet answered (and the most at once). */
  function countingWriter(real: ChunkWriter, onSent?: (sent: number) => void) {
    const count = { sent: 0, parts: 0, rows: 0, open: 0, most: 0 };
    const writer: ChunkWriter = {
      ready: real.ready,
      write: (job) => real.write(job),
      writeReportBatch(job) {
        count.sent++;
        count.parts += job.parts.length;
        count.rows += job.parts.reduce((n, p) => n + p.rows, 0);
        count.most = Math.max(count.most, ++count.open);
        const answer = real.writeReportBatch(job);
        void answer.then(
          () => count.open--,
          () => count.open--,
        );
        onSent?.(count.sent);
        return answer;
      },
      close: () => real.close(),
    };
    return { writer, count };
  }

  before(async () => {
    sim = await startTestSimulator({ seed: 'report-worker', calls: 500, messages: 200, sipTrunkingRate: 0.3, webrtcRate: 0.15, stragglerRate: 0.03 });
    const ledger = openTestLedger();
    const p = await reportImport({ ledger });
    assert.equal(p.status, 'completed', p.error ?? '');
    clean = dumpTables(ledger.db, SAME);
    pricedAlone = callsPricedAlone(ledger);
    ledger.close();
  });

  it("settles the fetcher's jobs of the calls a batch of report rows priced in the batch's own transaction, on the worker as on the main thread; its own running job is left to it", async () => {
    for (const how of ['main thread', 'worker'] as const) {
      const ledger = openTestLedger();
      const clock = ledgerClock();
      const waiting = seedWaitingJobs(ledger, pricedAlone, clock);
      const writer = how === 'worker' ? startWriteWorker({ file: ledger.file, compareRates: rates }) : undefined;
      try {
        const p = await reportImport({ ledger, clock, jobsOwner: FETCHER, onCallsUpdated: waiting.onCallsUpdated, ...(writer ? { writer } : {}) });
        assert.equal(p.status, 'completed', `${how}: ${p.error ?? ''}`);
        assert.ok(
          (p.reports ?? []).every((r) => r.phase === 'done'),
          'the calls came through the reports',
        );
      } finally {
        await writer?.close();
      }
      waiting.assertSettledByCommits(how);
      ledger.close();
    }
  });

  it('leaves the ledger the main-thread report import leaves, every table row for row, with at most two batches in flight', async () => {
    const dumps: Dump[] = [];
    const updated: number[][] = [];
    for (const how of ['main thread', 'worker'] as const) {
      const ledger = openTestLedger();
      const clock = ledgerClock();
      ledger.tx(() => {
        alertStore(ledger.db).addRule({ kind: 'daily_spend', currency: 'USD', threshold: '0.05', enabled: true }, 400);
        alertStore(ledger.db).addRule({ kind: 'call_cost', currency: 'USD', threshold: '0.02', enabled: true }, 400);
      });
      // Alerts are evaluated in each batch's transaction on whichever thread writes it.
      let fired = 0;
      const stopWatching =
        how === 'main thread'
          ? watchSpend(
              ledger,
              () => clock.now(),
              () => fired++,
            )
          : () => undefined;
      const real = how === 'worker' ? startWriteWorker({ file: ledger.file, compareRates: rates, spendAlerts: true }, { onAlertsFired: () => fired++ }) : null;
      const counted = real ? countingWriter(real) : null;
      const rows: number[] = [];
      const ids: number[] = [];
      try {
        const p = await reportImport({
          ledger,
          clock,
          ...(counted ? { writer: counted.writer } : {}),
          onCallsUpdated: (x) => ids.push(...x),
          onProgress: (q) => rows.push((q.reports ?? []).reduce((s, r) => s + r.rows, 0)),
        });
        assert.equal(p.status, 'completed', `${how}: ${p.error ?? ''}`);
        assert.deepEqual(
          p.reports?.map((r) => [r.recordType, r.phase, r.bytes === r.totalBytes]),
          ALL_TYPES.map((t) => [t, 'done', true]),
        );
        assert.deepEqual(
          rows,
          [...rows].sort((a, b) => a - b),
          `${how}: report rows done only grow`,
        );
      } finally {
        await real?.close();
        stopWatching();
      }
      if (counted) {
        assert.ok(counted.count.sent > 10, `${counted.count.sent} report batches sent to the worker`);
        // A transaction is several of the reader's parts (partRows 31 < batchRows 60; a report's last may be one).
        assert.ok(counted.count.parts > counted.count.sent, `${counted.count.parts} parts in ${counted.count.sent} batches`);
        assert.ok(counted.count.most <= 2, `${counted.count.most} report batches in flight at once`);
        assert.equal(counted.count.open, 0, 'every batch answered');
      }
      // Let the last firing's notice (a message from the worker) arrive.
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(fired > 0, `${how}: the report's batches fired alerts`);
      assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
      updated.push([...new Set(ids)].sort((a, b) => a - b));
      // Every table, bookkeeping included, but the id the simulator gave each report (a counter).
      dumps.push(dumpTables(ledger.db, { excludeTables: ['schema_migrations'], excludeColumns: ['import_reports.report_id'] }));
      ledger.close();
    }
    assertSameLedger(dumps[1]!, dumps[0]!, 'worker vs main thread');
    assert.deepEqual(updated[1], updated[0], 'the same calls reported updated');
    assert.ok(dumps[0]!.detail_records!.length > 500 && dumps[0]!.alert_firings!.length > 10);
    assert.equal(dumps[0]!.import_reports!.length, ALL_TYPES.length);
  });

  it("a worker that stops during a report's ingest fails the import with its error, no fallback to the pages, and a later import resumes to the clean ledger", async () => {
    const ledger = openTestLedger();
    const { writer, onProgress } = await workerStoppedWhen(ledger.file, rates, (p) => !!p.reports?.some((r) => r.phase === 'ingesting' && r.rows > 0));
    await assert.rejects(reportImport({ ledger, writer, onProgress }), /write worker stopped \(exit code \d+\)/);
    const failed = ledger.imports.recent(1)[0]!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /write worker stopped/);
    const states = ledger.db.prepare('SELECT state, note FROM import_reports WHERE import_id = ?').all(failed.id) as { state: string; note: string | null }[];
    assert.ok(
      states.every((s) => s.state !== 'fallback'),
      JSON.stringify(states),
    );
    assert.ok(states.some((s) => s.state === 'ingesting'));
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM import_pages WHERE import_id = ?').pluck().get(failed.id), 0, 'no page read');
    const records = ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get() as number;
    assert.ok(records > 0 && records < clean.detail_records!.length, `${records} records committed before it stopped`);

    const resumed = await reportImport({ ledger });
    assert.equal(resumed.importId, failed.id, 'the failed import is resumed');
    assert.equal(resumed.status, 'completed', resumed.error ?? '');
    assert.ok(
      resumed.reports?.every((r) => r.phase === 'done'),
      JSON.stringify(resumed.reports),
    );
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'stopped during a report + resumed vs clean');
    ledger.close();
  });

  it('cancels with batches in flight: nothing commits after the import returned, and a resume through the worker ends with the clean ledger', async () => {
    const ledger = openTestLedger();
    const controller = new AbortController();
    const real = startWriteWorker({ file: ledger.file, compareRates: rates });
    // Cancelled just after a batch was sent: it is in flight when the phase learns of it.
    const { writer, count } = countingWriter(real, (sent) => {
      if (sent === 3) controller.abort();
    });
    const final = await reportImport({ ledger, writer, signal: controller.signal });
    assert.equal(final.status, 'cancelled');
    assert.equal(count.open, 0, 'every batch sent was answered before the import returned');
    const atReturn = dumpTables(ledger.db, { excludeTables: ['schema_migrations'] });
    // Whatever the worker still had would commit before it closes: nothing may.
    await real.close();
    assertSameLedger(dumpTables(ledger.db, { excludeTables: ['schema_migrations'] }), atReturn, 'after the worker closed vs at the return');
    const states = ledger.db.prepare('SELECT state FROM import_reports WHERE import_id = ?').pluck().all(final.importId) as string[];
    assert.ok(!states.includes('fallback'), JSON.stringify(states));
    const rowsDone = ledger.db.prepare('SELECT SUM(rows_done) FROM import_reports WHERE import_id = ?').pluck().get(final.importId);
    assert.equal(rowsDone, count.rows, 'every batch sent committed and counted, no other');
    assert.ok(count.sent >= 3 && count.rows < clean.detail_records!.length, `${count.sent} batches sent`);

    const again = startWriteWorker({ file: ledger.file, compareRates: rates });
    try {
      const resumed = await reportImport({ ledger, writer: again });
      assert.equal(resumed.importId, final.importId, 'the cancelled import is resumed');
      assert.equal(resumed.status, 'completed', resumed.error ?? '');
    } finally {
      await again.close();
    }
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'cancelled + resumed vs clean');
    ledger.close();
  });
});
