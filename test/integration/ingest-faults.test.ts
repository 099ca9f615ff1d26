// Every fault the simulator can inject, during a date-range import over HTTP. Transient
// faults are retried and the import ends with exactly the ledger of a clean run; a rejected
// key stops the import with a typed error and stores nothing more; after the fault is
// cleared, a re-run completes to the clean ledger.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { FaultRule, RunningSimulator } from '../../electron/core/simulator/index.ts';
import { TelnyxError } from '../../electron/core/telnyx/index.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpTables, openTestLedger, type Dump } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';
import { FULL_RANGE, assertLedgerMatchesTruth, importWith } from '../helpers/ingest.ts';

const SAME = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: WRITE_TIME_COLUMNS };
/** Messages imported first: history rows are the same set in another order. */
const SAME_SET = { excludeTables: BOOKKEEPING_TABLES, excludeColumns: [...WRITE_TIME_COLUMNS, 'cost_history.id'] };

describe('import under faults', () => {
  let sim: RunningSimulator;
  let clean: Dump;
  let cleanSet: Dump;
  before(async () => {
    sim = await startTestSimulator({ seed: 'faults', calls: 400, messages: 200, sipTrunkingRate: 0.3, webrtcRate: 0.1 });
    const ledger = openTestLedger();
    const p = await importWith({ ledger, client: testClient(sim) });
    assert.equal(p.status, 'completed');
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    clean = dumpTables(ledger.db, SAME);
    cleanSet = dumpTables(ledger.db, SAME_SET);
    ledger.close();
  });

  const retryable: Array<{ name: string; rules: FaultRule[]; client?: Parameters<typeof testClient>[1] }> = [
    { name: '429 with x-ratelimit-* and Retry-After headers', rules: [{ kind: '429', count: 1, retryAfterSec: 1 }] },
    { name: '500', rules: [{ kind: 500, count: 3 }] },
    { name: '503', rules: [{ kind: '503', count: 3 }] },
    { name: 'slow answers', rules: [{ kind: 'slow', count: 4, delayMs: 150 }] },
    { name: 'slow beyond the timeout', rules: [{ kind: 'slow', count: 2, delayMs: 1500 }], client: { timeoutMs: 250 } },
    { name: 'socket dropped before the headers', rules: [{ kind: 'drop', count: 2 }] },
    { name: 'socket dropped mid-body', rules: [{ kind: 'drop', count: 2, when: 'mid-body' }] },
    { name: 'truncated JSON', rules: [{ kind: 'truncated', count: 2 }] },
    { name: 'malformed envelope', rules: [{ kind: 'malformed', count: 2 }] },
    {
      name: 'a mix, at random',
      rules: [
        { kind: '500', probability: 0.05, seed: 1 },
        { kind: 'drop', probability: 0.05, seed: 2 },
        { kind: 'truncated', probability: 0.05, seed: 3 },
      ],
    },
  ];
  for (const f of retryable) {
    it(`retries ${f.name} and ends with the clean ledger`, async () => {
      const ledger = openTestLedger();
      sim.resetStats();
      sim.setFaults(f.rules);
      try {
        const p = await importWith({ ledger, client: testClient(sim, f.client) });
        assert.equal(p.status, 'completed');
        assert.equal(p.rejected, 0);
      } finally {
        sim.clearFaults();
      }
      const fired = Object.values(sim.stats().faults).reduce((s, n) => s + n, 0);
      const counted = f.rules.reduce((s, r) => s + (r.count ?? 0), 0);
      if (counted > 0) assert.equal(fired, counted, 'every fault fired');
      assertSameLedger(dumpTables(ledger.db, SAME), clean, f.name);
      ledger.close();
    });
  }

  for (const kind of ['401', '403'] as const) {
    it(`stops on ${kind} with an auth error, keeps only committed pages, and a re-run completes`, async () => {
      const ledger = openTestLedger();
      const client = testClient(sim);
      // Some pages are committed first; then the key stops working.
      await importWith({ ledger, client, types: ['messaging'] });
      const before = dumpTables(ledger.db, { excludeTables: BOOKKEEPING_TABLES });
      sim.resetStats();
      sim.setFaults({ kind });
      let error: unknown;
      try {
        await importWith({ ledger, client });
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof TelnyxError, `a TelnyxError, got ${String(error)}`);
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, Number(kind));
      assert.equal(error.retryable, false);
      assert.match(error.message, kind === '401' ? /rejected the API key/ : /refused the request with this API key/);
      assert.doesNotMatch(error.message, new RegExp(sim.apiKey));
      // Not retried: one request per page in flight at most, never a retry loop.
      assert.ok((sim.stats().faults[kind] ?? 0) <= 5, `${sim.stats().faults[kind]} requests`);
      const row = ledger.imports.recent(1)[0]!;
      assert.equal(row.status, 'failed');
      assert.equal(row.error, error.message);
      assertSameLedger(dumpTables(ledger.db, { excludeTables: BOOKKEEPING_TABLES }), before, `nothing stored after ${kind}`);

      sim.clearFaults();
      const again = await importWith({ ledger, client });
      assert.equal(again.status, 'completed');
      assert.equal(again.importId, row.id, 'the failed import is resumed');
      assertSameLedger(dumpTables(ledger.db, SAME_SET), cleanSet, `re-run after ${kind}`);
      ledger.close();
    });
  }

  it('an auth error in the middle of an import keeps the committed pages and resumes from there', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    let commits = 0;
    await assert.rejects(
      importWith({
        ledger,
        client,
        pagesPerCommit: 1,
        onProgress: (p) => {
          // After the third committed page the key is revoked.
          if (p.status === 'running' && ++commits === 3) sim.setFaults({ kind: '401' });
        },
      }),
      (err: unknown) => err instanceof TelnyxError && err.kind === 'auth',
    );
    sim.clearFaults();
    const row = ledger.imports.recent(1)[0]!;
    assert.equal(row.status, 'failed');
    assert.ok(row.pages >= 3);
    // Exactly what the committed pages held is in the ledger, nothing of the pages after.
    const pageRecords = ledger.db.prepare('SELECT SUM(records) FROM import_pages WHERE import_id = ?').pluck().get(row.id) as number;
    assert.equal(row.records, pageRecords);
    const stored = ledger.records.count();
    assert.ok(stored > 0 && stored <= pageRecords, `${stored} stored for ${pageRecords} committed rows`);
    const again = await importWith({ ledger, client });
    assert.equal(again.importId, row.id);
    assert.equal(again.status, 'completed');
    assertSameLedger(dumpTables(ledger.db, SAME), clean, 're-run after a mid-import 401');
    ledger.close();
  });

  it('a page with renamed or missing fields is a fault: read again, and the import ends with the clean ledger', async () => {
    const ledger = openTestLedger();
    sim.resetStats();
    // Messages whose uuid was renamed, voice rows without a cost: never stored half-read.
    sim.setFaults({ kind: 'renamed', count: 6 });
    const p = await importWith({ ledger, client: testClient(sim) });
    sim.clearFaults();
    assert.equal(sim.stats().faults.renamed, 6);
    assert.equal(p.status, 'completed');
    assert.equal(p.rejected, 0);
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE);
    assertSameLedger(dumpTables(ledger.db, SAME_SET), cleanSet, 'renamed fields, read again');
    ledger.close();
  });

  it('rows still unreadable after every retry are kept, counted and shown: "completed with problems", and the next import reads their pages again', async () => {
    const ledger = openTestLedger();
    const client = testClient(sim);
    // Every answer about messaging renamed: page 1 never reads cleanly.
    sim.setFaults({ kind: 'renamed' });
    const p = await importWith({ ledger, client, types: ['messaging'] });
    sim.clearFaults();
    assert.equal(p.status, 'completed_with_problems');
    // Every row Telnyx listed (a duplicated row is listed twice).
    const rows = ledger.imports.totals(p.importId)[0]!.totalResults!;
    assert.ok(rows >= sim.account.messageCount);
    assert.equal(p.rejected, rows, 'every row kept as a problem');
    assert.match(p.error ?? '', new RegExp(`^${rows} rows could not be read after retries`));
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM messages').pluck().get(), 0, 'nothing stored half-read');
    const kept = ledger.imports.problems(p.importId, 500, 0);
    assert.equal(kept.total, rows);
    assert.match(kept.rows[0]!.reason, /uuid|id/);
    assert.ok(
      kept.rows.every((r) => r.raw.includes('message_uuid')),
      'the rows as received',
    );

    // The same import again reads those pages again (and only those), and completes.
    const again = await importWith({ ledger, client, types: ['messaging'] });
    assert.equal(again.importId, p.importId, 'the same import, resumed');
    assert.equal(again.status, 'completed');
    assert.equal(again.rejected, 0);
    assert.equal(ledger.imports.problems(p.importId, 10, 0).total, 0);
    assert.equal(again.records, ledger.db.prepare('SELECT SUM(records) FROM import_pages WHERE import_id = ?').pluck().get(p.importId));
    assertLedgerMatchesTruth(ledger, sim.account, FULL_RANGE, ['messaging']);
    ledger.close();
  });
});
