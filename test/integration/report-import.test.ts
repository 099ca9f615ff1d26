// Batch detail-record reports against the simulator over real HTTP: a long range is imported
// from Telnyx's CSV reports (voice and messaging), the recent tail and anything a report could
// not cover from the pages, and the ledger ends exactly as the page path leaves it. Every
// failure mode hands the window back to the pages (nothing lost, never "completed" while a
// record is missing); cancel and resume work in every phase.
import { describe, it, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { IMPORT_STALE_MS } from '../../electron/core/ingest/importer.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { tempLedgerPath } from '../helpers/temp.ts';
import type { ImportProgress } from '../../shared/contract.ts';
import type { RecordType } from '../../shared/domain.ts';
import { runImport } from '../../electron/core/ingest/importer.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import type { TelnyxClient } from '../../electron/core/telnyx/index.ts';
import { BOOKKEEPING_TABLES, dumpTables, openTestLedger, type Dump } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';
import { ALL_TYPES, FAST_READ_RETRY, FULL_RANGE, assertLedgerMatchesTruth, importWith, ledgerClock } from '../helpers/ingest.ts';

const ACCOUNT = { seed: 'report-import', calls: 400, messages: 200, sipTrunkingRate: 0.3, webrtcRate: 0.15, stragglerRate: 0.03 };
const DAY = 86_400_000;
// The raw record is the CSV row on one path and the JSON row on the other; a history entry's
// surrogate id follows the order rows were written in (batches of 97 rows here, of 25 pages
// there): every other column must match, history rows compared by their content.
const COMPARE = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: ['detail_records.raw', 'cost_history.id'] };

function reportImport(o: {
  ledger: Ledger;
  client: TelnyxClient;
  clock?: ManualClock;
  from?: number;
  to?: number;
  types?: RecordType[];
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportProgress> {
  return runImport({
    ledger: o.ledger,
    source: clientRecordSource(o.client, 4, FAST_READ_RETRY, { minRangeMs: DAY, pollMs: 2, batchRows: 97, partRows: 31 }),
    clock: o.clock ?? ledgerClock(),
    from: o.from ?? FULL_RANGE.from,
    to: o.to ?? FULL_RANGE.to,
    recordTypes: o.types ?? ALL_TYPES,
    owner: 'test',
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
}

describe('import through batch detail-record reports', () => {
  let sim: RunningSimulator;
  let pageLedger: Dump;
  before(async () => {
    sim = await startTestSimulator(ACCOUNT);
    const ledger = openTestLedger();
    const p = await importWith({ ledger, client: testClient(sim) });
    assert.equal(p.status, 'completed');
    pageLedger = dumpTables(ledger.db, COMPARE);
    ledger.close();
  });
  beforeEach(() => {
    sim.reports.setBehaviour('voice', {});
    sim.reports.setBehaviour('messaging', {});
    sim.clearFaults();
  });

  it('imports voice and messaging from the reports: the same ledger as the pages, no key sent to the storage, no page of records read', async () => {
    const ledger = openTestLedger();
    const before = { ...sim.reports.stats };
    sim.resetStats();
    const phases = new Set<string>();
    const p = await reportImport({ ledger, client: testClient(sim), onProgress: (q) => q.reports?.forEach((r) => phases.add(r.phase)) });
    assert.equal(p.status, 'completed', p.error ?? '');
    assert.deepEqual(
      p.reports?.map((r) => [r.recordType, r.phase]),
      ALL_TYPES.map((t) => [t, 'done']),
    );
    for (const r of p.reports!)
      assert.ok(r.rows > 0 && r.bytes > 0 && r.bytes === r.totalBytes, `${r.recordType}: ${r.rows} rows, ${r.bytes} of ${r.totalBytes} bytes`);
    for (const phase of ['preparing', 'ingesting', 'done']) assert.ok(phases.has(phase), `progress showed ${phase}`);
    assert.equal(sim.reports.stats.created - before.created, 4, 'one report per record type');
    assert.equal(sim.reports.stats.downloads - before.downloads, 4);
    assert.equal(sim.reports.stats.downloadsWithAuthorization, 0, 'the API key never went to the storage origin');
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    assertSameLedger(dumpTables(ledger.db, COMPARE), pageLedger, 'report import vs page import');
    // The reports covered every record: the pages only looked at the (empty) recent tail.
    const recordRequests = sim.stats().byPath['/v2/detail_records'] ?? 0;
    assert.ok(recordRequests <= ALL_TYPES.length, `${recordRequests} detail_records requests`);
    // A record's raw is the CSV row as received (strings, empty cells absent).
    const raw = JSON.parse(ledger.db.prepare(`SELECT raw FROM detail_records WHERE record_type = 'call-control' LIMIT 1`).pluck().get() as string);
    assert.equal(typeof raw.call_sec, 'string');
    // Importing the same range again changes nothing.
    const again = await reportImport({ ledger, client: testClient(sim) });
    assert.equal(again.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, COMPARE), pageLedger, 'second report import');
    ledger.close();
  });

  it('pages the recent tail a report may miss, and ranges shorter than the setting', async () => {
    const ledger = openTestLedger();
    const range = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 12) };
    // "Now" is two hours into Jan 12: the reports stop at Jan 11 00:00 (now - 4 h, whole days).
    const p = await reportImport({ ledger, client: testClient(sim), clock: ledgerClock(Date.UTC(2026, 0, 12, 2)), ...range });
    assert.equal(p.status, 'completed', p.error ?? '');
    for (const r of p.reports!) assert.deepEqual(r.range, { from: range.from, to: Date.UTC(2026, 0, 11) });
    assertLedgerMatchesTruth(ledger, sim.account, range);
    const tail = ledger.db
      .prepare(`SELECT COUNT(*) FROM detail_records WHERE created_at >= ?`)
      .pluck()
      .get(Date.UTC(2026, 0, 11)) as number;
    assert.ok(tail > 0, 'the tail holds records, read from the pages');

    const short = openTestLedger();
    const q = await reportImport({ ledger: short, client: testClient(sim), from: Date.UTC(2026, 0, 5), to: Date.UTC(2026, 0, 5, 20) });
    assert.equal(q.status, 'completed');
    assert.equal(q.reports, undefined, 'a range under a day is paged');
    ledger.close();
    short.close();
  });

  for (const failure of ['failed', 'expired', 'url-403', 'truncated'] as const) {
    it(`a report that ends ${failure} hands its range to the pages: nothing lost, the note says why`, async () => {
      sim.reports.setBehaviour('voice', { failure });
      sim.reports.setBehaviour('messaging', { failure });
      const ledger = openTestLedger();
      const p = await reportImport({ ledger, client: testClient(sim) });
      assert.equal(p.status, 'completed', p.error ?? '');
      for (const r of p.reports!) {
        assert.equal(r.phase, 'fallback', `${r.recordType}`);
        assert.match(r.note ?? '', /read page by page/);
      }
      assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
      assertSameLedger(dumpTables(ledger.db, COMPARE), pageLedger, `after ${failure}`);
      ledger.close();
    });
  }

  it('a CSV without a column the ledger needs is not used: its range is paged', async () => {
    sim.reports.setBehaviour('messaging', { omitColumns: ['cost'] });
    const ledger = openTestLedger();
    const p = await reportImport({ ledger, client: testClient(sim), types: ['messaging'] });
    assert.equal(p.status, 'completed');
    assert.equal(p.reports![0]!.phase, 'fallback');
    assert.match(p.reports![0]!.note ?? '', /no cost column/);
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE, ['messaging']);
    ledger.close();
  });

  it('asks again once for a report that expired before it was downloaded', async () => {
    sim.reports.setBehaviour('messaging', { failure: 'expired', failureCount: 1 });
    const ledger = openTestLedger();
    const before = sim.reports.stats.created;
    const p = await reportImport({ ledger, client: testClient(sim), types: ['messaging'] });
    assert.equal(p.status, 'completed');
    assert.equal(p.reports![0]!.phase, 'done');
    assert.equal(sim.reports.stats.created - before, 2);
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE, ['messaging']);
    ledger.close();
  });

  it('a report row that cannot be read makes the import end with problems, and the next run reads that range by pages', async () => {
    const ledger = openTestLedger();
    sim.reports.setBehaviour('voice', { pendingPolls: 0 });
    const p = await reportImport({ ledger, client: testClient(sim), types: ['call-control'] });
    assert.equal(p.status, 'completed');
    // As if one CSV row had been unreadable (kept as a problem on "page 0"): the import ended
    // with problems, and the run that resumes it reads the report's window by pages.
    ledger.db.prepare(`INSERT INTO import_problems VALUES (?, 'call-control', 0, 1, 'test', '{}', 0)`).run(p.importId);
    ledger.db.prepare(`UPDATE imports SET status = 'completed_with_problems' WHERE id = ?`).run(p.importId);
    const again = await reportImport({ ledger, client: testClient(sim), types: ['call-control'] });
    assert.equal(again.importId, p.importId, 'the import is resumed');
    assert.equal(again.status, 'completed');
    assert.equal(again.rejected, 0);
    assert.equal(again.reports![0]!.phase, 'fallback');
    assert.ok(again.pagesDone > 1, 'the range was read page by page');
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE, ['call-control']);
    ledger.close();
  });

  it('an import begun page by page and resumed with reports on keeps paging the types it had begun', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    const ctl = new AbortController();
    const first = await importWith({ ledger, client, signal: ctl.signal, pagesPerCommit: 1, onProgress: (p) => p.pagesDone >= 3 && ctl.abort() });
    assert.equal(first.status, 'cancelled');
    const second = await reportImport({ ledger, client });
    assert.equal(second.importId, first.importId);
    assert.equal(second.status, 'completed', second.error ?? '');
    assert.ok(!second.reports?.some((r) => r.recordType === 'call-control'), 'call-control had pages: no report for it');
    // Types arrive in another order here (reports before the rest of call-control's pages), so
    // row ids differ from the page path's; what each call and message holds must not.
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    ledger.close();
  });

  for (const phase of ['requested', 'preparing', 'downloading', 'ingesting'] as const) {
    it(`cancelled while ${phase}, resumes where it stopped and ends with the page path's ledger`, async () => {
      const ledger = openTestLedger();
      const client = testClient(sim);
      const ctl = new AbortController();
      if (phase === 'requested') {
        // The request itself is slow: cancel lands before Telnyx has answered with an id.
        sim.setFaults({ kind: 'slow', path: '/v2/legacy/reporting/batch_detail_records/voice', delayMs: 300, count: 1 });
        setTimeout(() => ctl.abort(), 100);
      }
      sim.reports.setBehaviour('voice', { pendingPolls: 3 });
      const first = await reportImport({
        ledger,
        client,
        signal: ctl.signal,
        onProgress: (p) => {
          if (phase !== 'requested' && p.reports?.some((r) => r.phase === phase)) ctl.abort();
        },
      });
      assert.equal(first.status, 'cancelled');
      const stopped = first.reports?.find((r) => r.phase !== 'done');
      if (phase === 'requested') assert.equal(first.reports?.[0]?.phase, 'requested');
      else assert.equal(stopped?.phase, phase);
      const created = sim.reports.stats.created;
      const rowsBefore = first.reports?.reduce((s, r) => s + r.rows, 0) ?? 0;
      if (phase === 'ingesting') assert.ok(rowsBefore > 0, 'some rows were in when it stopped');

      const second = await reportImport({ ledger, client });
      assert.equal(second.importId, first.importId, 'the same import is resumed');
      assert.equal(second.status, 'completed', second.error ?? '');
      assert.ok(second.reports!.every((r) => r.phase === 'done'));
      if (phase !== 'requested') {
        // The remembered report is polled again, not asked for anew: only the types not yet requested are.
        const requestedBefore = first.reports!.filter((r) => r.phase !== 'requested').length;
        assert.equal(sim.reports.stats.created - created, ALL_TYPES.length - requestedBefore);
      }
      assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
      assertSameLedger(dumpTables(ledger.db, COMPARE), pageLedger, `resumed after ${phase}`);
      ledger.close();
    });
  }
});

describe('a report import killed with SIGKILL mid-CSV', () => {
  const CHILD = fileURLToPath(new URL('../helpers/import-child.ts', import.meta.url));
  const rowsIn = (file: string): number => {
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare(`SELECT COALESCE(SUM(rows_done), 0) FROM import_reports WHERE state = 'ingesting'`).pluck().get() as number) ?? 0;
      } finally {
        db.close();
      }
    } catch {
      return 0; // not there or not migrated yet
    }
  };

  it('resumes the same report, skipping the rows already in, and ends with every record', async () => {
    const sim = await startTestSimulator({ seed: 'report-kill', calls: 1500, messages: 300, sipTrunkingRate: 0.2 });
    // A slow storage, so the child is still reading the CSV when it is killed.
    sim.reports.setBehaviour('voice', { chunkDelayMs: 15 });
    const file = tempLedgerPath('report-killed.db');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, sim.baseUrl, sim.apiKey, file, String(FULL_RANGE.from), String(FULL_RANGE.to), ALL_TYPES.join(',')],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, IMPORT_CHILD_REPORTS: '1' } },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (let waited = 0; rowsIn(file) < 40; waited += 20) {
      assert.equal(child.exitCode, null, `the child ended before it could be killed: ${output}`);
      assert.ok(waited < 60_000, 'the child ingested no report rows within 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    assert.deepEqual(await exited, { code: null, signal: 'SIGKILL' });
    const createdAtKill = sim.reports.stats.created;
    sim.reports.setBehaviour('voice', {});

    const ledger = openTestLedger(file);
    const clock = new ManualClock(Date.now() + IMPORT_STALE_MS + 60_000);
    const resumed = await reportImport({ ledger, client: testClient(sim), clock });
    assert.equal(resumed.status, 'completed', resumed.error ?? '');
    assert.ok(resumed.reports!.every((r) => r.phase === 'done'));
    // Every report was asked for before the first CSV was read: each is polled again by its
    // remembered id, none is asked for anew.
    assert.equal(createdAtKill, ALL_TYPES.length);
    assert.equal(sim.reports.stats.created, createdAtKill, 'no report is asked for again');
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    ledger.close();
  });
});
