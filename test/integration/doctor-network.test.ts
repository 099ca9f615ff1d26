// The account doctor when Telnyx cannot be reached: a connection refused (a closed loopback
// port, over real HTTP) is said as a network failure and does not blame the key; a key the
// simulator refuses (401, Telnyx error 10009) still does. Both through the contract
// (doctor.run), as the Settings screen and `cost-desk doctor` call it.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoctorReport } from '../../shared/contract.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { createCore } from '../../electron/core/index.ts';
import { memorySecretStore } from '../../electron/core/runtime/secret-store.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { SIM_NOW, startTestSimulator } from '../helpers/simulator.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A loopback port nothing listens on: one the system just gave a server, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return port;
}

/** doctor.run against `baseUrl` with `apiKey`; the client's retry waits run on a manual clock, moved on until the run ends. */
async function doctorOf(baseUrl: string, apiKey: string): Promise<DoctorReport> {
  const dataDir = mkdtempSync(join(tmpdir(), 'doctor-net-'));
  dirs.push(dataDir);
  const clock = new ManualClock(SIM_NOW);
  const core = await createCore({
    dataDir,
    secrets: memorySecretStore(apiKey),
    host: 'test',
    autoStart: false,
    logger: silentLogger(),
    clock,
    apiBaseUrl: baseUrl,
  });
  try {
    let done = false;
    const run = dispatch(core.api, 'doctor.run', {}).finally(() => {
      done = true;
    });
    // Each turn lets the sockets' events in (setImmediate), then wakes any retry wait.
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(60_000);
    }
    const r = await run;
    assert.ok(r.ok, JSON.stringify(r));
    return r.value as DoctorReport;
  } finally {
    await core.close();
  }
}

describe('account doctor: Telnyx out of reach', () => {
  it('a connection refused is a network failure, said as such, and the key is not blamed', async () => {
    const report = await doctorOf(`http://127.0.0.1:${await closedPort()}`, 'KEY0123456789abcdef');
    assert.equal(report.problems, 1, JSON.stringify(report.checks, null, 1));
    // The ledger's own checks follow (events it could not use, feature records without a call).
    const check = report.checks.find((c) => c.status === 'problem');
    assert.equal(check?.id, 'telnyx_reachable');
    assert.equal(
      report.checks.some((c) => c.id === 'api_key'),
      false,
      'no verdict on the key',
    );
    assert.match(check!.detail, /could not be reached \(connection refused\)/);
    assert.match(check!.detail, /ECONNREFUSED/);
    assert.doesNotMatch(check!.detail, /did not accept/);
    assert.match(check!.meaning ?? '', /says nothing about the key/);
    assert.match(check!.fix ?? '', /internet connection and the API base URL/);
    assert.doesNotMatch(check!.fix ?? '', /Create an API key/);
  });

  it('a key Telnyx refuses (401) is still said to be the key', async () => {
    const sim = await startTestSimulator({ seed: 'doctor-wrong-key', calls: 5, messages: 0 });
    const report = await doctorOf(sim.baseUrl, `${sim.apiKey}-wrong`);
    assert.equal(report.problems, 1, JSON.stringify(report.checks, null, 1));
    const check = report.checks.find((c) => c.status === 'problem');
    assert.equal(check?.id, 'api_key');
    assert.match(check!.detail, /^Telnyx did not accept the key: .*401/);
    assert.match(check!.fix ?? '', /Create an API key/);
  });
});
