// The account doctor against the simulator over HTTP (its GET /call_control_applications and
// /messaging_profiles play a good or a badly set up account), through the contract
// (doctor.run) and through the CLI as a child process. Settings read per openapi/spec3.yml
// #/components/schemas/CallControlApplication (fixture: call-control-application.spec3.json).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DoctorReport } from '../../shared/contract.ts';
import { applicationCheck, clockCheck, unusableEventsCheck } from '../../electron/core/doctor/checks.ts';
import { runCli } from '../helpers/cli.ts';
import { doctorOf } from '../helpers/core.ts';
import { recentAccount, startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

describe('account doctor', () => {
  it("the spec's CallControlApplication example (API v1, call cost not on) is a warning with the portal fix", () => {
    const app = JSON.parse(readFileSync(new URL('../fixtures/telnyx/call-control-application.spec3.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const c = applicationCheck(app);
    assert.equal(c.status, 'warning');
    assert.match(c.detail, /webhook API v1/);
    assert.match(c.detail, /call cost in webhooks is off/);
    assert.match(c.fix ?? '', /Enable call cost.*API v2/);
    assert.equal(applicationCheck({ ...app, webhook_event_url: '' }).status, 'problem');
    assert.equal(applicationCheck({ ...app, webhook_api_version: '2', call_cost_in_webhooks: true }).status, 'ok');
    assert.equal(clockCheck(-90_000).status, 'warning');
    assert.match(clockCheck(-90_000).detail, /90 s ahead of/);
    assert.equal(clockCheck(800).status, 'ok');
    const unusable = unusableEventsCheck({ total: 3, reasons: [{ reason: 'call.cost status error: no cost to book', count: 3 }] });
    assert.equal(unusable.status, 'warning');
    assert.match(unusable.detail, /3 × call\.cost status error/);
    assert.equal(unusableEventsCheck({ total: 0, reasons: [] }).status, 'ok');
  });

  it('a well set up account: no problem; records and deliveries of the last 7 days are counted', async () => {
    const sim = await startTestSimulator(recentAccount('doctor-good', 200, 50));
    const report = await doctorOf(sim);
    assert.equal(report.problems, 0, JSON.stringify(report.checks, null, 1));
    const byId = new Map(report.checks.map((c) => [c.id.split(':')[0], c]));
    assert.equal(byId.get('api_key')?.status, 'ok');
    assert.equal(byId.get('detail_records')?.status, 'ok');
    assert.equal(byId.get('webhook_deliveries')?.status, 'ok');
    assert.equal(byId.get('call_control_application')?.status, 'ok');
    assert.equal(byId.get('messaging_profile')?.status, 'ok');
    assert.equal(byId.get('clock')?.status, 'ok', byId.get('clock')?.detail);
    assert.equal(byId.get('unusable_events')?.status, 'ok');
    assert.equal(byId.get('unlinked_features')?.status, 'ok', 'every billed-feature record is part of its call');

    // Telnyx's clock (its Date header) 5 minutes ahead of ours: a warning that says by how much.
    sim.setClockOffset(5 * 60_000);
    const skewed = await doctorOf(sim);
    const clock = skewed.checks.find((c) => c.id === 'clock')!;
    assert.equal(clock.status, 'warning');
    assert.match(clock.detail, /300 s behind/);
    assert.match(clock.fix ?? '', /NTP/);
  });

  it('no webhook URLs, API v1, call cost off: problems and warnings with their fixes; the CLI exits 1 (0 for a good account)', async () => {
    const bad = await startTestSimulator({
      seed: 'doctor-bad',
      calls: 50,
      messages: 20,
      webhookApiVersion: '1',
      callCostEventRate: 0,
      accountSetup: { webhookUrls: false, callCostInWebhooks: false },
    });
    const report = await doctorOf(bad);
    assert.ok(report.problems > 0);
    const app = report.checks.find((c) => c.id.startsWith('call_control_application:'))!;
    assert.equal(app.status, 'problem');
    assert.match(app.meaning ?? '', /no webhook deliveries/);
    assert.match(app.fix ?? '', /Webhook URL/);
    const profile = report.checks.find((c) => c.id.startsWith('messaging_profile:'))!;
    assert.equal(profile.status, 'warning');

    const env = { TELNYX_API_KEY: bad.apiKey, TELNYX_API_BASE_URL: bad.baseUrl };
    const text = await runCli(['--data-dir', tempDir(), 'doctor'], env);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /PROBLEM {2}Call Control application/);
    assert.match(text.stdout, /fix: {3}Portal > Voice > Programmable Voice/);
    const json = await runCli(['--data-dir', tempDir(), '--json', 'doctor'], env);
    assert.equal(json.code, 1);
    assert.ok((JSON.parse(json.stdout) as DoctorReport).problems > 0);

    const good = await startTestSimulator({ seed: 'doctor-cli-good', calls: 20, messages: 10, callCostEventRate: 1 });
    const ok = await runCli(['--data-dir', tempDir(), 'doctor'], { TELNYX_API_KEY: good.apiKey, TELNYX_API_BASE_URL: good.baseUrl });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  });
});
