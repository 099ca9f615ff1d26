// Migration 15: a write transaction may insert calls without marking their hours dirty and add
// their sums to the hour/day caches itself (ledger.callTotals.addCalls; the bulk import does).
// Checked against the caches' own recomputation from the rows: a ledger upgraded from 14,
// deferred inserts among ordinary writes (the same hours, later updates, jobs), sums past
// int64 (left dirty, never blocking the write), and a transaction that fails half-way (the
// flag row never commits, so later inserts mark their hours again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openLedger, openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { MIGRATIONS } from '../../electron/core/ledger/migrations.ts';
import { callTotalsAndTruth, openTestLedger } from '../helpers/ledger.ts';
import { tempLedgerPath } from '../helpers/temp.ts';

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 3, 10);

interface Call {
  number: string;
  startedAt: number;
  exact: bigint;
  currency: string;
  estimate: bigint | null;
  country: string | null;
  tags: string | null;
  billingGroupName: string | null;
  /** One id under two names: the caches keep the greatest name seen (MAX over the rows). */
  billingGroupId?: string | null;
}

let legs = 0;
function insertCall(ledger: Ledger, c: Call): number {
  return Number(
    ledger.db
      .prepare(
        `INSERT INTO calls (call_leg_id, our_number, other_number, direction, started_at, billed_sec, estimated_nanos, estimate_currency,
           exact_nanos, currency, cost_source, cost_status, country_code, tags, billing_group_name, billing_group_id, created_at, updated_at)
         VALUES (?, ?, '+12025550100', 'outbound', ?, 60, ?, ?, ?, ?, 'detail_record', 'exact', ?, ?, ?, ?, 0, 0)`,
      )
      .run(
        `leg-${++legs}`,
        c.number,
        c.startedAt,
        c.estimate,
        c.estimate === null ? null : c.currency,
        c.exact,
        c.currency,
        c.country,
        c.tags,
        c.billingGroupName,
        c.billingGroupId ?? null,
      ).lastInsertRowid,
  );
}

const call = fc.record({
  number: fc.constantFrom('+15550000001', '+15550000002'),
  startedAt: fc.integer({ min: 0, max: 50 * HOUR }).map((ms) => BASE + ms),
  exact: fc.bigInt({ min: 0n, max: 9_000_000_000n }),
  currency: fc.constantFrom('USD', 'EUR'),
  estimate: fc.option(fc.bigInt({ min: 0n, max: 9_000_000_000n }), { nil: null }),
  country: fc.option(fc.constantFrom('1', '49'), { nil: null }),
  tags: fc.option(fc.constantFrom('["a"]', '["b"]'), { nil: null }),
  billingGroupName: fc.option(fc.constantFrom('North', 'South'), { nil: null }),
  billingGroupId: fc.option(fc.constant('bg-1'), { nil: null }),
});
const step = fc.oneof(
  fc.record({ kind: fc.constant('deferred' as const), calls: fc.array(call, { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('plain' as const), calls: fc.array(call, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), exact: fc.bigInt({ min: 0n, max: 9_000_000_000n }) }),
  fc.record({ kind: fc.constant('job' as const), pick: fc.nat() }),
);

test('calls whose sums are added directly leave the caches their recomputation from the rows gives', () => {
  fc.assert(
    fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }), (transactions) => {
      const ledger = openTestLedger();
      try {
        for (const steps of transactions) {
          ledger.tx(() => {
            const added: number[] = [];
            for (const s of steps) {
              const ids = ledger.db.prepare('SELECT id FROM calls ORDER BY id').pluck().all() as number[];
              if (s.kind === 'deferred') {
                ledger.callTotals.deferInserts(true);
                for (const c of s.calls) added.push(insertCall(ledger, c));
                ledger.callTotals.deferInserts(false);
              } else if (s.kind === 'plain') {
                for (const c of s.calls) insertCall(ledger, c);
              } else if (ids.length && s.kind === 'update') {
                // A change to a call (added or not) marks its hour: recomputed from its rows.
                ledger.db.prepare('UPDATE calls SET exact_nanos = ? WHERE id = ?').run(s.exact, ids[s.pick % ids.length]);
              } else if (ids.length && s.kind === 'job') {
                const id = ids[s.pick % ids.length];
                ledger.db
                  .prepare(
                    `INSERT INTO jobs (kind, call_id, status, attempts, next_run_at, created_at, updated_at)
                     SELECT 'call_cost', ?, 'pending', 0, 0, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE call_id = ?)`,
                  )
                  .run(id, id);
              }
            }
            ledger.callTotals.addCalls(added);
          });
          assert.equal(ledger.callTotals.dirtyHours(), 0);
          assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM call_totals_deferred').pluck().get(), 0);
        }
        const { caches, truth } = callTotalsAndTruth(ledger);
        assert.deepEqual(caches, truth);
      } finally {
        ledger.close();
      }
    }),
    { numRuns: 60 },
  );
});

test('a ledger at migration 14 is upgraded: its caches stay right, and inserts still mark their hours unless deferred', () => {
  const file = tempLedgerPath();
  const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version < 15) });
  old
    .prepare(
      `INSERT INTO calls (call_leg_id, our_number, other_number, direction, started_at, billed_sec, exact_nanos, currency,
         cost_source, cost_status, created_at, updated_at) VALUES ('old-1', '+15550000001', '+12025550100', 'inbound', ?, 60, 5000000, 'USD', 'detail_record', 'exact', 0, 0)`,
    )
    .run(BASE);
  old.close();
  const ledger = openLedgerFile(file);
  try {
    assert.equal(ledger.db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get(), MIGRATIONS.at(-1)!.version);
    assert.equal(ledger.callTotals.dirtyHours(), 0);
    // An insert outside any deferral marks its hour, as before migration 15.
    insertCall(ledger, {
      number: '+15550000001',
      startedAt: BASE + 2 * HOUR,
      exact: 7n,
      currency: 'USD',
      estimate: null,
      country: null,
      tags: null,
      billingGroupName: null,
    });
    assert.deepEqual(ledger.db.prepare('SELECT our_number, hour FROM call_hours_dirty').raw().all(), [['+15550000001', (BASE + 2 * HOUR) / HOUR]]);
    ledger.tx(() => undefined);
    const { caches, truth } = callTotalsAndTruth(ledger);
    assert.deepEqual(caches, truth);
    assert.equal(ledger.db.prepare('SELECT SUM(calls) FROM call_hour_totals').pluck().get(), 2);
  } finally {
    ledger.close();
  }
});

test('sums past int64 among added calls never block the write: their hours are left to the recomputation, which keeps them dirty', () => {
  const ledger = openTestLedger();
  try {
    const huge = {
      number: '+15550000001',
      startedAt: BASE,
      exact: 9_000_000_000_000_000_000n,
      currency: 'USD',
      estimate: null,
      country: null,
      tags: null,
      billingGroupName: null,
    };
    ledger.tx(() => {
      ledger.callTotals.deferInserts(true);
      const ids = [insertCall(ledger, huge), insertCall(ledger, huge)];
      ledger.callTotals.deferInserts(false);
      ledger.callTotals.addCalls(ids);
    });
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get(), 2);
    // The overflowing hour stays dirty: readers sum its rows themselves (views/call-sums.ts).
    assert.equal(ledger.callTotals.dirtyHours(), 1);
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM call_hour_totals').pluck().get(), 0);
  } finally {
    ledger.close();
  }
});

test('a transaction that fails while deferring leaves no flag: later inserts mark their hours', () => {
  const ledger = openTestLedger();
  try {
    const c = { number: '+15550000001', startedAt: BASE, exact: 7n, currency: 'USD', estimate: null, country: null, tags: null, billingGroupName: null };
    assert.throws(() =>
      ledger.tx(() => {
        ledger.callTotals.deferInserts(true);
        insertCall(ledger, c);
        throw new Error('killed half-way');
      }),
    );
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM call_totals_deferred').pluck().get(), 0);
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get(), 0);
    ledger.tx(() => void insertCall(ledger, c));
    assert.equal(ledger.db.prepare('SELECT SUM(calls) FROM call_hour_totals').pluck().get(), 1);
  } finally {
    ledger.close();
  }
});
