// The contract methods the command line is a host of (status.summary, calls.find, import.wait,
// export.run with `out`, sync.now's counts), through dispatch as every host calls them, on a
// real core, a real ledger and the simulator over HTTP.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Input, Method, Output } from '../../shared/contract.ts';
import { AppFailure, dispatch, type Core, type CoreApi } from '../../electron/core/index.ts';
import { withLedgerExplained } from '../../electron/core/runtime/errors.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { SIM_NOW, startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';
import { runCli } from '../helpers/cli.ts';
import { coreOnSimulator } from '../helpers/core.ts';

const JAN = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) };

const coreFor = (sim: RunningSimulator, key = sim.apiKey): Promise<Core> => coreOnSimulator(sim, { key });

async function ok<M extends Method>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await dispatch(core.api, method, input);
  assert.ok(r.ok, `${method}: ${JSON.stringify(r)}`);
  return r.value as Output<M>;
}

describe('the contract calls the CLI makes', () => {
  let sim: RunningSimulator;
  let core: Core;
  before(async () => {
    sim = await startTestSimulator({ seed: 'cli-contract', calls: 120, messages: 40, startMs: SIM_NOW - 2 * 86_400_000, spanMs: 2 * 86_400_000 - 3_600_000 });
    core = await coreFor(sim);
  });
  after(() => core.close());

  it('import.wait: the last progress of the run import.start began, the same as import.list then shows', async () => {
    const first = await ok(core, 'import.start', { range: JAN, recordTypes: ['call-control', 'messaging'] });
    assert.equal(first.status, 'running');
    const final = await ok(core, 'import.wait', { importId: first.importId });
    assert.equal(final.status, 'completed');
    assert.ok(final.records > 0);
    const listed = (await ok(core, 'import.list', {})).imports.find((i) => i.importId === first.importId)!;
    assert.equal(listed.status, 'completed');
    assert.equal(listed.records, final.records);
    // Not running here any more: answered at once from the ledger; an unknown import is not_found.
    assert.equal((await ok(core, 'import.wait', { importId: first.importId })).status, 'completed');
    const unknown = await dispatch(core.api, 'import.wait', { importId: 999_999 });
    assert.equal(!unknown.ok && unknown.error.code, 'not_found');
  });

  it('status.summary counts what the ledger holds; calls.find resolves a local id and every Telnyx id', async () => {
    const summary = await ok(core, 'status.summary', {});
    const total = (await ok(core, 'calls.list', { limit: 1 })).total;
    assert.equal(
      summary.calls.reduce((s, c) => s + c.n, 0),
      total,
    );
    assert.equal(
      summary.numbers.reduce((s, n) => s + n.calls, 0),
      total,
    );
    const call = (await ok(core, 'calls.list', { limit: 1 })).rows[0]!;
    for (const ref of [String(call.id), call.callLegId, call.callSessionId, call.callControlId].filter((x): x is string => !!x)) {
      assert.equal((await ok(core, 'calls.find', { ref })).id, call.id, ref);
    }
    const missing = await dispatch(core.api, 'calls.find', { ref: 'no-such-call' });
    assert.deepEqual(missing, { ok: false, error: { code: 'not_found', message: 'no call with id no-such-call' } });
  });

  it('export.run with out: the core writes the whole file (and nothing else); without out or with a relative path it is refused', async () => {
    const dir = tempDir();
    const out = join(dir, 'calls.csv');
    // Without Total rows, the file's lines are the header and one per call.
    const r = await ok(core, 'export.run', { report: 'calls', range: JAN, out, totals: false });
    assert.deepEqual({ savedTo: r.savedTo, downloadUrl: r.downloadUrl, cancelled: r.cancelled }, { savedTo: out, downloadUrl: null, cancelled: false });
    assert.equal(readFileSync(out, 'utf8').split('\r\n').length - 2, r.rows);
    assert.equal(r.rows, (await ok(core, 'calls.list', { range: JAN, limit: 1 })).total);
    assert.deepEqual(readdirSync(dir), ['calls.csv'], 'no temporary file left');
    const noOut = await dispatch(core.api, 'export.run', { report: 'calls', range: JAN });
    assert.equal(!noOut.ok && noOut.error.code, 'invalid_input');
    const relative = await dispatch(core.api, 'export.run', { report: 'calls', range: JAN, out: 'calls.csv' });
    assert.ok(!relative.ok);
    assert.deepEqual(
      relative.error.issues?.map((i) => i.path),
      [['out']],
    );
    assert.equal(existsSync('calls.csv'), false);
  });

  it("sync.now gives the poll's counts: deliveries, new events, applied, waiting, rejected", async () => {
    const r = await ok(core, 'sync.now', {});
    assert.ok(r.events > 0 && r.newEvents > 0 && r.newEvents <= r.events, JSON.stringify(r));
    assert.ok(r.applied > 0, JSON.stringify(r));
    assert.equal(r.rejected, 0);
    // The same deliveries again: nothing new.
    assert.equal((await ok(core, 'sync.now', {})).newEvents, 0);
  });

  it('a failed import: import.wait answers with its failure (a rejected key is auth), the ledger row says failed', async () => {
    const wrong = await coreFor(sim, 'KEY_not_the_simulators_0123456789');
    try {
      const first = await ok(wrong, 'import.start', { range: JAN, recordTypes: ['call-control'] });
      const r = await dispatch(wrong.api, 'import.wait', { importId: first.importId });
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'auth');
      assert.match(r.error.message, /rejected the API key/);
      assert.equal((await ok(wrong, 'import.list', {})).imports[0]!.status, 'failed');
    } finally {
      await wrong.close();
    }
  });
});

describe('a failure of the ledger file is named with the file, in every host', () => {
  it('a write to a read-only ledger, even behind an AppFailure, says which file and what still works', async () => {
    const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    const api = { 'sync.now': async () => Promise.reject(new AppFailure('internal', readonly.message, undefined, { cause: readonly })) } as unknown as CoreApi;
    const explained = withLedgerExplained(api, () => '/data/ledger.db');
    await assert.rejects(explained['sync.now']({}), (err: unknown) => {
      assert.ok(err instanceof AppFailure);
      assert.equal(
        err.message,
        'The ledger /data/ledger.db is read-only: nothing was written, and status and export can still read it. Make it writable (chmod u+w /data/ledger.db) to go on.',
      );
      return true;
    });
    const other = withLedgerExplained({ 'sync.now': async () => Promise.reject(new AppFailure('auth', 'no')) } as unknown as CoreApi, () => '/data/ledger.db');
    await assert.rejects(other['sync.now']({}), { code: 'auth', message: 'no' });
  });
});

describe('--demo: the factory opens the demo account, and only with --demo', () => {
  it('--demo status reads the demo ledger; without --demo the own ledger, whatever the app used last', async () => {
    const dir = tempDir();
    const demo = await runCli(['--demo', 'status', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.equal(demo.code, 0, demo.stderr);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.db')),
      ['demo-ledger.db'],
    );
    const own = await runCli(['status', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.equal(own.code, 0, own.stderr);
    assert.deepEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.db'))
        .sort(),
      ['demo-ledger.db', 'ledger.db'],
    );
    // Without a key and without --demo, what needs Telnyx says how to get a key (or --demo).
    const sync = await runCli(['sync', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.equal(sync.code, 3, sync.stderr);
    assert.match(sync.stderr, /pass --demo/);
  });
});
