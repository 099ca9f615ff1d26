// The pure parts of the fetcher: the retry schedule and its end states, lookup windows, and
// how many lookups become few shared query windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  afterNotFound,
  afterTransient,
  firstRunAt,
  lookupWindow,
  nextRunAt,
  settleDeadline,
  type ScheduleSettings,
} from '../../electron/core/jobs/schedule.ts';
import { planWindows, type LookupTarget } from '../../electron/core/reconcile/plan.ts';
import { Coverage } from '../../electron/core/reconcile/coverage.ts';

const MIN = 60_000;
const S: ScheduleSettings = {
  retryScheduleMs: [5_000, 30_000, MIN, 2 * MIN, 4 * MIN, 8 * MIN, 16 * MIN],
  settleWindowMs: 24 * 60 * MIN,
};

test('attempts run at hangup + each delay, then failed, then no_record at the settle deadline', () => {
  const ref = Date.UTC(2026, 0, 15, 12);
  let t = firstRunAt(S, ref);
  assert.equal(t, ref + 5_000);
  const seen: number[] = [t - ref];
  let attempts = 0;
  for (;;) {
    const out = afterNotFound(S, { ref, attempts, answered: true }, t);
    attempts = out.attempts;
    if (out.status !== 'pending') {
      assert.equal(out.status, 'failed');
      assert.equal(attempts, 7);
      assert.equal(out.nextRunAt, settleDeadline(S, ref, true));
      t = out.nextRunAt;
      break;
    }
    t = out.nextRunAt;
    seen.push(t - ref);
  }
  assert.deepEqual(seen, [5_000, 30_000, MIN, 2 * MIN, 4 * MIN, 8 * MIN, 16 * MIN]);
  // The last look, at the deadline, ends it.
  assert.deepEqual(afterNotFound(S, { ref, attempts, answered: true }, t), { status: 'no_record', attempts: 8, nextRunAt: null });
  // An unanswered call settles sooner (1 h by default).
  assert.equal(settleDeadline(S, ref, false), ref + 60 * MIN);
});

test('a backlog (offsets in the past) still spaces attempts; errors never use an attempt', () => {
  const ref = Date.UTC(2026, 0, 1);
  const now = ref + 5 * 24 * 60 * MIN;
  assert.equal(nextRunAt(S, ref, 3, now), now + 5_000);
  const e = afterTransient(S, { ref: now - MIN, attempts: 2, answered: true }, now, 90_000);
  assert.deepEqual(e, { status: 'pending', attempts: 2, nextRunAt: now + 90_000 });
  assert.equal(afterTransient(S, { ref: now - MIN, attempts: 2, answered: true }, now, null).nextRunAt, now + 30_000);
  // Out of attempts (or past the deadline) and still erroring: stays "failed".
  assert.equal(afterTransient(S, { ref: now - MIN, attempts: 7, answered: true }, now, null).status, 'failed');
  assert.equal(afterTransient(S, { ref, attempts: 0, answered: true }, now, null).status, 'failed');
});

test('lookup windows: tight for a fresh call, growing for an old one, the whole settle window at the end', () => {
  const ref = Date.UTC(2026, 0, 15, 12);
  const start = ref - 3 * MIN;
  const fresh = lookupWindow(S, { ref, start, attempts: 0, answered: true }, ref + 5_000);
  assert.equal(fresh.from, start - 2 * MIN);
  assert.equal(fresh.to, ref + 5_000 + 1000);
  assert.equal(fresh.final, false);
  const now = ref + 10 * 24 * 60 * MIN;
  const w0 = lookupWindow(S, { ref: ref + 2 * 24 * 60 * MIN, start: null, attempts: 0, answered: true }, ref + 2 * 24 * 60 * MIN + 10 * MIN);
  assert.equal(w0.to - (ref + 2 * 24 * 60 * MIN), 10 * MIN + 1000);
  const a0 = lookupWindow(S, { ref: now - 60 * MIN, start: null, attempts: 0, answered: true }, now);
  const a1 = lookupWindow(S, { ref: now - 6 * 60 * MIN, start: null, attempts: 1, answered: true }, now);
  assert.equal(a0.to - (now - 60 * MIN), 30 * MIN + 1000);
  assert.equal(a1.to - (now - 6 * 60 * MIN), 120 * MIN + 1000);
  const last = lookupWindow(S, { ref, start, attempts: 7, answered: true }, now);
  assert.equal(last.final, true);
  assert.equal(last.to, ref + 24 * 60 * MIN + 1000);
});

test('planning: every target is covered by windows that together span its own window', () => {
  const target = fc.record({ from: fc.integer({ min: 0, max: 1e8 }), len: fc.integer({ min: 1, max: 1e7 }) });
  fc.assert(
    fc.property(fc.array(target, { maxLength: 60 }), fc.integer({ min: 60_000, max: 5e7 }), fc.integer({ min: 0, max: 1e7 }), (ts, maxWindowMs, joinGapMs) => {
      const targets: LookupTarget[] = ts.map((t, key) => ({ key, from: t.from, to: t.from + t.len }));
      const windows = planWindows(targets, { maxWindowMs, joinGapMs });
      for (const w of windows) {
        assert.ok(w.to - w.from <= Math.max(60_000, maxWindowMs) + 1);
        assert.ok(w.keys.length > 0);
      }
      // Windows never overlap: no record is fetched twice in one pass.
      const sorted = [...windows].sort((a, b) => a.from - b.from);
      for (let k = 1; k < sorted.length; k++) assert.ok(sorted[k]!.from >= sorted[k - 1]!.to);
      for (const t of targets) {
        const mine = sorted.filter((w) => w.keys.includes(t.key));
        assert.ok(mine.length > 0);
        // Contiguous cover of [from, to).
        assert.ok(mine[0]!.from <= t.from);
        assert.ok(mine[mine.length - 1]!.to >= t.to);
        for (let k = 1; k < mine.length; k++) assert.equal(mine[k]!.from, mine[k - 1]!.to);
      }
    }),
  );
});

test('planning merges calls ending close together into one window', () => {
  const base = Date.UTC(2026, 0, 15, 12);
  const targets = Array.from({ length: 100 }, (_, key) => ({ key, from: base + key * 15_000, to: base + key * 15_000 + 20 * MIN }));
  const windows = planWindows(targets);
  assert.equal(windows.length, 1);
  assert.equal(windows[0]!.keys.length, 100);
  // Far apart: separate windows.
  assert.equal(
    planWindows([
      { key: 1, from: base, to: base + MIN },
      { key: 2, from: base + 10 * 60 * MIN, to: base + 10 * 60 * MIN + MIN },
    ]).length,
    2,
  );
});

test('coverage: what a pass has read, and what is left of a window', () => {
  const span = fc.record({ from: fc.integer({ min: 0, max: 1000 }), len: fc.integer({ min: 0, max: 200 }) });
  fc.assert(
    fc.property(fc.array(span, { maxLength: 12 }), span, (added, q) => {
      const c = new Coverage();
      for (const a of added) c.add(a.from, a.from + a.len);
      const read = (t: number) => added.some((a) => t >= a.from && t < a.from + a.len);
      // Spans stay sorted and disjoint.
      for (let k = 1; k < c.spans.length; k++) assert.ok(c.spans[k]!.from > c.spans[k - 1]!.to);
      const missing = c.missing(q.from, q.from + q.len);
      for (let t = q.from; t < q.from + q.len; t++) {
        const inMissing = missing.some((m) => t >= m.from && t < m.to);
        assert.equal(inMissing, !read(t), `t=${t}`);
      }
    }),
  );
});
