// The simulator over real HTTP on 127.0.0.1: envelope, windows, visibility, validation,
// auth, webhook deliveries, stats.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMoney } from '../../shared/money.ts';
import { startSimulator, type RunningSimulator } from '../../electron/core/simulator/index.ts';

type Json = Record<string, any>;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const END = T0 + 2 * DAY + DAY; // well after every record of a 2-day span

let sim: RunningSimulator;

async function get(path: string, key: string | null = sim.apiKey): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${sim.baseUrl}${path}`, { headers: key === null ? {} : { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

async function walk(query: string, size = 50): Promise<{ rows: Json[]; pages: number }> {
  const rows: Json[] = [];
  for (let page = 1; ; page++) {
    const { status, body } = await get(`${query}&page[size]=${size}&page[number]=${page}`);
    assert.equal(status, 200);
    assert.equal(body.meta.page_number, page);
    assert.equal(body.meta.page_size, size);
    rows.push(...body.data);
    if (page >= body.meta.total_pages) {
      assert.equal(rows.length, body.meta.total_results);
      return { rows, pages: page };
    }
  }
}

/** Truth: the call-control records whose created_at is in [from, to) and <= now. */
function expectedCallControl(from: number, to: number, now: number): Map<string, number> {
  const want = new Map<string, number>();
  for (let i = 0; i < sim.account.callCount; i++) {
    for (const r of sim.account.call(i).records) {
      if (r.recordType !== 'call-control' || r.createdMs < from || r.createdMs >= to || r.createdMs > now) continue;
      want.set(r.id, r.duplicated ? 2 : 1);
    }
  }
  return want;
}

before(async () => {
  sim = await startSimulator({
    seed: 'http-test',
    calls: 2500,
    messages: 800,
    startMs: T0,
    spanMs: 2 * DAY,
    duplicateRecordRate: 0.05,
    now: () => END,
  });
});
after(() => sim.close());

describe('detail records', () => {
  test('envelope: meta integers, default page size 20, rows in created_at order', async () => {
    const { status, body } = await get('/detail_records?filter[record_type]=call-control');
    assert.equal(status, 200);
    assert.equal(body.data.length, 20);
    assert.deepEqual(Object.keys(body.meta).sort(), ['page_number', 'page_size', 'total_pages', 'total_results']);
    assert.equal(body.meta.page_size, 20);
    assert.equal(body.meta.total_pages, Math.ceil(body.meta.total_results / 20));
    const times = body.data.map((r: Json) => Date.parse(r.created_at));
    assert.deepEqual(
      [...times].sort((x, y) => x - y),
      times,
    );
    const desc = await get('/detail_records?filter[record_type]=call-control&sort=-created_at');
    const dt = desc.body.data.map((r: Json) => Date.parse(r.created_at));
    assert.deepEqual(
      [...dt].sort((x, y) => y - x),
      dt,
    );
  });

  test('walking the pages of a window returns each record once, duplicates twice', async () => {
    const from = T0 + DAY / 2;
    const to = T0 + DAY + DAY / 3 + 1234;
    const q = `/detail_records?filter[record_type]=call-control&filter[created_at][gte]=${new Date(from).toISOString()}&filter[created_at][lt]=${new Date(to).toISOString()}&sort=created_at`;
    const { rows } = await walk(q);
    const got = new Map<string, number>();
    for (const r of rows) got.set(r.id, (got.get(r.id) ?? 0) + 1);
    const want = expectedCallControl(from, to, END);
    assert.deepEqual(got, want);
    assert.ok([...want.values()].includes(2), 'duplicates are present');
    for (const r of rows) {
      const t = Date.parse(r.created_at);
      assert.ok(t >= from && t < to);
    }
  });

  test('dates work as window bounds (UTC midnight), lt exclusive', async () => {
    const { rows } = await walk('/detail_records?filter[record_type]=call-control&filter[created_at][gte]=2026-01-02&filter[created_at][lt]=2026-01-03');
    assert.equal(new Set(rows.map((r) => r.id)).size, expectedCallControl(T0 + DAY, T0 + 2 * DAY, END).size);
    assert.ok(rows.every((r) => r.created_at.startsWith('2026-01-02')));
  });

  test('records become visible only once now passes created_at', async () => {
    const mid = T0 + DAY;
    try {
      sim.setNow(mid);
      const early = await get('/detail_records?filter[record_type]=call-control&page[size]=1');
      const want = [...expectedCallControl(-Infinity, Infinity, mid).values()].reduce((s, n) => s + n, 0);
      assert.equal(early.body.meta.total_results, want);
      // A call that ended just before `mid` has its record later than mid: invisible, then visible.
      const c = [...Array(sim.account.callCount).keys()]
        .map((i) => sim.account.call(i))
        .find((x) => x.endMs < mid && x.records[0] && x.records[0].createdMs > mid)!;
      assert.ok(c, 'such a call exists');
      const r = c.records[0]!;
      const q = `/detail_records?filter[record_type]=${r.recordType}&filter[created_at][gte]=${new Date(r.createdMs).toISOString()}&filter[created_at][lt]=${new Date(r.createdMs + 1000).toISOString()}&page[size]=50`;
      assert.ok(!(await get(q)).body.data.some((x: Json) => x.id === r.id));
      sim.setNow(r.createdMs);
      assert.ok((await get(q)).body.data.some((x: Json) => x.id === r.id));
    } finally {
      sim.setNow(END);
    }
  });

  test('filter[record_type] is required and must be a real type', async () => {
    for (const q of ['', '?filter[record_type]=call', '?filter[record_type]=voice', '?filter[record_type]=']) {
      const { status, body } = await get(`/detail_records${q}`);
      assert.equal(status, 400, q);
      assert.equal(typeof body.errors[0].code, 'string');
      assert.equal(body.errors[0].source.parameter, 'filter[record_type]');
    }
    for (const t of ['call-control', 'sip-trunking', 'webrtc', 'messaging']) {
      assert.equal((await get(`/detail_records?filter[record_type]=${t}`)).status, 200);
    }
  });

  test('page[size] is 1..50 (51 is a 400, not a clamp); page[number] from 1', async () => {
    assert.equal((await get('/detail_records?filter[record_type]=messaging&page[size]=50')).body.data.length, 50);
    for (const bad of ['page[size]=51', 'page[size]=0', 'page[size]=abc', 'page[number]=0', 'page[number]=-1']) {
      const { status, body } = await get(`/detail_records?filter[record_type]=messaging&${bad}`);
      assert.equal(status, 400, bad);
      assert.ok(body.errors[0].source.parameter.startsWith('page['));
    }
    const beyond = await get('/detail_records?filter[record_type]=messaging&page[number]=100000');
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body.data, []);
  });

  test('bad dates are a 400', async () => {
    const { status } = await get('/detail_records?filter[record_type]=messaging&filter[created_at][gte]=yesterday-ish');
    assert.equal(status, 400);
  });

  test('id filters are ignored by default (other rows come back)', async () => {
    const c = sim.account.call(10);
    const { body } = await get(`/detail_records?filter[record_type]=call-control&filter[call_leg_id]=${c.callLegId}&page[size]=5`);
    assert.equal(body.data.length, 5);
    assert.ok(body.meta.total_results > 100);
  });

  test('sip-trunking rows share the session id of their call-control row; costs add up', async () => {
    const { rows } = await walk('/detail_records?filter[record_type]=sip-trunking');
    assert.ok(rows.length > 50);
    for (const r of rows.slice(0, 100)) {
      const i = sim.account.findCall(r.id)!;
      const c = sim.account.call(i);
      assert.equal(r.telnyx_session_id ?? r.call_session_id, c.callSessionId);
      assert.equal(
        c.records.reduce((s, x) => s + parseMoney(x.cost), 0n),
        c.totalCostNanos,
      );
      assert.equal(parseMoney(r.cost), (parseMoney(r.rate) * BigInt(r.billed_sec)) / 60n);
    }
  });

  test('messaging rows: EUR and USD, cost = rate * parts with the carrier fee apart (as documented)', async () => {
    const { rows } = await walk('/detail_records?filter[record_type]=messaging');
    assert.deepEqual(new Set(rows.map((r) => r.currency)), new Set(['USD', 'EUR']));
    for (const r of rows) {
      if (r.status === 'gw_reject') continue;
      assert.equal(parseMoney(r.cost), parseMoney(r.rate) * BigInt(r.parts));
    }
  });
});

describe('auth and routing', () => {
  test('a missing or wrong key is a 401 with Telnyx error 10009', async () => {
    for (const key of [null, 'wrong']) {
      const { status, body } = await get('/detail_records?filter[record_type]=messaging', key);
      assert.equal(status, 401);
      assert.equal(body.errors[0].code, '10009');
      assert.equal(body.errors[0].title, 'Authentication failed');
    }
  });

  test('unknown routes are a 404', async () => {
    assert.equal((await get('/calls')).status, 404);
  });
});

describe('webhook deliveries', () => {
  let all: Json[];
  before(async () => {
    all = (await walk('/webhook_deliveries?sort=started_at', 250)).rows;
  });

  test('items have the delivery shape, sorted by started_at', () => {
    for (const d of all.slice(0, 50)) {
      assert.equal(d.record_type, 'webhook_delivery');
      assert.equal(d.status, 'delivered');
      assert.deepEqual(d.attempts, []);
      assert.ok(d.webhook.id && d.webhook.event_type && d.webhook.occurred_at && d.webhook.payload);
    }
    const starts = all.map((d) => Date.parse(d.started_at));
    for (let k = 1; k < starts.length; k++) assert.ok(starts[k]! >= starts[k - 1]!);
  });

  test('some deliveries repeat (same event id, new delivery id, later) and some arrive late', () => {
    const byEvent = new Map<string, Json[]>();
    for (const d of all) byEvent.set(d.webhook.id, [...(byEvent.get(d.webhook.id) ?? []), d]);
    const repeated = [...byEvent.values()].filter((ds) => ds.length > 1);
    assert.ok(repeated.length > 0);
    for (const [a, b] of repeated as [Json, Json][]) {
      assert.notEqual(a.id, b.id);
      assert.ok(Date.parse(b.started_at) > Date.parse(a.started_at));
      assert.deepEqual(a.webhook, b.webhook);
    }
    const late = all.filter((d) => Date.parse(d.started_at) - Date.parse(d.webhook.occurred_at) > 60_000);
    assert.ok(late.length > 0);
    // So occurrence order differs from delivery order.
    const occurred = all.map((d) => Date.parse(d.webhook.occurred_at));
    assert.ok(occurred.some((t, k) => k > 0 && t < occurred[k - 1]!));
  });

  test('filter[event_type] (comma-separated) and started_at window', async () => {
    const { rows } = await walk('/webhook_deliveries?filter[event_type]=call.cost,message.finalized', 250);
    assert.deepEqual(new Set(rows.map((d) => d.webhook.event_type)), new Set(['call.cost', 'message.finalized']));
    assert.equal(rows.length, all.filter((d) => ['call.cost', 'message.finalized'].includes(d.webhook.event_type)).length);
    const from = new Date(T0 + DAY).toISOString();
    const to = new Date(T0 + DAY + 3_600_000).toISOString();
    const win = await walk(`/webhook_deliveries?filter[event_type]=call.hangup&filter[started_at][gte]=${from}&filter[started_at][lte]=${to}`, 100);
    assert.ok(win.rows.length > 0);
    assert.ok(win.rows.every((d) => d.started_at >= from && d.started_at <= to && d.webhook.event_type === 'call.hangup'));
    assert.equal((await get('/webhook_deliveries?filter[status][eq]=failed')).body.meta.total_results, 0);
    assert.equal((await get('/webhook_deliveries?page[size]=251')).status, 400);
  });

  test("call.cost equals the call's records; call.hangup has no cost and no direction", () => {
    const costs = all.filter((d) => d.webhook.event_type === 'call.cost');
    assert.ok(costs.length > 0);
    for (const d of costs) {
      const p = d.webhook.payload;
      const c = sim.account.call(sim.account.findCall(p.call_leg_id)!);
      assert.equal(p.call_session_id, c.callSessionId);
      assert.equal(p.call_control_id, c.callControlId);
      assert.equal(p.status, 'success');
      assert.equal(parseMoney(p.total_cost), c.totalCostNanos);
      const ccPart = p.cost_parts.find((x: Json) => x.call_part === 'call-control');
      assert.equal(ccPart.currency, c.currency);
      if (c.hasRecord) assert.equal(ccPart.cost, c.records.find((r) => r.recordType === 'call-control')!.cost);
      assert.ok(Date.parse(d.webhook.occurred_at) > c.endMs);
    }
    for (const d of all.filter((x) => x.webhook.event_type === 'call.hangup').slice(0, 50)) {
      const p = d.webhook.payload;
      assert.ok(!('direction' in p) && !('cost' in p) && !('end_time' in p));
      assert.equal(p.call_quality_stats, null);
      assert.equal(Date.parse(d.webhook.occurred_at), sim.account.call(sim.account.findCall(p.call_leg_id)!).endMs);
    }
    const init = all.find((x) => x.webhook.event_type === 'call.initiated')!;
    assert.ok(['incoming', 'outgoing'].includes(init.webhook.payload.direction));
  });

  test('message events carry the message id and cost objects', () => {
    const fin = all.filter((d) => d.webhook.event_type === 'message.finalized');
    const sent = all.filter((d) => d.webhook.event_type === 'message.sent');
    assert.ok(fin.length > 0 && sent.some((d) => d.webhook.payload.cost === null));
    for (const d of fin) {
      const p = d.webhook.payload;
      const m = sim.account.message(sim.account.findMessage(p.id)!);
      assert.equal(p.cost.amount, m.cost);
      assert.equal(p.cost.currency, m.currency);
      assert.equal(p.from.phone_number, m.from);
      assert.equal(p.to[0].phone_number, m.to);
      assert.equal(p.cost_breakdown.carrier_fee.amount, m.carrierFee);
    }
    assert.ok(all.some((d) => d.webhook.event_type === 'message.received'));
  });

  test('deliveries that have not started yet are invisible', async () => {
    try {
      sim.setNow(T0 + DAY);
      const { body } = await get('/webhook_deliveries?page[size]=250&sort=-started_at');
      assert.ok(body.meta.total_results < all.length);
      assert.ok(body.data.every((d: Json) => Date.parse(d.started_at) <= T0 + DAY));
    } finally {
      sim.setNow(END);
    }
  });
});

describe('stats', () => {
  test('counts requests per path and status, and records served', async () => {
    sim.resetStats();
    await get('/detail_records?filter[record_type]=messaging&page[size]=7');
    await get('/detail_records?filter[record_type]=call');
    await get('/webhook_deliveries?page[size]=3', 'nope');
    const s = sim.stats();
    assert.equal(s.requests, 3);
    assert.deepEqual(s.byPathStatus['/v2/detail_records'], { '200': 1, '400': 1 });
    assert.deepEqual(s.byPathStatus['/v2/webhook_deliveries'], { '401': 1 });
    assert.equal(s.recordsServed, 7);
    assert.equal(s.byStatus['200'], 1);
  });
});
