// The overview's figures come through the hourly/daily caches of the calls rows (migration 3):
// whatever writes happen (in ledger.tx or outside it, leaving hours dirty), for any range
// (aligned to days, hours, or neither), summary() and daily() equal sums computed here in
// TypeScript from the rows themselves. A cache that drifted from its rows fails this.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatMoney } from '../../shared/money.ts';
import { summaryViews } from '../../electron/core/views/summary.ts';
import { percent } from '../../electron/core/views/money-view.ts';
import { withTestLedger } from '../helpers/ledger.ts';
import { tempLedgerPath } from '../helpers/temp.ts';
import { openLedger, openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { MIGRATIONS } from '../../electron/core/ledger/migrations.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2026, 3, 10);
const NUMBERS = ['+15550000001', '+15550000002', '+4930000003'];
const SOURCES = [null, 'estimate', 'call_cost_event', 'detail_record', 'manual'] as const;
const STATUSES = ['open', 'estimated', 'exact', 'not_billable', 'no_record'] as const;
const JOBS = [null, 'pending', 'running', 'completed', 'failed', 'no_record'] as const;

const money = fc.option(fc.bigInt({ min: -2_000_000_000n, max: 90_000_000_000n }), { nil: null });
const currency = fc.option(fc.constantFrom('USD', 'EUR'), { nil: null });
const when = fc.integer({ min: 0, max: 3 * DAY - 1 }).map((ms) => BASE + ms);
const callFields = fc.record({
  number: fc.constantFrom(...NUMBERS),
  startedAt: fc.option(when, { nil: null, freq: 8 }),
  billedSec: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
  callSec: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
  estimated: money,
  estimateCurrency: currency,
  actual: money,
  currency,
  source: fc.constantFrom(...SOURCES),
  status: fc.constantFrom(...STATUSES),
  job: fc.constantFrom(...JOBS),
});
type Fields = typeof callFields extends fc.Arbitrary<infer T> ? T : never;
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), fields: callFields, inTx: fc.boolean() }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), fields: callFields, inTx: fc.boolean() }),
);
const range = fc
  .tuple(fc.integer({ min: -HOUR, max: 3 * DAY + HOUR }), fc.integer({ min: 1, max: 3 * DAY }), fc.constantFrom('ms', 'hour', 'day'))
  .map(([start, length, align]) => {
    const unit = align === 'day' ? DAY : align === 'hour' ? HOUR : 1;
    const from = BASE + Math.floor(start / unit) * unit;
    return { from, to: from + Math.max(unit, Math.floor(length / unit) * unit) };
  });

function write(ledger: Ledger, id: number | null, f: Fields): number {
  const params = {
    number: f.number,
    started: f.startedAt,
    billed: f.billedSec,
    sec: f.callSec,
    est: f.estimated,
    estCur: f.estimateCurrency,
    actual: f.actual,
    cur: f.currency,
    source: f.source,
    status: f.status,
  };
  let callId = id;
  if (callId === null) {
    callId = Number(
      ledger.db
        .prepare(
          `INSERT INTO calls (call_leg_id, our_number, other_number, direction, started_at, billed_sec, call_sec, estimated_nanos,
             estimate_currency, exact_nanos, currency, cost_source, cost_status, created_at, updated_at)
           VALUES (hex(randomblob(8)), @number, '+12025550100', 'outbound', @started, @billed, @sec, @est, @estCur, @actual, @cur, @source, @status, 0, 0)`,
        )
        .run(params).lastInsertRowid,
    );
  } else {
    ledger.db
      .prepare(
        `UPDATE calls SET our_number = @number, started_at = @started, billed_sec = @billed, call_sec = @sec, estimated_nanos = @est,
           estimate_currency = @estCur, exact_nanos = @actual, currency = @cur, cost_source = @source, cost_status = @status WHERE id = @id`,
      )
      .run({ ...params, id: callId });
  }
  if (f.job === null) ledger.db.prepare('DELETE FROM jobs WHERE call_id = ?').run(callId);
  else {
    ledger.db
      .prepare(
        `INSERT INTO jobs (kind, call_id, status, created_at, updated_at) VALUES ('call_cost', @id, @status, 0, 0)
         ON CONFLICT(call_id) DO UPDATE SET status = excluded.status`,
      )
      .run({ id: callId, status: f.job });
  }
  return callId;
}

/** The overview's definitions, applied to the rows in TypeScript. */
function expected(ledger: Ledger, r: { from: number; to: number }, number: string | null = null) {
  const rows = ledger.db
    .prepare(
      `SELECT c.*, j.status AS job FROM calls c LEFT JOIN jobs j ON j.call_id = c.id
       WHERE c.started_at >= ? AND c.started_at < ? AND (? IS NULL OR c.our_number = ?)`,
    )
    .safeIntegers(true)
    .all(r.from, r.to, number, number) as Record<string, bigint | string | null>[];
  const groups = new Map<string, Record<string, bigint>>();
  const days = new Map<string, Record<string, bigint>>();
  const add = (m: Map<string, Record<string, bigint>>, k: string, f: string, v: bigint | null) => {
    const g = m.get(k) ?? {};
    m.set(k, g);
    g[f] = (g[f] ?? 0n) + (v ?? 0n);
  };
  for (const c of rows) {
    const cur = (c.currency ?? c.estimate_currency ?? 'USD') as string;
    const k = `${c.our_number as string} ${cur}`;
    const est = c.estimated_nanos as bigint | null;
    const act = c.exact_nanos as bigint | null;
    const exactSource = c.cost_source !== null && c.cost_source !== 'estimate';
    const comparable = exactSource && est !== null && c.estimate_currency !== null && c.estimate_currency === c.currency;
    add(groups, k, 'calls', 1n);
    add(groups, k, 'sec', (c.billed_sec ?? c.call_sec ?? 0n) as bigint);
    add(groups, k, 'estimated', c.estimate_currency !== null && c.estimate_currency === (c.currency ?? c.estimate_currency) ? est : null);
    add(groups, k, 'exact', exactSource ? act : null);
    add(groups, k, 'booked', exactSource ? act : est);
    add(groups, k, 'variance', comparable && act !== null ? act - est! : null);
    add(groups, k, 'base', comparable && act !== null ? est : null);
    add(groups, k, 'exactCalls', c.cost_status === 'exact' || c.cost_status === 'not_billable' ? 1n : 0n);
    add(groups, k, 'pending', c.job === 'pending' || c.job === 'running' ? 1n : 0n);
    add(groups, k, 'failed', c.job === 'failed' ? 1n : 0n);
    const day = `${new Date(Number(c.started_at)).toISOString().slice(0, 10)} ${cur}`;
    add(days, day, 'estimated', c.estimate_currency !== null && c.estimate_currency === (c.currency ?? c.estimate_currency) ? est : null);
    add(days, day, 'exact', exactSource ? act : null);
    add(days, day, 'booked', exactSource ? act : est);
  }
  const summary = [...groups].map(([k, g]) => {
    const [number, cur] = k.split(' ') as [string, string];
    const m = (v: bigint | undefined) => ({ amount: formatMoney(v ?? 0n), currency: cur });
    return {
      number,
      currency: cur,
      calls: Number(g.calls),
      minutes: `${g.sec! / 60n}.${((g.sec! % 60n) * 10n) / 60n}`,
      estimatedTotal: m(g.estimated),
      exactTotal: m(g.exact),
      bookedTotal: m(g.booked),
      variance: !g.variance && !g.base ? null : m(g.variance),
      variancePct: percent(g.variance ?? 0n, g.base ?? 0n),
      exactCalls: Number(g.exactCalls),
      pendingCalls: Number(g.pending),
      failedCalls: Number(g.failed),
    };
  });
  const daily = [...days].map(([k, d]) => {
    const [day, cur] = k.split(' ') as [string, string];
    return { day, currency: cur, estimated: formatMoney(d.estimated ?? 0n), exact: formatMoney(d.exact ?? 0n), booked: formatMoney(d.booked ?? 0n) };
  });
  const order = (a: { k: string }, b: { k: string }) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
  return {
    summary: summary
      .map((s) => ({ k: `${s.number} ${s.currency}`, s }))
      .sort(order)
      .map((x) => x.s),
    daily: daily
      .map((d) => ({ k: `${d.day} ${d.currency}`, d }))
      .sort(order)
      .map((x) => x.d),
  };
}

test('summary and daily equal the sums of the rows, whatever was written and however the range falls', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), fc.array(range, { minLength: 1, maxLength: 4 }), (ops, ranges) =>
      withTestLedger((ledger) => {
        const ids: number[] = [];
        for (const o of ops) {
          const id = o.kind === 'update' && ids.length ? ids[o.pick % ids.length]! : null;
          const run = () => write(ledger, id, o.fields);
          const written = o.inTx ? ledger.tx(run) : run();
          if (id === null) ids.push(written);
        }
        const views = summaryViews(ledger.db);
        for (const r of ranges) {
          const want = expected(ledger, r);
          const got = views.summary(r).map(({ messages: _m, messagesTotal: _t, ...rest }) => rest);
          const byKey = (a: { number: string; currency: string }, b: { number: string; currency: string }) =>
            `${a.number} ${a.currency}` < `${b.number} ${b.currency}` ? -1 : 1;
          assert.deepEqual(got.sort(byKey), want.summary.sort(byKey));
          assert.deepEqual(views.daily(r), want.daily);
          for (const n of NUMBERS) assert.deepEqual(views.daily(r, n), expected(ledger, r, n).daily);
        }
      }),
    ),
    { numRuns: 150 },
  );
});

test('a committed transaction leaves no hour dirty; a write outside one is recomputed by the next', () =>
  withTestLedger((ledger) => {
    const f: Fields = {
      number: NUMBERS[0]!,
      startedAt: BASE + 5 * HOUR,
      billedSec: 60,
      callSec: 60,
      estimated: 250_000n,
      estimateCurrency: 'USD',
      actual: null,
      currency: null,
      source: 'estimate',
      status: 'estimated',
      job: 'pending',
    };
    ledger.tx(() => write(ledger, null, f));
    assert.equal(ledger.callTotals.dirtyHours(), 0);
    const id = write(ledger, null, { ...f, startedAt: BASE + 30 * HOUR });
    assert.equal(ledger.callTotals.dirtyHours(), 1);
    // Read while dirty: still the rows' answer.
    const views = summaryViews(ledger.db);
    const full = { from: BASE, to: BASE + 2 * DAY };
    assert.equal(views.summary(full)[0]!.calls, 2);
    assert.equal(views.summary(full)[0]!.pendingCalls, 2);
    ledger.tx(() => write(ledger, id, { ...f, startedAt: BASE + 31 * HOUR, job: 'failed' }));
    assert.equal(ledger.callTotals.dirtyHours(), 0);
    const row = views.summary(full)[0]!;
    assert.deepEqual([row.calls, row.pendingCalls, row.failedCalls], [2, 1, 1]);
    const cached = ledger.db.prepare('SELECT SUM(calls) FROM call_day_totals').pluck().get();
    assert.equal(cached, 2);
  }));

test('a ledger from before the caches gets them on open, computed from its rows', () => {
  const file = tempLedgerPath();
  const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version < 3) });
  const insert = old.prepare(
    `INSERT INTO calls (call_leg_id, our_number, other_number, direction, started_at, billed_sec, estimated_nanos, estimate_currency,
       cost_source, cost_status, created_at, updated_at) VALUES (?, ?, '+12025550100', 'inbound', ?, 60, 250000, 'USD', 'estimate', 'estimated', 0, 0)`,
  );
  for (let k = 0; k < 50; k++) insert.run(`leg-${k}`, NUMBERS[k % 3], BASE + k * 97 * 60_000);
  old.close();
  const ledger = openLedgerFile(file);
  try {
    assert.equal(ledger.callTotals.dirtyHours(), 0);
    assert.equal(ledger.db.prepare('SELECT SUM(calls) FROM call_hour_totals').pluck().get(), 50);
    assert.equal(ledger.db.prepare('SELECT SUM(calls) FROM call_day_totals').pluck().get(), 50);
    const r = { from: BASE, to: BASE + 4 * DAY };
    const got = summaryViews(ledger.db)
      .summary(r)
      .map(({ messages: _m, messagesTotal: _t, ...rest }) => rest);
    assert.deepEqual(got, expected(ledger, r).summary);
  } finally {
    ledger.close();
  }
});

test('amounts that overflow a sum never block a write: their day stays summed from the rows', () =>
  withTestLedger((ledger) => {
    const huge: Fields = {
      number: NUMBERS[0]!,
      startedAt: BASE + 2 * HOUR,
      billedSec: 60,
      callSec: 60,
      estimated: null,
      estimateCurrency: null,
      actual: 9_000_000_000_000_000_000n,
      currency: 'USD',
      source: 'detail_record',
      status: 'exact',
      job: null,
    };
    ledger.tx(() => write(ledger, null, huge));
    // A second such amount in the same hour: the hour's sum passes int64, and the write still commits.
    ledger.tx(() => write(ledger, null, { ...huge, startedAt: BASE + 2 * HOUR + 1000 }));
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get(), 2);
    assert.ok(ledger.callTotals.dirtyHours() > 0, 'the overflowing hour stays dirty');
    // Other numbers and days keep their caches.
    const fine: Fields = { ...huge, number: NUMBERS[1]!, startedAt: BASE + 2 * DAY, actual: 5_000_000n };
    ledger.tx(() => write(ledger, null, fine));
    const views = summaryViews(ledger.db);
    const other = views.summary({ from: BASE + 2 * DAY, to: BASE + 3 * DAY });
    assert.deepEqual(
      other.map((r) => [r.number, r.exactTotal.amount]),
      [[NUMBERS[1], '0.005']],
    );
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM call_day_totals WHERE our_number = ?').pluck().get(NUMBERS[1]), 1);
    // Reading the overflowing day gives the exact sum past int64 (never a wrapped total, never a failure).
    const day = views.summary({ from: BASE, to: BASE + DAY });
    assert.deepEqual(
      day.map((r) => [r.number, r.exactTotal.amount, r.bookedTotal.amount, r.calls]),
      [[NUMBERS[0], '18000000000.00', '18000000000.00', 2]],
    );
    assert.deepEqual(
      views.daily({ from: BASE, to: BASE + DAY }).map((d) => d.exact),
      ['18000000000.00'],
    );
    // A range of whole days and hours (the cache path) that holds it reads the same.
    assert.equal(views.summary({ from: BASE, to: BASE + 3 * DAY }).find((r) => r.number === NUMBERS[0])?.exactTotal.amount, '18000000000.00');
  }));
