// kill -9 in the middle of an import: a child process imports into a ledger file and is
// SIGKILLed once some pages are committed. Resuming in-process must finish the same import
// (only the pages not yet done) and leave exactly the ledger an uninterrupted import leaves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { IMPORT_STALE_MS } from '../../electron/core/ingest/importer.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpTables, openTestLedger } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';
import { ALL_TYPES, FULL_RANGE, assertLedgerMatchesTruth, importWith } from '../helpers/ingest.ts';
import { tempLedgerPath } from '../helpers/temp.ts';

const CHILD = fileURLToPath(new URL('../helpers/import-child.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The latest import row, read through a read-only connection (the child holds the writer). */
function peekImport(file: string): { id: number; status: string; pages: number } | null {
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return (
      (db.prepare('SELECT id, status, pages FROM imports ORDER BY id DESC LIMIT 1').get() as { id: number; status: string; pages: number } | undefined) ?? null
    );
  } catch {
    return null; // not migrated yet
  } finally {
    db?.close();
  }
}

describe('import crash', () => {
  // 'write worker': the child's chunks commit on a worker thread (ingest/write-worker.ts).
  for (const writer of ['main thread', 'write worker'] as const)
    it(`resumes an import whose process was killed with SIGKILL and ends with the uninterrupted ledger (chunks committed by the ${writer})`, async () => {
      const sim = await startTestSimulator({ seed: 'crash', calls: 3000, messages: 800, sipTrunkingRate: 0.2 });
      // Every request a little slow and small commits, so the import is still running, with
      // pages committed, when we kill it.
      sim.setFaults({ kind: 'slow', delayMs: 40 });
      const file = tempLedgerPath('crashed.db');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CHILD, sim.baseUrl, sim.apiKey, file, String(FULL_RANGE.from), String(FULL_RANGE.to), ALL_TYPES.join(','), '5'],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(writer === 'write worker' ? { IMPORT_CHILD_WRITER: '1' } : {}) } },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );

      let seen: { id: number; status: string; pages: number } | null = null;
      for (let waited = 0; ; waited += 20) {
        seen = peekImport(file);
        if (seen && seen.pages >= 10) break;
        assert.equal(child.exitCode, null, `the child ended before it could be killed: ${output}`);
        assert.ok(waited < 30_000, 'the child committed no pages within 30 s');
        await sleep(20);
      }
      child.kill('SIGKILL');
      assert.deepEqual(await exited, { code: null, signal: 'SIGKILL' });
      const atKill = peekImport(file)!;
      assert.equal(atKill.status, 'running', 'the killed import never got to finish its row');
      sim.clearFaults();
      // Requests the child had in flight are still answered (to a dead socket) after their
      // delay; let them finish before counting what the resumed import asks for.
      await sleep(200);

      // Resume in this process. The dead owner's heartbeat is older than the staleness limit
      // on this clock, so the import is seen as interrupted and taken over.
      const ledger = openTestLedger(file);
      const clock = new ManualClock(Date.now() + IMPORT_STALE_MS + 60_000);
      sim.resetStats();
      const resumed = await importWith({ ledger, client: testClient(sim), clock });
      assert.equal(resumed.status, 'completed');
      assert.equal(resumed.importId, atKill.id, 'the interrupted import is resumed, not restarted');
      assert.equal(resumed.pagesDone, resumed.pagesTotal);
      // Only the pages not committed before the kill are fetched again (plus each type's page 1 for its meta).
      const fetched = sim.stats().byPath['/v2/detail_records'] ?? 0;
      assert.ok(fetched <= resumed.pagesTotal! - atKill.pages + ALL_TYPES.length, `fetched ${fetched} pages`);
      assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);

      const reference = openTestLedger();
      const clean = await importWith({ ledger: reference, client: testClient(sim), clock });
      assert.equal(clean.status, 'completed');
      const opts = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: WRITE_TIME_COLUMNS };
      assertSameLedger(dumpTables(ledger.db, opts), dumpTables(reference.db, opts), 'resumed vs uninterrupted import');
      assert.equal(resumed.records, clean.records);
      ledger.close();
      reference.close();
    });
});
