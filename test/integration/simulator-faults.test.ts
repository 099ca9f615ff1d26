// Faults over real HTTP: each kind, reproducible probabilities, control routes, and that a
// retry after any fault gets the right answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type RunningSimulator } from '../../electron/core/simulator/index.ts';

type Json = Record<string, any>;
let sim: RunningSimulator;
const PATH = '/detail_records?filter[record_type]=call-control&page[size]=10&page[number]=3';

function fetchRaw(path = PATH, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${sim.apiKey}`, ...init.headers } });
}

async function good(): Promise<Json> {
  const res = await fetchRaw();
  assert.equal(res.status, 200);
  return (await res.json()) as Json;
}

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, { method, body: body === undefined ? null : JSON.stringify(body) });
}

let reference: Json;
before(async () => {
  sim = await startSimulator({ calls: 500, messages: 100, seed: 3, now: () => Date.UTC(2026, 1, 1) });
  reference = await good();
});
after(() => sim.close());

test('status faults: 401, 403, 500, 503 with Telnyx error bodies; the retry is right', async () => {
  for (const [kind, code] of [
    ['401', '10009'],
    ['403', '10010'],
    ['500', '10007'],
    ['503', '10013'],
  ] as const) {
    sim.setFaults({ kind, count: 1 });
    const res = await fetchRaw();
    assert.equal(res.status, Number(kind));
    const body = (await res.json()) as Json;
    assert.equal(body.errors[0].code, code);
    assert.deepEqual(await good(), reference);
  }
});

test('429 carries rate-limit headers and Retry-After', async () => {
  sim.setFaults({ kind: 429, count: 1, retryAfterSec: 7 });
  const res = await fetchRaw();
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('x-ratelimit-limit'), '100');
  assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
  assert.equal(res.headers.get('x-ratelimit-reset'), '7');
  assert.equal(res.headers.get('retry-after'), '7');
  assert.equal(((await res.json()) as Json).errors[0].code, '10011');
  assert.deepEqual(await good(), reference);
});

test('slow answers correctly after the delay', async () => {
  sim.resetStats();
  sim.setFaults({ kind: 'slow', count: 1, delayMs: 150 });
  assert.deepEqual(await good(), reference);
  assert.equal(sim.stats().faults.slow, 1);
});

test('drop before headers and mid-body: the request fails, the retry does not', async () => {
  sim.setFaults({ kind: 'drop', count: 1 });
  await assert.rejects(fetchRaw());
  assert.deepEqual(await good(), reference);
  sim.setFaults({ kind: 'drop', count: 1, when: 'mid-body' });
  await assert.rejects(async () => {
    const res = await fetchRaw();
    assert.equal(res.status, 200);
    await res.text();
  });
  assert.deepEqual(await good(), reference);
  assert.equal(sim.stats().byStatus.dropped, 2);
});

test('truncated: 200 with valid headers, JSON cut in the middle', async () => {
  sim.setFaults({ kind: 'truncated', count: 1 });
  const res = await fetchRaw();
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(text.length > 10 && JSON.stringify(reference).startsWith(text));
  assert.throws(() => JSON.parse(text), SyntaxError);
  assert.deepEqual(await good(), reference);
});

test('malformed: 200 with a body that is not the envelope', async () => {
  sim.setFaults({ kind: 'malformed', count: 1 });
  const res = await fetchRaw();
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { data: 'oops' });
  assert.deepEqual(await good(), reference);
});

test('renamed: rows with cost missing, billed_sec a string, leg id renamed', async () => {
  sim.setFaults({ kind: 'renamed', count: 1 });
  const body = (await (await fetchRaw()).json()) as Json;
  assert.equal(body.data.length, 10);
  for (const r of body.data) {
    assert.ok(!('cost' in r));
    assert.equal(typeof r.billed_sec, 'string');
    assert.ok(!('call_leg_id' in r) && !('telnyx_leg_id' in r) && typeof r.leg_uuid === 'string');
  }
  assert.deepEqual(await good(), reference);
});

test('faults limited to a path leave other paths alone', async () => {
  sim.setFaults({ kind: '500', path: '/v2/webhook_deliveries' });
  assert.deepEqual(await good(), reference);
  assert.equal((await fetchRaw('/webhook_deliveries')).status, 500);
  sim.clearFaults();
  assert.equal((await fetchRaw('/webhook_deliveries')).status, 200);
});

test('a 30% fault run is reproducible from its seed (set over HTTP)', async () => {
  const run = async () => {
    const r = await control('POST', '/_sim/faults', { faults: [{ kind: '503', probability: 0.3, seed: 99 }] });
    assert.equal(r.status, 200);
    const statuses: number[] = [];
    for (let k = 0; k < 40; k++) {
      const res = await fetchRaw();
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    return statuses;
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
  assert.ok(a.includes(503) && a.includes(200));
  assert.equal((await control('DELETE', '/_sim/faults')).status, 200);
});

test('control routes: stats, clock, reset, bad rules', async () => {
  const before = (await (await control('GET', '/_sim/stats')).json()) as Json;
  assert.equal(typeof before.requests, 'number');
  const clock = (await (await control('POST', '/_sim/clock', { nowMs: Date.UTC(2026, 0, 1, 1) })).json()) as Json;
  assert.equal(clock.nowMs, Date.UTC(2026, 0, 1, 1));
  assert.equal(sim.now(), Date.UTC(2026, 0, 1, 1));
  const early = (await (await fetchRaw('/detail_records?filter[record_type]=call-control')).json()) as Json;
  assert.ok(early.meta.total_results < reference.meta.total_results);
  assert.equal((await control('POST', '/_sim/faults', { faults: [{ kind: 'nope' }] })).status, 400);
  assert.equal((await control('POST', '/_sim/reset')).status, 200);
  const s = (await (await control('GET', '/_sim/stats')).json()) as Json;
  assert.equal(s.requests, 0);
  assert.equal(sim.now(), Date.UTC(2026, 1, 1));
  const account = (await (await control('GET', '/_sim/account')).json()) as Json;
  assert.equal(account.callCount, 500);
});

test('honorIdFilters makes filter[call_leg_id] / [uuid] filter', async () => {
  const s2 = await startSimulator({ calls: 300, messages: 50, seed: 3, honorIdFilters: true, now: () => Date.UTC(2026, 1, 1) });
  try {
    const get = async (q: string) =>
      (await (await fetch(`${s2.baseUrl}/detail_records?${q}`, { headers: { authorization: `Bearer ${s2.apiKey}` } })).json()) as Json;
    const c = [...Array(300).keys()].map((i) => s2.account.call(i)).find((x) => x.hasRecord && !x.webrtc)!;
    const byLeg = await get(`filter[record_type]=call-control&filter[call_leg_id]=${c.callLegId}`);
    assert.equal(byLeg.meta.total_results, c.records[0]!.duplicated ? 2 : 1);
    assert.equal(byLeg.data[0].id, c.records[0]!.id);
    const none = await get(`filter[record_type]=call-control&filter[call_leg_id]=${crypto.randomUUID()}`);
    assert.equal(none.meta.total_results, 0);
    const m = [...Array(50).keys()].map((i) => s2.account.message(i)).find((x) => x.hasRecord)!;
    const byUuid = await get(`filter[record_type]=messaging&filter[uuid]=${m.id}`);
    assert.equal(byUuid.data[0].uuid, m.id);
  } finally {
    await s2.close();
  }
});
