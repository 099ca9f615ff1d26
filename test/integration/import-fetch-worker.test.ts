// The import's pages read on the fetch worker (ingest/fetch-worker.ts: a worker thread with
// its own Telnyx client, its pages' records sealed in buffers moved to this thread and on to
// the write worker unopened) against the in-thread source, over real HTTP from the simulator:
// the same pages (unreadable rows, skipped pages and errors included), the same ledger, cancel
// and resume, a worker that dies mid-import (the import fails clearly and a later one resumes
// to the clean ledger), a worker that cannot start (the pages are read here, one warning),
// and requests relayed to the host's transport (the desktop's net.fetch).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportProgress } from '../../shared/contract.ts';
import type { RecordType } from '../../shared/domain.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { APP_FETCHER_LIMITS, startFetchWorker, workerRecordSource, type FetchWorker, type FetchWorkerInit } from '../../electron/core/ingest/fetch-worker.ts';
import type { RecordPage, RecordPageSource } from '../../electron/core/ingest/importer.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { startWriteWorker, type ChunkWriter } from '../../electron/core/ingest/write-worker.ts';
import { runImport } from '../../electron/core/ingest/importer.ts';
import { reportViews } from '../../electron/core/ingest/report-import/index.ts';
import { isTelnyxError } from '../../electron/core/telnyx/index.ts';
import { undiciTransport, type TransportFactory } from '../../electron/core/telnyx/transport.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpTables, openTestLedger, type Dump } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';
import { ALL_TYPES, FAST_READ_RETRY, FULL_RANGE, importWith, ledgerClock } from '../helpers/ingest.ts';
import { memoryLog } from '../helpers/log.ts';
import { threadsOfThisProcess } from '../helpers/proc-threads.ts';

const SAME = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: WRITE_TIME_COLUMNS };
const rates = DEFAULT_SETTINGS.rates;

describe('import pages read on the fetch worker', () => {
  let sim: RunningSimulator;
  let clean: Dump;
  const init = (o: Partial<FetchWorkerInit> = {}): FetchWorkerInit => ({
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    concurrency: 4,
    retry: FAST_READ_RETRY,
    ...o,
  });
  /** The fetch worker's source as the app builds it (runtime.ts importSource); `onWorker` sees the worker once started. */
  const workerSource = (o: { init?: Partial<FetchWorkerInit>; onWorker?: (w: FetchWorker) => void; logger?: ReturnType<typeof memoryLog>['logger'] } = {}) =>
    workerRecordSource(
      () => startFetchWorker(init(o.init), { logger: o.logger }),
      clientRecordSource(testClient(sim), 4, FAST_READ_RETRY),
      o.logger,
      o.onWorker,
    );
  /** workerSource, and whether its worker started (not the in-thread fallback). */
  const watchedSource = () => {
    const seen = { started: 0 };
    return { seen, source: workerSource({ onWorker: () => seen.started++ }) };
  };

  before(async () => {
    sim = await startTestSimulator({ seed: 'fetch-worker', calls: 900, messages: 250, sipTrunkingRate: 0.3, webrtcRate: 0.1, duplicateRecordRate: 0.05 });
    const ledger = openTestLedger();
    await importWith({ ledger, client: testClient(sim), compare: comparisonEstimator(rates) });
    clean = dumpTables(ledger.db, SAME);
    ledger.close();
  });

  async function walk(source: RecordPageSource, recordType: RecordType, skipPages: number[] = []): Promise<RecordPage[]> {
    const pages: RecordPage[] = [];
    const signal = new AbortController().signal;
    for await (const p of source.pages({ recordType, ...FULL_RANGE, skipPages: new Set(skipPages), signal })) pages.push(p);
    return pages;
  }

  /** A page as plain data (a sealed page's records opened), to compare. */
  const plain = (p: RecordPage) => ({ ...p, voice: p.voice, messages: p.messages });

  it('yields the pages the in-thread source yields: records, raw rows, totals, unreadable rows kept as problems, skipped pages', async () => {
    for (const recordType of ['call-control', 'messaging'] as const) {
      const walks: RecordPage[][] = [];
      const worker = watchedSource();
      for (const source of [clientRecordSource(testClient(sim), 4, FAST_READ_RETRY), worker.source]) {
        // Page 1 unreadable on every attempt: its rows become problems, the same on both.
        sim.setFaults([{ kind: 'renamed', count: FAST_READ_RETRY.attempts, path: '/v2/detail_records' }]);
        try {
          walks.push(await walk(source, recordType, [3]));
        } finally {
          sim.clearFaults();
        }
      }
      const [here, there] = walks as [RecordPage[], RecordPage[]];
      assert.ok(here.length > 3, `${recordType}: ${here.length} pages`);
      assert.ok(here[0]!.problems!.length > 0 && here[0]!.attempts === FAST_READ_RETRY.attempts, 'page 1 read with problems');
      assert.ok(!here.some((p) => p.page === 3), 'page 3 skipped');
      assert.deepEqual(there.map(plain), here.map(plain), recordType);
      assert.equal(worker.seen.started, 1, 'read on the worker');
    }
  });

  it(
    "runs below the app's priority where threads have their own (Linux): its thread alone at APP_FETCHER_LIMITS.nice, and reads the same pages",
    { skip: process.platform !== 'linux' && 'per-thread nice values are Linux’s' },
    async (t) => {
      const base = threadsOfThisProcess().find((th) => th.tid === process.pid)!.nice; // the main thread's id is the process's
      if (base >= APP_FETCHER_LIMITS.nice) return t.skip(`this process already runs at nice ${base}: nothing to lower`);
      const lowered = new Set<number>();
      const others = new Set<number>();
      const pages: RecordPage[] = [];
      const signal = new AbortController().signal;
      const source = workerSource({ init: APP_FETCHER_LIMITS });
      for await (const p of source.pages({ recordType: 'call-control', ...FULL_RANGE, skipPages: new Set(), signal })) {
        pages.push(p);
        for (const th of threadsOfThisProcess()) (th.nice === APP_FETCHER_LIMITS.nice ? lowered : th.nice === base ? null : others)?.add(th.tid);
      }
      assert.equal(lowered.size, 1, 'one thread lowered while the pages were read: the fetch worker');
      assert.equal(others.size, 0, 'no other thread changed');
      assert.ok(!lowered.has(process.pid));
      assert.deepEqual(pages.map(plain), (await walk(clientRecordSource(testClient(sim), 4, FAST_READ_RETRY), 'call-control')).map(plain));
    },
  );

  it("an API error reaches the import as the client's own error (its kind kept)", async () => {
    sim.setFaults([{ kind: '401', count: 1, path: '/v2/detail_records' }]);
    try {
      await assert.rejects(walk(workerSource(), 'call-control'), (err: unknown) => isTelnyxError(err, 'auth'));
    } finally {
      sim.clearFaults();
    }
  });

  it('the import with its pages read on the fetch worker and committed on the write worker leaves the clean ledger', async () => {
    const ledger = openTestLedger();
    const writer = startWriteWorker({ file: ledger.file, compareRates: rates });
    const worker = watchedSource();
    try {
      const p = await importWith({ ledger, client: testClient(sim), source: worker.source, writer, compare: comparisonEstimator(rates) });
      assert.equal(p.status, 'completed');
      // One worker for the import's four record types.
      assert.equal(worker.seen.started, 1);
    } finally {
      await writer.close();
    }
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'fetch worker + write worker vs clean');
    ledger.close();
  });

  it('commits on the main thread too (no write worker: the sealed pages are opened here)', async () => {
    const ledger = openTestLedger();
    const p = await importWith({ ledger, client: testClient(sim), source: workerSource(), pagesPerCommit: 3, compare: comparisonEstimator(rates) });
    assert.equal(p.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'fetch worker, main-thread commits vs clean');
    ledger.close();
  });

  it('cancels mid-import (status cancelled), and a resume through the worker ends with the clean ledger', async () => {
    const ledger = openTestLedger();
    const controller = new AbortController();
    sim.setFaults({ kind: 'slow', delayMs: 20 });
    let final: ImportProgress;
    try {
      final = await importWith({
        ledger,
        client: testClient(sim),
        source: workerSource(),
        pagesPerCommit: 1,
        signal: controller.signal,
        compare: comparisonEstimator(rates),
        onProgress: (p) => {
          if (p.status === 'running' && p.pagesDone >= 3) controller.abort();
        },
      });
    } finally {
      sim.clearFaults();
    }
    assert.equal(final.status, 'cancelled');
    const resumed = await importWith({ ledger, client: testClient(sim), source: workerSource(), compare: comparisonEstimator(rates) });
    assert.equal(resumed.importId, final.importId, 'the cancelled import is resumed');
    assert.equal(resumed.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'cancelled + resumed vs clean');
    ledger.close();
  });

  it('a fetch worker that dies mid-import fails it with a clear error, every page marked done has its records, and a later import resumes to the clean ledger', async () => {
    const ledger = openTestLedger();
    let worker: FetchWorker | undefined;
    let killed = false;
    await assert.rejects(
      importWith({
        ledger,
        client: testClient(sim),
        source: workerSource({ onWorker: (w) => (worker = w) }),
        pagesPerCommit: 1,
        compare: comparisonEstimator(rates),
        onProgress: (p) => {
          if (killed || p.status !== 'running' || p.pagesDone < 3) return;
          killed = true;
          void worker!.terminate();
        },
      }),
      /fetch worker stopped \(exit code \d+\); the pages and report rows not yet committed are read again when this range is imported again/,
    );
    const failed = ledger.imports.recent(1)[0]!;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /fetch worker stopped/);
    assert.ok(failed.pages >= 3, `${failed.pages} pages committed before it died`);
    const marked = ledger.db.prepare('SELECT COALESCE(SUM(records), 0) FROM import_pages WHERE import_id = ?').pluck().get(failed.id);
    assert.equal(marked, failed.records);
    assert.ok((ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get() as number) < clean.detail_records!.length);

    const resumed = await importWith({ ledger, client: testClient(sim), source: workerSource(), compare: comparisonEstimator(rates) });
    assert.equal(resumed.importId, failed.id, 'the failed import is resumed');
    assert.equal(resumed.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'fetch worker died + resumed vs clean');
    ledger.close();
  });

  it('a fetch worker that cannot start: the pages are read on this thread, one warning says why, the ledger is the clean one', async () => {
    const ledger = openTestLedger();
    const log = memoryLog();
    // A base URL the worker's client refuses at start-up (the in-thread client is the test's own).
    const p = await importWith({
      ledger,
      client: testClient(sim),
      source: workerSource({ init: { baseUrl: 'ftp://nowhere' }, logger: log.logger }),
      compare: comparisonEstimator(rates),
    });
    assert.equal(p.status, 'completed');
    const warnings = log.lines.filter((l) => l.level >= 40);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]!.msg, /fetch worker cannot run: this import reads its pages on the main thread/);
    assert.doesNotMatch(JSON.stringify(log.lines), new RegExp(sim.apiKey), 'the key is never logged');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 'fallback vs clean');
    ledger.close();
  });

  describe("a batch report's CSV downloaded and read on the worker", () => {
    const REPORTS = { minRangeMs: 86_400_000, pollMs: 2, batchRows: 97 };
    const reportSource = (seen: { started: number }) =>
      workerRecordSource(
        () => startFetchWorker(init(), {}),
        clientRecordSource(testClient(sim), 4, FAST_READ_RETRY, REPORTS),
        undefined,
        () => seen.started++,
      );
    const reportImport = (
      ledger: ReturnType<typeof openTestLedger>,
      source: RecordPageSource,
      o: { writer?: ChunkWriter; onProgress?: (p: ImportProgress) => void } = {},
    ) => runImport({ ledger, source, clock: ledgerClock(), ...FULL_RANGE, recordTypes: ALL_TYPES, owner: 'test', compare: comparisonEstimator(rates), ...o });
    let cleanReport: Dump;
    before(async () => {
      const ledger = openTestLedger();
      const final = await reportImport(ledger, clientRecordSource(testClient(sim), 4, FAST_READ_RETRY, REPORTS));
      assert.ok(final.reports!.every((r) => r.phase === 'done'));
      cleanReport = dumpTables(ledger.db, SAME);
      ledger.close();
    });

    it('leaves the clean ledger (reports done, rows committed on the write worker), as the in-thread report import does', async () => {
      const ledger = openTestLedger();
      const writer = startWriteWorker({ file: ledger.file, compareRates: rates });
      const seen = { started: 0 };
      let final: ImportProgress;
      try {
        final = await reportImport(ledger, reportSource(seen), { writer });
      } finally {
        await writer.close();
      }
      assert.equal(final.status, 'completed');
      assert.ok(final.reports!.length > 0 && final.reports!.every((r) => r.phase === 'done'), JSON.stringify(final.reports));
      assert.ok(seen.started >= 1, 'read on the worker');
      assertSameLedger(dumpTables(ledger.db, SAME), cleanReport, 'report on the fetch worker vs in-thread');
      ledger.close();
    });

    it('a fetch worker that dies during the download fails the import clearly (no fallback to pages), and a later import resumes to the clean ledger', async () => {
      const ledger = openTestLedger();
      let worker: FetchWorker | undefined;
      let killed = false;
      const source = workerRecordSource(
        () => startFetchWorker(init(), {}),
        clientRecordSource(testClient(sim), 4, FAST_READ_RETRY, REPORTS),
        undefined,
        (w) => (worker = w),
      );
      await assert.rejects(
        reportImport(ledger, source, {
          onProgress: (p) => {
            if (killed || !p.reports?.some((r) => r.rows > 0)) return;
            killed = true;
            void worker!.terminate();
          },
        }),
        /fetch worker stopped/,
      );
      const failed = ledger.imports.recent(1)[0]!;
      assert.equal(failed.status, 'failed');
      assert.ok(killed);
      assert.ok(!JSON.stringify(reportViews(ledger, failed.id)).includes('fallback'), 'not handed to the pages');
      const resumed = await reportImport(ledger, reportSource({ started: 0 }));
      assert.equal(resumed.importId, failed.id);
      assert.equal(resumed.status, 'completed');
      assertSameLedger(dumpTables(ledger.db, SAME), cleanReport, 'report, worker died + resumed vs in-thread');
      ledger.close();
    });
  });

  it("relays the worker's requests to the host's transport (the desktop's net.fetch), with the same pages", async () => {
    const paths: string[] = [];
    const undici = undiciTransport({});
    const counting: TransportFactory = (origin, o) => {
      const t = undici(origin, o);
      return { ...t, request: (r) => (paths.push(r.path), t.request(r)) };
    };
    const source = workerRecordSource(() => startFetchWorker(init(), { transport: counting }), clientRecordSource(testClient(sim), 4, FAST_READ_RETRY));
    const [here, there] = [await walk(clientRecordSource(testClient(sim), 4, FAST_READ_RETRY), 'messaging'), await walk(source, 'messaging')];
    assert.deepEqual(there.map(plain), here.map(plain));
    assert.equal(paths.filter((p) => p.includes('/detail_records')).length, here.length, 'every page through the host transport');
  });
});
