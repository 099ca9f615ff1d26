// The app's imports (runtime.ts startImport, as every host starts them through import.start)
// commit their pages on the write worker: the log names the writer, spend alerts the worker's
// chunks fire are announced as the session's are (a 'ledger.changed' event with 'alerts'), and
// the ledger is the one a main-thread import of the same range leaves, row for row (alert
// firings included) — pages only, and with a batch report first (its row batches commit on the
// worker too, report-import/phase.ts, then the tail's pages). Real core, real ledger files, the
// simulator over HTTP.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createCore, type Core } from '../../electron/core/index.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { watchSpend } from '../../electron/core/alerts/api.ts';
import { alertStore } from '../../electron/core/alerts/store.ts';
import { memorySecretStore } from '../../electron/core/runtime/secret-store.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import type { Topic } from '../../shared/access.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpFile, openTestLedger } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { call } from '../helpers/core.ts';
import { ALL_TYPES, FULL_RANGE, importWith } from '../helpers/ingest.ts';
import { memoryLog } from '../helpers/log.ts';
import { SIM_NOW, startTestSimulator, testClient } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

// The settings table differs by design (the runtime's core stored its own settings).
const SAME = { excludeTables: [...BOOKKEEPING_TABLES, 'settings'], excludeColumns: [...WRITE_TIME_COLUMNS] };
const RULES = [
  { kind: 'daily_spend', currency: 'USD', threshold: '0.05', enabled: true },
  { kind: 'call_cost', currency: 'USD', threshold: '0.02', enabled: true },
] as const;

describe("the runtime's imports commit on the write worker", () => {
  let sim: RunningSimulator;
  let referenceFile: string;
  before(async () => {
    sim = await startTestSimulator({ seed: 'runtime-writer', calls: 900, messages: 200, stragglerRate: 0.03, duplicateRecordRate: 0.05 });
    // The same range imported on the main thread, with the same rules watched the session's way.
    const ledger = openTestLedger();
    const clock = new ManualClock(SIM_NOW);
    ledger.tx(() => {
      for (const r of RULES) alertStore(ledger.db).addRule({ ...r }, SIM_NOW);
    });
    const stop = watchSpend(ledger, () => clock.now());
    await importWith({ ledger, client: testClient(sim), clock, types: ALL_TYPES, compare: comparisonEstimator(DEFAULT_SETTINGS.rates) });
    stop();
    const firings = ledger.db.prepare('SELECT COUNT(*) FROM alert_firings').pluck().get() as number;
    assert.ok(firings > 10, `${firings} firings to compare`);
    ledger.close();
    referenceFile = ledger.file;
  });

  async function runtimeImport(reportImportMinDays: number) {
    const log = memoryLog();
    const core: Core = await createCore({
      dataDir: tempDir(),
      secrets: memorySecretStore(sim.apiKey),
      host: 'test',
      autoStart: false,
      logger: log.logger,
      clock: new ManualClock(SIM_NOW),
      apiBaseUrl: sim.baseUrl,
    });
    try {
      await call(core, 'settings.update', { reportImportMinDays });
      for (const r of RULES) await call(core, 'alerts.addRule', { ...r });
      const announced: Topic[][] = [];
      core.events.on((name, payload) => {
        if (name === 'ledger.changed') announced.push([...(payload as { topics: Topic[] }).topics]);
      });
      const started = await call(core, 'import.start', { range: FULL_RANGE, recordTypes: ALL_TYPES });
      const final = await call(core, 'import.wait', { importId: started.importId });
      // The worker's last firing notice is a message from its thread: let it arrive.
      await new Promise((r) => setTimeout(r, 50));
      return { final, file: core.runtime.session().ledgerFile, announced, lines: log.lines };
    } finally {
      await core.close();
    }
  }

  for (const [what, minDays] of [
    ['pages only', 0],
    ['a batch report, then the tail in pages', 1],
  ] as const) {
    it(`${what}: on the worker (the log says so), its alert firings announced, the ledger the main-thread import leaves`, async () => {
      const { final, file, announced, lines } = await runtimeImport(minDays);
      assert.equal(final.status, 'completed', final.error ?? '');
      if (minDays > 0)
        assert.ok(
          final.reports?.every((r) => r.phase === 'done'),
          JSON.stringify(final.reports),
        );
      else assert.equal(final.reports, undefined);
      // One line per report's rows (each record type's), then one for the pages.
      assert.deepEqual(
        lines.filter((l) => l.writer !== undefined).map((l) => [l.msg, l.writer, l.importId]),
        [
          ...(minDays > 0 ? ALL_TYPES.map(() => ["report rows commit on the ledger's write worker", 'write worker', final.importId]) : []),
          ["import pages commit on the ledger's write worker", 'write worker', final.importId],
        ],
      );
      assert.deepEqual(
        lines.filter((l) => l.level >= 40),
        [],
        'no fallback, no warning',
      );
      // The session's own hooks do not see the worker's writes: every announcement of
      // 'alerts' alone comes from the worker.
      assert.ok(
        announced.some((t) => t.length === 1 && t[0] === 'alerts'),
        JSON.stringify(announced),
      );
      // A report's rows come in the CSV's order with the CSV's columns (report-import.test.ts
      // compares the same way): history ids and raw texts differ by design, nothing else.
      const byDesign = minDays > 0 ? ['detail_records.raw', 'cost_history.id'] : [];
      const same = { ...SAME, excludeColumns: [...SAME.excludeColumns, ...byDesign] };
      assertSameLedger(dumpFile(file, same), dumpFile(referenceFile, same), `runtime import (${what}) vs main thread`);
    });
  }
});
