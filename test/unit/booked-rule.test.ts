// "Booked" has one definition (electron/core/ledger/booked.ts): the exact cost when its source
// is Telnyx's, else the estimate. The cost writers never leave a row where that differs from
// "the exact cost when one is stored" (COALESCE(exact_nanos, estimated_nanos)), but the schema
// allows such rows (a hand-edited or restored file): here every reader of a booked amount —
// the calls list, the overview, a statement and its rows, the alerts' day spend and call
// check, a backup's summary, the jobs list — gives the same answer on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookedCost } from '../../electron/core/ledger/booked.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import { summaryViews } from '../../electron/core/views/summary.ts';
import { statementFor } from '../../electron/core/statements/index.ts';
import { statementRows } from '../../electron/core/views/statement-rows.ts';
import { alertEvaluator, rebuildDaySpend } from '../../electron/core/alerts/evaluate.ts';
import { alertStore } from '../../electron/core/alerts/store.ts';
import { summarizeLedger } from '../../electron/core/backup/snapshot.ts';
import { CallsQuery } from '../../shared/contract.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 10, 12);
const NUMBER = '+15550001111';

/** Three calls: a normal exact one, and the two rows on which the two tests would differ. */
function ledgerWithDisagreeingRows() {
  const ledger = openTestLedger();
  const insert = ledger.db.prepare(
    `INSERT INTO calls (call_leg_id, our_number, other_number, direction, started_at, billed_sec, estimated_nanos, estimate_currency,
       exact_nanos, currency, cost_source, cost_status, created_at, updated_at)
     VALUES (@leg, @number, '+12025550100', 'outbound', @at, 60, @est, 'USD', @exact, @cur, @source, @status, 0, 0)`,
  );
  ledger.tx(() => {
    // Telnyx's cost booked: 7 USD (estimate 3 USD).
    insert.run({ leg: 'exact', number: NUMBER, at: T, est: 3_000_000_000n, exact: 7_000_000_000n, cur: 'USD', source: 'detail_record', status: 'exact' });
    // An exact_nanos beside source 'estimate': the estimate (2 USD) is booked, not 50 USD.
    insert.run({
      leg: 'stray-exact',
      number: NUMBER,
      at: T + 1,
      est: 2_000_000_000n,
      exact: 50_000_000_000n,
      cur: null,
      source: 'estimate',
      status: 'estimated',
    });
    // No source at all, yet an exact_nanos: still the estimate (1 USD).
    insert.run({ leg: 'no-source', number: NUMBER, at: T + 2, est: 1_000_000_000n, exact: 40_000_000_000n, cur: null, source: null, status: 'open' });
  });
  return ledger;
}

test('the TypeScript rule: the source decides, each amount in its own currency', () => {
  const c = { exactNanos: 5n, currency: 'EUR', estimatedNanos: 3n, estimateCurrency: 'USD' };
  assert.deepEqual(bookedCost({ ...c, costSource: 'detail_record' }), { nanos: 5n, currency: 'EUR', exact: true });
  assert.deepEqual(bookedCost({ ...c, costSource: 'manual' }), { nanos: 5n, currency: 'EUR', exact: true });
  assert.deepEqual(bookedCost({ ...c, costSource: 'estimate' }), { nanos: 3n, currency: 'USD', exact: false });
  assert.deepEqual(bookedCost({ ...c, costSource: null }), { nanos: 3n, currency: 'USD', exact: false });
});

test('every reader books the same amount on rows where exact_nanos and cost_source disagree', () => {
  const ledger = ledgerWithDisagreeingRows();
  try {
    // Calls list (TypeScript rule) and its booked sort (SQL rule) agree.
    const list = callViews(ledger.db).list(CallsQuery.parse({ sort: 'booked', dir: 'asc' }));
    assert.deepEqual(
      list.rows.map((r) => [r.callLegId, r.booked?.amount, r.booked?.currency, r.exact?.amount ?? null]),
      [
        ['no-source', '1.00', 'USD', null],
        ['stray-exact', '2.00', 'USD', null],
        ['exact', '7.00', 'USD', '7.00'],
      ],
    );

    // The overview (the summary cache). Its groups are keyed by the stored currency pair
    // (migration 3), so these rows keep calls.currency NULL, as every writer leaves it beside an
    // estimate; a currency stored beside cost_source 'estimate' would put the estimate in that group.
    const [sum] = summaryViews(ledger.db).summary({ from: T - DAY, to: T + DAY });
    assert.equal(sum?.bookedTotal.amount, '10.00');
    assert.equal(sum?.exactTotal.amount, '7.00');

    // A statement: one USD section booking 7 exact + 3 estimated, and its rows.
    const st = statementFor(ledger.db, { month: '2026-03' }, T);
    assert.deepEqual(
      st.sections.map((s) => [
        s.currency,
        s.callsTotal.exact,
        s.callsTotal.estimated,
        s.callsTotal.booked,
        s.callsTotal.exactCalls,
        s.callsTotal.estimatedCalls,
      ]),
      [['USD', 7_000_000_000n, 3_000_000_000n, 10_000_000_000n, 1, 2]],
    );
    assert.deepEqual(
      st.sections[0]!.topDestinations.map((d) => d.booked),
      [10_000_000_000n],
    );
    assert.deepEqual(
      [...statementRows(ledger.db, st).calls()].map((c) => [c.booked, c.currency, c.status]),
      [
        [7_000_000_000n, 'USD', 'exact'],
        [2_000_000_000n, 'USD', 'estimated'],
        [1_000_000_000n, 'USD', 'estimated'],
      ],
    );

    // Alerts: the day's booked spend, and a one-call rule at 5 USD fires for the 7 USD call only.
    const store = alertStore(ledger.db);
    ledger.tx(() => {
      rebuildDaySpend(ledger.db);
      store.addRule({ kind: 'call_cost', currency: 'USD', threshold: '5', enabled: true }, T);
      store.addRule({ kind: 'daily_spend', currency: 'USD', threshold: '9.99', enabled: true }, T);
      alertEvaluator(ledger.db, () => T)([{ number: NUMBER, day: Math.floor(T / DAY) }]);
    });
    assert.deepEqual(
      store
        .firings(false, 10)
        .map((f) => [f.kind, f.amount, f.currency])
        .sort(),
      [
        ['call_cost', '7.00', 'USD'],
        ['daily_spend', '10.00', 'USD'],
      ],
    );

    // A backup's summary.
    assert.deepEqual(summarizeLedger(ledger.db).bookedCalls, [{ currency: 'USD', nanos: 10_000_000_000n }]);
  } finally {
    ledger.close();
  }
});

test('the jobs list shows each call at its booked amount', () => {
  const ledger = ledgerWithDisagreeingRows();
  try {
    ledger.db
      .prepare(`INSERT INTO jobs (kind, call_id, status, next_run_at, created_at, updated_at) SELECT 'call_cost', id, 'failed', 0, 0, 0 FROM calls`)
      .run();
    const ids = ledger.db.prepare('SELECT id FROM calls ORDER BY id').pluck().all() as number[];
    assert.deepEqual(
      ids.map((id) => ledger.jobs.viewForCall(id)?.amount),
      [
        { amount: '7.00', currency: 'USD' },
        { amount: '2.00', currency: 'USD' },
        { amount: '1.00', currency: 'USD' },
      ],
    );
  } finally {
    ledger.close();
  }
});
