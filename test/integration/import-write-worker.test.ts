// The import with its chunks committed by the write worker (ingest/write-worker.ts: a
// worker thread with its own connection to the ledger file) against the same import
// committing on the main thread: over real HTTP from the simulator, the ledger is the same
// row for row (bookkeeping and spend alerts' firings included), cancel and resume work, progress only grows, and a
// worker that is gone fails the import with a clear error (nothing reported done) that a
// later import resumes. kill -9 during a worker's commit: ingest-crash.test.ts.
// The app's way of starting it (startImportWriter, the importer's startWriter): the worker
// once it has opened the ledger, closed when the run ends; where it cannot run (an in-memory
// ledger, a file it cannot open) the import commits on the main thread and the log says why.
// Through the runtime, the CLI and the desktop bundle: import-runtime-writer.test.ts,
// cli-main.test.ts, desktop-main.test.ts, packaging.test.ts.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportProgress } from '../../shared/contract.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { runImport } from '../../electron/core/ingest/importer.ts';
import { FETCHER, callsPricedAlone, seedWaitingJobs } from '../helpers/waiting-jobs.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { startImportWriter, startWriteWorker, type ChunkWriter } from '../../electron/core/ingest/write-worker.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import type { TelnyxClient } from '../../electron/core/telnyx/index.ts';
import { watchSpend } from '../../electron/core/alerts/api.ts';
import { alertStore } from '../../electron/core/alerts/store.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpTables, openTestLedger, type Dump } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';
import { ALL_TYPES, FAST_READ_RETRY, FULL_RANGE, assertLedgerMatchesTruth, importWith, ledgerClock } from '../helpers/ingest.ts';
import { memoryLog } from '../helpers/log.ts';
import { workerStoppedWhen } from '../helpers/write-worker.ts';

const SAME = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: WRITE_TIME_COLUMNS };
const rates = DEFAULT_SETTINGS.rates;

describe('import through the write worker', () => {
  let sim: RunningSimulator;
  let clean: Dump;
  before(async () => {
    sim = await startTestSimulator({
      seed: 'write-worker',
      calls: 1200,
      messages: 300,
      sipTrunkingRate: 0.3,
      webrtcRate: 0.1,
      stragglerRate: 0.03,
      duplicateRecordRate: 0.05,
    });
    const ledger = openTestLedger();
    await importWith({ ledger, client: testClient(sim), compare: comparisonEstimator(rates) });
    clean = dumpTables(ledger.db, SAME);
    ledger.close();
  });

  /** A later import on the main thread resumes the failed one and ends with the clean ledger. */
  async function resumesToClean(ledger: Ledger, client: TelnyxClient, failedId: number, label: string): Promise<void> {
    const resumed = await importWith({ ledger, client, compare: comparisonEstimator(rates) });
    assert.equal(resumed.importId, failedId, 'the failed import is resumed');
    assert.equal(resumed.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, label);
    ledger.close();
  }

  it('leaves the ledger the main-thread import leaves, every table row for row, over a ledger already holding part of the range', async () => {
    const mid = { from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 9) };
    const dumps = [];
    for (const how of ['main thread', 'worker'] as const) {
      const ledger = openTestLedger();
      const client = testClient(sim);
      const clock = ledgerClock();
      // Spend alerts evaluated in every chunk's transaction, on whichever thread writes it.
      ledger.tx(() => {
        alertStore(ledger.db).addRule({ kind: 'daily_spend', currency: 'USD', threshold: '0.05', enabled: true }, 400);
        alertStore(ledger.db).addRule({ kind: 'call_cost', currency: 'USD', threshold: '0.02', enabled: true }, 400);
      });
      let fired = 0;
      const stopWatching = watchSpend(
        ledger,
        () => clock.now(),
        () => fired++,
      );
      // Part of the range first (on the main thread): the full import then meets calls it
      // already has (the general path) as well as new ones (the fast path).
      await importWith({ ledger, client, clock, ...mid, compare: comparisonEstimator(rates) });
      const firedBefore = fired;
      if (how === 'worker') stopWatching();
      const writer =
        how === 'worker' ? startWriteWorker({ file: ledger.file, compareRates: rates, spendAlerts: true }, { onAlertsFired: () => fired++ }) : undefined;
      try {
        const progress: number[] = [];
        const p = await importWith({
          ledger,
          client,
          clock,
          pagesPerCommit: 3,
          compare: comparisonEstimator(rates),
          ...(writer ? { writer } : {}),
          onProgress: (x) => progress.push(x.pagesDone),
        });
        assert.equal(p.status, 'completed', how);
        assert.equal(p.pagesDone, p.pagesTotal, how);
        assert.ok(progress.length > 10, `${how}: ${progress.length} progress reports`);
        assert.deepEqual(
          progress,
          [...progress].sort((a, b) => a - b),
          `${how}: pages done only grow`,
        );
      } finally {
        await writer?.close();
        stopWatching();
      }
      // Let the last firing's notice (a message from the worker) arrive.
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(fired > firedBefore, `${how}: the import's own chunks fired alerts`);
      assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
      dumps.push(dumpTables(ledger.db, { excludeTables: ['schema_migrations'] }));
      ledger.close();
    }
    assertSameLedger(dumps[1]!, dumps[0]!, 'worker vs main thread');
    assert.ok(dumps[0]!.calls!.length > 1000 && dumps[0]!.detail_records!.length > 1200);
    assert.ok(dumps[0]!.import_pages!.length > 20);
    assert.ok(dumps[0]!.alert_firings!.length > 20, `${dumps[0]!.alert_firings!.length} alert firings compared`);
  });

  it('cancels while chunks are in flight: status cancelled, and a resume through the worker ends with the clean ledger', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    const controller = new AbortController();
    const writer = startWriteWorker({ file: ledger.file, compareRates: rates });
    let final: ImportProgress;
    sim.setFaults({ kind: 'slow', delayMs: 20 });
    try {
      final = await importWith({
        ledger,
        client,
        writer,
        pagesPerCommit: 1,
        compare: comparisonEstimator(rates),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.status === 'running' && p.pagesDone >= 3) controller.abort();
        },
      });
    } finally {
      sim.clearFaults();
    }
    assert.equal(final.status, 'cancelled');
    const row = ledger.imports.get(final.importId)!;
    assert.equal(row.status, 'cancelled');
    assert.ok(row.pages >= 3 && row.pages < 30, `${row.pages} pages done when cancelled`);
    // Every page marked done has its records: the marks and rows committed together.
    const marked = ledger.db.prepare('SELECT COALESCE(SUM(records), 0) FROM import_pages WHERE import_id = ?').pluck().get(final.importId);
    assert.equal(marked, row.records);

    const resumed = await importWith({ ledger, client, writer, compare: comparisonEstimator(rates) });
    await writer.close();
    assert.equal(resumed.importId, final.importId, 'the cancelled import is resumed');
    assert.equal(resumed.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'cancelled + resumed vs clean');
    ledger.close();
  });

  it('fails with a clear error when the worker is gone, reports nothing done it did not commit, and a later import resumes', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    const writer = startWriteWorker({ file: ledger.file, compareRates: rates });
    await writer.close();
    await assert.rejects(importWith({ ledger, client, writer, compare: comparisonEstimator(rates) }), /write worker stopped/);
    const failed = ledger.imports.recent(1)[0]!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /write worker stopped/);
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get(), 0);

    await resumesToClean(ledger, client, failed.id, 'failed + resumed vs clean');
  });

  it('a worker that stops mid-import fails it with a clear error, every page marked done has its records, and a later import resumes to the clean ledger', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    const { writer, onProgress } = await workerStoppedWhen(ledger.file, rates, (p) => p.status === 'running' && p.pagesDone >= 3);
    await assert.rejects(
      importWith({ ledger, client, writer, pagesPerCommit: 1, compare: comparisonEstimator(rates), onProgress }),
      /write worker stopped \(exit code \d+\); the pages and report rows it had not committed are read again when this range is imported again/,
    );
    const failed = ledger.imports.recent(1)[0]!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /write worker stopped/);
    assert.ok(failed.pages >= 3, `${failed.pages} pages committed before it stopped`);
    const marked = ledger.db.prepare('SELECT COALESCE(SUM(records), 0) FROM import_pages WHERE import_id = ?').pluck().get(failed.id);
    assert.equal(marked, failed.records);
    assert.ok((ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get() as number) < clean.detail_records!.length);

    await resumesToClean(ledger, client, failed.id, 'stopped mid-import + resumed vs clean');
  });

  it('a worker that cannot open the ledger fails the import with its own reason, not just that it stopped', async () => {
    const ledger = openTestLedger();
    // A folder, not a ledger file: the worker's openLedgerFile throws at start-up.
    const writer = startWriteWorker({ file: tempDir('cost-desk-not-a-ledger-') });
    // Once it has failed and exited (close waits for the exit), whatever the import asks of it.
    await writer.close();
    await assert.rejects(
      importWith({ ledger, client: testClient(sim), writer }),
      (err: Error) => !/write worker stopped/.test(err.message) && err.message.length > 0,
    );
    const failed = ledger.imports.recent(1)[0]!;
    assert.equal(failed.status, 'failed');
    assert.doesNotMatch(failed.error ?? '', /write worker stopped/);
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get(), 0);
    ledger.close();
  });

  /** The app's import (runtime.ts): the writer started by the run through startImportWriter. */
  async function appImport(ledger: Ledger, file: string, client: TelnyxClient) {
    const log = memoryLog();
    let writer: ChunkWriter | null = null;
    const final = await runImport({
      ledger,
      source: clientRecordSource(client, 4, FAST_READ_RETRY),
      clock: ledgerClock(),
      logger: log.logger,
      ...FULL_RANGE,
      recordTypes: ALL_TYPES,
      owner: 'test',
      compare: comparisonEstimator(rates),
      startWriter: async () => (writer = await startImportWriter({ file, compareRates: rates }, {}, log.logger)),
    });
    return { final, writer: writer as ChunkWriter | null, lines: log.lines };
  }

  it("settles the fetcher's jobs of the calls a chunk priced in the chunk's own transaction, on the worker as on the main thread; its own running job is left to it", async () => {
    const sample = openTestLedger();
    await importWith({ ledger: sample, client: testClient(sim), compare: comparisonEstimator(rates) });
    const calls = callsPricedAlone(sample);
    sample.close();
    for (const how of ['main thread', 'worker'] as const) {
      const ledger = openTestLedger();
      const clock = ledgerClock();
      const waiting = seedWaitingJobs(ledger, calls, clock);
      const writer = how === 'worker' ? startWriteWorker({ file: ledger.file, compareRates: rates }) : undefined;
      const final = await runImport({
        ledger,
        source: clientRecordSource(testClient(sim), 4, FAST_READ_RETRY),
        clock,
        ...FULL_RANGE,
        recordTypes: ALL_TYPES,
        owner: 'test',
        compare: comparisonEstimator(rates),
        jobsOwner: FETCHER,
        onCallsUpdated: waiting.onCallsUpdated,
        ...(writer ? { writer } : {}),
      });
      await writer?.close();
      assert.equal(final.status, 'completed', how);
      waiting.assertSettledByCommits(how);
      ledger.close();
    }
  });

  it("startImportWriter: the run's pages commit on the worker (the log says so), the ledger is the clean one, and the run closes it", async () => {
    const ledger = openTestLedger();
    const { final, writer, lines } = await appImport(ledger, ledger.file, testClient(sim));
    assert.equal(final.status, 'completed');
    assert.ok(writer, 'the worker started');
    const said = lines.filter((l) => l.writer !== undefined);
    assert.deepEqual(
      said.map((l) => [l.writer, l.importId]),
      [['write worker', final.importId]],
    );
    assert.equal(lines.filter((l) => l.level >= 40).length, 0, 'no warning');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'app import vs clean');
    // Closed with the run: the thread has exited, a write is refused.
    await assert.rejects(writer.write({ importId: final.importId, owner: 'test', recordType: 'messaging', pages: [], now: 0 }), /write worker stopped/);
    ledger.close();
  });

  for (const [what, fileOf, reason] of [
    ['an in-memory ledger', () => ':memory:', /in memory/],
    // A folder: the worker's openLedgerFile fails at start-up; the reason is SQLite's own (not "stopped").
    ['a file the worker cannot open', () => tempDir('cost-desk-not-a-ledger-'), /^(?!.*write worker stopped).+/],
  ] as const) {
    it(`startImportWriter falls back to main-thread commits for ${what}: one warning says why, the import completes with the clean ledger`, async () => {
      const file = fileOf();
      const ledger = openTestLedger(file === ':memory:' ? file : undefined);
      const { final, writer, lines } = await appImport(ledger, file, testClient(sim));
      assert.equal(final.status, 'completed');
      assert.equal(writer, null);
      const warnings = lines.filter((l) => l.level >= 40);
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0]!.msg, /write worker cannot run: this import commits on the main thread/);
      assert.match(String(warnings[0]!.reason), reason);
      assert.deepEqual(
        lines.filter((l) => l.writer !== undefined).map((l) => l.writer),
        ['main thread'],
      );
      assertSameLedger(dumpTables(ledger.db, SAME), clean, `${what}: main-thread fallback vs clean`);
      ledger.close();
    });
  }
});
