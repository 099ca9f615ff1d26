// The account doctor's connections: GET /connections (openapi/spec3.yml paths./connections.get,
// listConnections: "a list of your connections irrespective of type"; items are
// #/components/schemas/Connection, fixture connection.spec3.json) says which connections exist
// and whether their webhook settings let Cost Desk see their calls. Against the simulator over
// HTTP, through the contract (doctor.run) and through the CLI as a child process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connectionCheck } from '../../electron/core/doctor/checks.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { doctorOf } from '../helpers/core.ts';
import { recentAccount, startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

const spec = JSON.parse(readFileSync(new URL('../fixtures/telnyx/connection.spec3.json', import.meta.url), 'utf8')) as Record<string, unknown>;

async function listConnections(sim: RunningSimulator): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${sim.baseUrl}/connections`, { headers: { Authorization: `Bearer ${sim.apiKey}` } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { data: Record<string, unknown>[] }).data;
}

describe('account doctor: connections', () => {
  it("the spec's Connection example (API v1, a webhook URL) is a warning with the portal fix; no URL, v2 and inactive read as such", () => {
    const c = connectionCheck(spec);
    assert.equal(c.id, 'connection:6a09cdc3-8948-47f0-aa62-74ac943d6c58');
    assert.equal(c.title, 'Connection "string" (ip_connection)');
    assert.equal(c.status, 'warning');
    assert.match(c.detail, /webhook API v1/);
    assert.match(c.fix ?? '', /^Portal > Voice > SIP Trunking > string: set "Webhook API version" to API v2\.$/);
    // webhook_event_url is nullable, null by default: no stored deliveries for its calls.
    const noUrl = connectionCheck({ ...spec, webhook_event_url: null });
    assert.equal(noUrl.status, 'warning');
    assert.match(noUrl.detail, /No webhook URL/);
    assert.match(noUrl.meaning ?? '', /only through a date-range import of detail records/);
    assert.match(noUrl.fix ?? '', /set "Webhook URL"/);
    assert.equal(connectionCheck({ ...spec, webhook_api_version: '2' }).status, 'ok');
    // webhook_api_version defaults to "1" when absent.
    assert.equal(connectionCheck({ ...spec, webhook_api_version: undefined }).status, 'warning');
    const inactive = connectionCheck({ ...spec, active: false, webhook_event_url: null });
    assert.equal(inactive.status, 'ok');
    assert.match(inactive.detail, /Inactive/);
  });

  it("the simulator's GET /connections items have the spec example's fields, every type together", async () => {
    const sim = await startTestSimulator({ seed: 'conn-shape', calls: 40, messages: 10 });
    const rows = await listConnections(sim);
    for (const row of rows) assert.deepEqual(Object.keys(row).sort(), Object.keys(spec).sort());
    const apps = new Set(sim.account.numbers.map((n) => n.connectionId));
    const trunks = new Set(sim.account.numbers.map((n) => n.sipConnectionId));
    assert.deepEqual(new Set(rows.filter((r) => r.record_type === 'call_control_application').map((r) => r.id)), apps);
    assert.deepEqual(new Set(rows.filter((r) => String(r.record_type).endsWith('_connection')).map((r) => r.id)), trunks);
  });

  it('a well set up account: every connection named, each SIP connection ok, the applications not checked twice', async () => {
    const sim = await startTestSimulator(recentAccount('conn-good', 60, 10));
    const report = await doctorOf(sim);
    assert.equal(report.problems, 0, JSON.stringify(report.checks, null, 1));
    const rows = await listConnections(sim);
    const summary = report.checks.find((c) => c.id === 'connections')!;
    assert.equal(summary.status, 'ok');
    assert.match(summary.detail, new RegExp(`^${rows.length} in this account: `));
    for (const r of rows)
      assert.ok(summary.detail.includes(`"${String(r.connection_name)}" (${String(r.record_type)})`), `${String(r.connection_name)} in ${summary.detail}`);
    const perConnection = report.checks.filter((c) => c.id.startsWith('connection:'));
    const trunkIds = rows.filter((r) => r.record_type !== 'call_control_application').map((r) => `connection:${String(r.id)}`);
    assert.deepEqual(perConnection.map((c) => c.id).sort(), trunkIds.sort());
    for (const c of perConnection) assert.equal(c.status, 'ok', c.detail);
  });

  it('SIP connections without a webhook URL, or on API v1: warnings with the fix, in the CLI too (exit 0: no problem)', async () => {
    const bare = await startTestSimulator({ seed: 'conn-bare', calls: 30, messages: 10, callCostEventRate: 1, accountSetup: { connectionWebhookUrls: false } });
    const report = await doctorOf(bare);
    const perConnection = report.checks.filter((c) => c.id.startsWith('connection:'));
    assert.ok(perConnection.length > 0);
    for (const c of perConnection) {
      assert.equal(c.status, 'warning');
      assert.equal(c.detail, 'No webhook URL is set (the default).');
    }
    assert.equal(report.problems, 0, 'the Call Control applications have their URLs');

    const env = { TELNYX_API_KEY: bare.apiKey, TELNYX_API_BASE_URL: bare.baseUrl };
    const text = await runCli(['--data-dir', tempDir(), 'doctor'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ok {7}Connections: \d+ in this account: "sim-app-0" \(call_control_application\)/m);
    assert.match(text.stdout, /^warning {2}Connection "sim-trunk-0" \(ip_connection\): No webhook URL is set/m);
    assert.match(text.stdout, /fix: {3}Portal > Voice > SIP Trunking > sim-trunk-0: set "Webhook URL"/);

    const v1 = await startTestSimulator({ seed: 'conn-v1', calls: 30, messages: 10, webhookApiVersion: '1' });
    const old = (await doctorOf(v1)).checks.filter((c) => c.id.startsWith('connection:'));
    assert.ok(old.length > 0);
    for (const c of old) assert.match(c.detail, /webhook API v1/);
  });
});
