// Fault rules: counts, seeded probabilities, path limits; the row rewrite of `renamed`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultController, renameRow } from '../../electron/core/simulator/faults.ts';

const kinds = (c: FaultController, path: string, n: number) => Array.from({ length: n }, () => c.pick(path)?.kind ?? '-');

test('count mode fires for the next N matching requests only', () => {
  const c = new FaultController();
  c.set({ kind: 503, count: 2 });
  assert.deepEqual(kinds(c, '/v2/detail_records', 4), ['503', '503', '-', '-']);
  assert.deepEqual(c.describe(), []);
});

test('path limits a rule; rules apply in order', () => {
  const c = new FaultController();
  c.set([
    { kind: '429', count: 1, path: '/v2/webhook_deliveries', retryAfterSec: 3 },
    { kind: 'slow', count: 1, delayMs: 10 },
  ]);
  assert.equal(c.pick('/v2/detail_records')?.kind, 'slow');
  const f = c.pick('/v2/webhook_deliveries');
  assert.equal(f?.kind, '429');
  assert.equal(f?.retryAfterSec, 3);
  assert.equal(c.pick('/v2/webhook_deliveries'), null);
});

test('probability mode is reproducible from its seed', () => {
  const c = new FaultController();
  c.set({ kind: '500', probability: 0.3, seed: 42 });
  const first = kinds(c, '/v2/x', 200);
  c.set({ kind: '500', probability: 0.3, seed: 42 });
  assert.deepEqual(kinds(c, '/v2/x', 200), first);
  const hits = first.filter((k) => k === '500').length;
  assert.ok(hits > 30 && hits < 90, `about 30% of 200, got ${hits}`);
  c.set({ kind: '500', probability: 0.3, seed: 43 });
  assert.notDeepEqual(kinds(c, '/v2/x', 200), first);
});

test('no count and no probability: every matching request', () => {
  const c = new FaultController();
  c.set({ kind: 'drop' });
  assert.deepEqual(kinds(c, '/v2/a', 3), ['drop', 'drop', 'drop']);
  c.clear();
  assert.equal(c.pick('/v2/a'), null);
});

test('bad rules are refused', () => {
  const c = new FaultController();
  assert.throws(() => c.set({ kind: 'teapot' as never }), TypeError);
  assert.throws(() => c.set({ kind: '500', probability: 2 }), TypeError);
});

test('renamed rows lose cost, stringify seconds and rename the leg id', () => {
  const row = { id: 'r', telnyx_leg_id: 'l', cost: '0.01', billed_sec: 60, call_sec: 55 };
  assert.deepEqual(renameRow(row), { id: 'r', leg_uuid: 'l', billed_sec: '60', call_sec: '55' });
});
