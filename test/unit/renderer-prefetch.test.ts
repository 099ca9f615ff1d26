// The renderer's boot-time prefetch and early event stream, over a transport that records
// what reaches it (the host end of the wire: the thing these modules talk to).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Method } from '../../shared/contract.ts';
import { withEarlyEvents } from '../../renderer/api/early-events.ts';
import { PREFETCH_TTL_MS, prefetch } from '../../renderer/api/prefetch.ts';
import type { RawTransport } from '../../renderer/api/types.ts';

interface Wire extends RawTransport {
  asked: Array<[Method, unknown]>;
  answer(index: number, raw: unknown): void;
  push(event: string, payload: unknown): void;
  subscribers: number;
}

function wire(): Wire {
  const answers: Array<(raw: unknown) => void> = [];
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const w: Wire = {
    platform: 'web',
    asked: [],
    subscribers: 0,
    invoke(method, input) {
      w.asked.push([method, input]);
      return new Promise((resolve) => answers.push(resolve));
    },
    subscribe(listener) {
      listeners.add(listener);
      w.subscribers++;
      return () => listeners.delete(listener);
    },
    answer: (index, raw) => answers[index]!(raw),
    push: (event, payload) => {
      for (const l of listeners) l(event, payload);
    },
  };
  return w;
}

const RANGE = { range: { from: 1, to: 2 } };
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('asks in the given order at once, and hands each answer to one matching call', async () => {
  const w = wire();
  const p = prefetch(w, [
    ['app.info', {}],
    ['overview.summary', RANGE],
  ]);
  assert.deepEqual(w.asked, [
    ['app.info', {}],
    ['overview.summary', RANGE],
  ]);

  assert.equal(p.take('overview.summary', { range: { from: 1, to: 3 } }), undefined, 'another input is another question');
  const pending = p.take('overview.summary', { range: { from: 1, to: 2 } });
  assert.ok(pending);
  assert.equal(p.take('overview.summary', RANGE), undefined, 'handed out once');
  w.answer(1, { ok: true, value: { rows: [] } });
  assert.deepEqual(await pending, { ok: true, value: { rows: [] } });
  assert.equal(w.asked.length, 2, 'no second request');
});

test('stale answers are not handed out: after the TTL, or once dropped', async () => {
  let now = 0;
  const w = wire();
  const p = prefetch(
    w,
    [
      ['app.info', {}],
      ['sync.status', {}],
    ],
    () => now,
  );
  w.answer(0, { ok: true, value: 1 });
  w.answer(1, { ok: true, value: 2 });
  await tick();
  now = PREFETCH_TTL_MS + 1;
  assert.equal(p.take('app.info', {}), undefined);
  assert.equal(p.take('sync.status', {}), undefined);
});

test('a write drops exactly the answers that read what it wrote (shared/access.ts)', () => {
  const q = prefetch(
    wire(),
    [
      ['app.info', {}],
      ['overview.summary', RANGE],
      ['sync.status', {}],
    ],
    () => 0,
  );
  q.dropStale(['imports']);
  q.dropStale(['calls']);
  assert.equal(q.take('overview.summary', RANGE), undefined, 'the summary reads calls');
  assert.notEqual(q.take('app.info', {}), undefined, 'app.info reads only the mode');
  q.dropStale(['mode', 'sync']);
  assert.equal(q.take('sync.status', {}), undefined);
});

test('events from before the app listens are held, then handed to every first listener', async () => {
  const w = wire();
  const t = withEarlyEvents(w);
  assert.equal(w.subscribers, 1, 'the stream opens at once');
  w.push('ledger.changed', { at: 1, topics: ['calls'] });
  const a: unknown[] = [];
  const b: unknown[] = [];
  t.subscribe((event, payload) => a.push([event, payload]));
  // Registered in the same turn (React runs a commit's effects together): gets them too.
  t.subscribe((event, payload) => b.push([event, payload]));
  assert.deepEqual(a, [], 'handed over after the current turn');
  await Promise.resolve();
  assert.deepEqual(a, [['ledger.changed', { at: 1, topics: ['calls'] }]]);
  assert.deepEqual(b, a);
  w.push('sync.status', { running: true });
  assert.deepEqual(a.at(-1), ['sync.status', { running: true }], 'then live');
  assert.equal(w.subscribers, 1, 'one stream for the page');
});
