// The simulator in a child process (npm run simulator / benchmarks): ready line, Telnyx
// routes, remote control, and the same data as an in-process account built from its options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, startSimulator, startSimulatorProcess } from '../../electron/core/simulator/index.ts';

test('startSimulatorProcess serves the same account and obeys remote control', async () => {
  const sim = await startSimulatorProcess({ calls: 400, messages: 100, seed: 'proc', apiKey: 'KEYproc' });
  try {
    assert.match(sim.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    assert.equal(sim.apiKey, 'KEYproc');
    const local = createAccount(sim.account.options);
    await sim.setNow(Date.UTC(2030, 0, 1));
    const res = await fetch(`${sim.baseUrl}/detail_records?filter[record_type]=call-control&page[size]=5`, {
      headers: { authorization: 'Bearer KEYproc' },
    });
    const body = (await res.json()) as { data: Array<Record<string, unknown>> };
    assert.equal(res.status, 200);
    for (const row of body.data) {
      const c = local.call(local.findCall(String(row.id))!);
      assert.equal(row.cost, c.records[0]!.cost);
    }
    await sim.setFaults({ kind: '503', count: 1 });
    const faulted = await fetch(`${sim.baseUrl}/detail_records?filter[record_type]=messaging`, { headers: { authorization: 'Bearer KEYproc' } });
    assert.equal(faulted.status, 503);
    await faulted.arrayBuffer();
    const stats = await sim.stats();
    assert.equal(stats.byStatus['503'], 1);
    assert.equal(stats.recordsServed, 5);
  } finally {
    await sim.close();
  }
  assert.notEqual(sim.child.exitCode ?? sim.child.signalCode, null);
});

test('live mode: new calls keep appearing as the clock moves', async () => {
  let now = Date.UTC(2026, 3, 1, 12);
  const sim = await startSimulator({ live: true, calls: 300, messages: 0, spanMs: 3_600_000, liveHorizonMs: 3_600_000, now: () => now });
  try {
    const count = async () =>
      (
        (await (
          await fetch(`${sim.baseUrl}/detail_records?filter[record_type]=call-control&page[size]=1`, { headers: { authorization: `Bearer ${sim.apiKey}` } })
        ).json()) as {
          meta: { total_results: number };
        }
      ).meta.total_results;
    const first = await count();
    assert.ok(first > 0);
    now += 30 * 60_000;
    const later = await count();
    assert.ok(later > first, `${later} > ${first}`);
    assert.ok(sim.account.callCount > 300);
  } finally {
    await sim.close();
  }
});

test('npm run simulator -- --help prints the options and exits 0; an unknown option exits 2 with them', async () => {
  const { spawnSync } = await import('node:child_process');
  const main = new URL('../../electron/core/simulator/main.ts', import.meta.url).pathname;
  const help = spawnSync(process.execPath, ['--import', 'tsx', main, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: npm run simulator -- \[options\]/);
  for (const o of ['--port', '--calls', '--messages', '--seed', '--key', '--live', '--config', '--help']) assert.ok(help.stdout.includes(o), o);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', main, '--bogus'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /Unknown option '--bogus'[\s\S]*Usage: npm run simulator/);
});
