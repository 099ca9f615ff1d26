// An account as a real one may be set up, played by the simulator over HTTP: Call Control
// applications on webhook API v1 (openapi/spec3.yml #/components/schemas/CallControlApplication
// webhook_api_version, default "1": event_type "call_initiated"), recorded calls (a
// "call-recording" part in call.cost, #/components/schemas/CallCost, that no call-control or
// sip-trunking record carries), MDRs whose cost is rate x parts with the fee apart, and an
// account with call.cost off. Every call and message must come out at its true cost, in
// whichever order events and detail records arrive.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CallsQuery, MessagesQuery } from '../../shared/contract.ts';
import { pollOnce } from '../../electron/core/ingest/poller.ts';
import { exportReport } from '../../electron/core/reports/index.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import { clientDeliverySource } from '../../electron/core/ingest/sources.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import type { GeneratedAccount, RunningSimulator } from '../../electron/core/simulator/index.ts';
import type { TelnyxClient } from '../../electron/core/telnyx/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { createReconciler } from '../../electron/core/reconcile/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { importWith } from '../helpers/ingest.ts';
import { openTestLedger } from '../helpers/ledger.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';

const START = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const END = START + 3 * DAY;
type Row = Record<string, unknown>;

async function poll(sim: RunningSimulator, client: TelnyxClient, ledger: Ledger) {
  const clock = new ManualClock(END);
  sim.setNow(END);
  return pollOnce({ ledger, source: clientDeliverySource(client), clock, firstLookbackMs: 3 * DAY });
}

function callsByLeg(ledger: Ledger): Map<string, Row> {
  return new Map((ledger.db.prepare('SELECT * FROM calls').safeIntegers(true).all() as Row[]).map((r) => [String(r.call_leg_id), r]));
}

function assertCallsAtTruth(ledger: Ledger, a: GeneratedAccount, o: { eventsOnly?: boolean } = {}): { recorded: number } {
  const calls = callsByLeg(ledger);
  let recorded = 0;
  for (let i = 0; i < a.callCount; i++) {
    const t = a.call(i);
    const row = calls.get(t.callLegId);
    assert.ok(row, `call ${i}`);
    const k = a.callCosts(a.callCore(i));
    if (k.recording > 0n) recorded++;
    if (o.eventsOnly && !t.costEvent) continue;
    if (!t.hasRecord && !t.costEvent) continue;
    assert.equal(row.exact_nanos, t.totalCostNanos, `call ${i}: every part, the recording included`);
    assert.equal(row.missing_parts, null, `call ${i} complete`);
  }
  return { recorded };
}

describe('a v1-webhook account with recorded calls and documented MDRs', () => {
  it('poll then import: calls at their true cost (records + the call.cost recording part), messages with the fee once', async () => {
    const sim = await startTestSimulator({
      seed: 'shapes',
      calls: 200,
      messages: 100,
      startMs: START,
      spanMs: DAY,
      webhookApiVersion: '1',
      recordingRate: 0.5,
      callCostEventRate: 1,
      sipTrunkingRate: 0.3,
      neverRecordRate: 0,
      stragglerRate: 0,
      nowMs: END,
    });
    const client = testClient(sim);
    // The deliveries really carry v1 names.
    const page = await client.webhookDeliveriesPage({ eventTypes: [], page: 1, pageSize: 5 });
    assert.ok(page.rows.length > 0);
    for (const r of page.rows) assert.match(String((r.raw.webhook as Row).event_type), /^(call|message)_[a-z]+$/);
    // Its call.cost events have the spec example's shape: status "valid", amounts as JSON numbers.
    const costs = await client.webhookDeliveriesPage({ eventTypes: ['call.cost'], page: 1, pageSize: 3 });
    assert.ok(costs.rows.length > 0);
    for (const r of costs.rows) {
      assert.equal(r.payload.status, 'valid');
      assert.equal(typeof r.payload.total_cost, 'number');
    }

    const ledger = openTestLedger();
    const polled = await poll(sim, client, ledger);
    assert.equal(polled.applied.invalid, 0);
    assert.ok(polled.newEvents > 0);
    const afterPoll = assertCallsAtTruth(ledger, sim.account, { eventsOnly: true });
    assert.ok(afterPoll.recorded > 10, `recorded calls played (${afterPoll.recorded})`);

    const progress = await importWith({ ledger, client, from: START, to: END, clock: new ManualClock(END) });
    assert.equal(progress.status, 'completed');
    assertCallsAtTruth(ledger, sim.account);
    const sources = ledger.db.prepare(`SELECT cost_source, COUNT(*) AS n FROM calls WHERE exact_nanos IS NOT NULL GROUP BY cost_source`).all() as Row[];
    assert.deepEqual(
      sources.map((s) => s.cost_source),
      ['detail_record'],
      'records priced every main leg',
    );
    // The recording records too: each replaces its call.cost part of the same name, never adds to it.
    const withRecordings = await importWith({ ledger, client, from: START, to: END, clock: new ManualClock(END), types: ['recording'] });
    assert.equal(withRecordings.status, 'completed');
    assert.equal(withRecordings.records, afterPoll.recorded, 'one recording record per recorded call');
    assertCallsAtTruth(ledger, sim.account);
    assert.equal(ledger.records.unlinkedFeatureCount(), 0);

    const messages = new Map((ledger.db.prepare('SELECT * FROM messages').safeIntegers(true).all() as Row[]).map((r) => [String(r.id), r]));
    for (let i = 0; i < sim.account.messageCount; i++) {
      const m = sim.account.message(i);
      assert.equal(messages.get(m.id)?.cost_nanos, m.costNanos, `message ${i}: rate x parts + carrier fee`);
    }
    assert.deepEqual(ledger.events.unusable(), { total: 0, reasons: [] });
    ledger.close();
  });

  it('import first, then poll, with call.cost off: no event to wait for, records alone price each call (recordings included); MDRs imported alone are exact', async () => {
    const sim = await startTestSimulator({
      seed: 'shapes-off',
      calls: 150,
      messages: 120,
      startMs: START,
      spanMs: DAY,
      webhookApiVersion: '1',
      callCostEventRate: 0,
      recordingRate: 1,
      neverRecordRate: 0,
      stragglerRate: 0,
      nowMs: END,
    });
    const client = testClient(sim);
    const ledger = openTestLedger();
    // The recording records first, on their own: no call is known yet, so they are kept
    // unlinked and counted; the import of the calls links them.
    const first = await importWith({ ledger, client, from: START, to: END, clock: new ManualClock(END), types: ['recording'] });
    assert.equal(first.status, 'completed');
    assert.ok(first.records > 10, `recorded calls played (${first.records})`);
    assert.equal(ledger.records.unlinkedFeatureCount(), first.records);
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get(), 0, 'a recording record never makes a call');
    const progress = await importWith({ ledger, client, from: START, to: END, clock: new ManualClock(END) });
    assert.equal(progress.status, 'completed');
    assert.equal(ledger.records.unlinkedFeatureCount(), 0);
    await poll(sim, client, ledger);
    const { recorded } = assertCallsAtTruth(ledger, sim.account);
    assert.equal(recorded, first.records, 'without call.cost, the recording records alone price each recording part');
    const rates = ledger.db.prepare(`SELECT COUNT(*) FROM calls WHERE exact_nanos IS NOT NULL AND rate IS NULL`).pluck().get();
    assert.equal(rates, 0, "every priced call keeps Telnyx's rate, imported ones too");
    const messages = new Map((ledger.db.prepare('SELECT * FROM messages').safeIntegers(true).all() as Row[]).map((r) => [String(r.id), r]));
    for (let i = 0; i < sim.account.messageCount; i++) {
      const m = sim.account.message(i);
      assert.equal(messages.get(m.id)?.cost_nanos, m.costNanos, `message ${i}`);
    }
    ledger.close();
  });
});

describe('billed features in the cost fetch', () => {
  it('once the ledger has seen recording records, the reconciler looks for them too: each recorded call at its true cost, nothing counted twice', async () => {
    const sim = await startTestSimulator({
      seed: 'features',
      calls: 120,
      messages: 0,
      startMs: START,
      spanMs: DAY,
      callCostEventRate: 0,
      recordingRate: 0.5,
      sipTrunkingRate: 0.3,
      neverRecordRate: 0,
      stragglerRate: 0,
      nowMs: END,
    });
    const client = testClient(sim);
    const ledger = openTestLedger();
    const reconciler = createReconciler({ ledger, client: () => client, clock: new ManualClock(END), settings: () => DEFAULT_SETTINGS });
    const clock = new ManualClock(END);
    sim.setNow(END);
    await pollOnce({
      ledger,
      source: clientDeliverySource(client),
      clock,
      firstLookbackMs: 3 * DAY,
      hooks: { onCallEnded: (id) => reconciler.onCallEnded(id) },
    });
    // The first two hours' recordings teach the ledger the type; the fetch finds the rest.
    const taught = await importWith({ ledger, client, from: START, to: START + 2 * 3600_000, clock, types: ['recording'] });
    assert.equal(taught.status, 'completed');
    assert.deepEqual(ledger.records.featureTypesSeen(), ['recording']);
    const pass = await reconciler.processDue();
    assert.ok(pass.succeeded > 0, JSON.stringify(pass));
    const { recorded } = assertCallsAtTruth(ledger, sim.account);
    assert.ok(recorded > taught.records, `recorded calls beyond the first two hours (${recorded} > ${taught.records})`);
    assert.equal(ledger.db.prepare(`SELECT COUNT(*) FROM detail_records WHERE record_type = 'recording' AND call_id IS NOT NULL`).pluck().get(), recorded);
    ledger.close();
  });
});

describe('cost attribution', () => {
  it('billing group, connection, tags and country are stored as sent, and filter the calls and messages lists and the CSV reports', async () => {
    const sim = await startTestSimulator({
      seed: 'attribution',
      calls: 150,
      messages: 80,
      startMs: START,
      spanMs: DAY,
      neverRecordRate: 0,
      stragglerRate: 0,
      nowMs: END,
    });
    const client = testClient(sim);
    const ledger = openTestLedger();
    await importWith({ ledger, client, from: START, to: END, clock: new ManualClock(END) });
    // What the main records said, per call leg (the truth the filters must reproduce).
    const raw = (ledger.db.prepare(`SELECT raw FROM detail_records WHERE record_type IN ('call-control','webrtc')`).pluck().all() as string[]).map(
      (r) => JSON.parse(r) as Row,
    );
    const withTag = (rows: Row[], tag: string) =>
      rows.filter((r) =>
        String(r.tags ?? '')
          .split(',')
          .map((t) => t.trim())
          .includes(tag),
      );
    const sales = withTag(raw, 'sales').length;
    assert.ok(sales > 0);
    const views = callViews(ledger.db);
    const listed = views.list(CallsQuery.parse({ tag: 'sales', limit: 500 }));
    assert.equal(listed.total, sales, 'calls tagged "sales"');
    const group = raw.find((r) => r.billing_group_name)!;
    const byGroup = raw.filter((r) => String(r.billing_group_id) === String(group.billing_group_id)).length;
    assert.equal(views.list(CallsQuery.parse({ billingGroup: String(group.billing_group_id), limit: 500 })).total, byGroup, 'by billing group id');
    assert.equal(
      views.list(CallsQuery.parse({ connection: String(group.connection_name), limit: 500 })).total,
      raw.filter((r) => r.connection_name === group.connection_name).length,
      'by connection name',
    );
    const call = ledger.calls.findByIds({ legIds: [String(group.telnyx_leg_id ?? group.call_leg_id)] })!;
    assert.equal(call.billingGroupName, group.billing_group_name);
    assert.equal(call.countryCode, String(group.country_code));

    const mdrs = (ledger.db.prepare(`SELECT raw FROM detail_records WHERE record_type = 'messaging'`).pluck().all() as string[]).map(
      (r) => JSON.parse(r) as Row,
    );
    const support = withTag(mdrs, 'priority').length;
    assert.ok(support > 0);
    assert.equal(views.messages(MessagesQuery.parse({ tag: 'priority', limit: 500 })).total, support, 'messages tagged "priority"');
    const profile = String(mdrs[0]!.profile_id);
    assert.equal(views.messages(MessagesQuery.parse({ profile, limit: 500 })).total, mdrs.filter((m) => m.profile_id === profile).length);

    // The CSV report takes the same filters.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const { rows } = await exportReport(ledger.db, { report: 'calls', range: { from: START, to: END }, tag: 'sales', totals: false }, out);
    assert.equal(rows, sales);
    assert.equal(Buffer.concat(chunks).toString('utf8').trim().split('\r\n').length, sales + 1);
    ledger.close();
  });
});
