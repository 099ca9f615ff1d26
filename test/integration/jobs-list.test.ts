// jobs.list as the Jobs screen reads it, on a real ledger through the write paths: "any of
// these statuses" (the status line's pending-or-failed link) and each job's booked amount.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseMoney } from '../../shared/money.ts';
import { applyCallCost, applyMessageCost, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const T = Date.UTC(2026, 0, 15, 12);
const ledger = openTestLedger();
after(() => ledger.close());

function call(leg: string): number {
  return ledger.calls.insert(
    {
      callLegId: leg,
      callSessionId: `sess-${leg}`,
      callControlId: null,
      ourNumber: '+15551234567',
      otherNumber: '+15557654321',
      direction: 'outbound',
      startedAt: T,
      answeredAt: T + 3000,
      endedAt: T + 63_000,
      callSec: 60,
      hangupCause: 'normal_clearing',
      connectionId: null,
    },
    T,
  );
}

test('jobs.list: any of several statuses, and what each subject is booked at', () => {
  const est = call('leg-est');
  bookCallEstimate(ledger, est, { nanos: parseMoney('0.0150'), currency: 'USD', method: 'fallback', rate: '0.015', billedSec: 60 }, T + 1);
  const exact = call('leg-exact');
  bookCallEstimate(ledger, exact, { nanos: parseMoney('0.0150'), currency: 'USD', method: 'fallback', rate: '0.015', billedSec: 60 }, T + 1);
  applyCallCost(ledger, exact, { source: 'detail_record', nanos: parseMoney('0.00372449'), currency: 'EUR', reason: 'record' }, T + 2);
  const bare = call('leg-bare');
  ledger.messages.upsert({ id: 'msg-1', ourNumber: '+15551234567', otherNumber: '+15557654321', direction: 'outbound', sentAt: T }, T);
  applyMessageCost(ledger, 'msg-1', { source: 'detail_record', nanos: parseMoney('0.0051'), carrierFeeNanos: null, currency: 'USD', reason: 'mdr' }, T + 3);
  const add = (column: 'call_id' | 'message_id', id: number | string, kind: string, status: string) =>
    Number(
      ledger.db
        .prepare(`INSERT INTO jobs (kind, ${column}, status, attempts, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?) RETURNING id`)
        .pluck()
        .get(kind, id, status, T, T),
    );
  const jobs = {
    pending: add('call_id', est, 'call_cost', 'pending'),
    completed: add('call_id', exact, 'call_cost', 'completed'),
    failed: add('call_id', bare, 'call_cost', 'failed'),
    message: add('message_id', 'msg-1', 'message_cost', 'running'),
  };
  const ids = (q: Parameters<typeof ledger.jobs.list>[0]) =>
    ledger.jobs
      .list(q)
      .rows.map((r) => r.id)
      .sort((a, b) => a - b);
  const page = { offset: 0, limit: 100 };
  assert.deepEqual(
    ids({ ...page, statuses: ['pending', 'running', 'failed'] }),
    [jobs.pending, jobs.failed, jobs.message].sort((a, b) => a - b),
  );
  assert.equal(ledger.jobs.list({ ...page, statuses: ['pending', 'running', 'failed'] }).total, 3);
  assert.deepEqual(ids({ ...page, statuses: ['completed'] }), [jobs.completed]);
  assert.deepEqual(ids({ ...page, statuses: ['failed', 'failed'] }), [jobs.failed], 'a repeated status is one');
  assert.deepEqual(ids({ ...page, statuses: ['pending', 'failed'], status: 'failed' }), [jobs.failed], 'with status: both hold');
  assert.deepEqual(ids({ ...page, statuses: ['pending'], status: 'failed' }), []);
  assert.deepEqual(ids({ ...page, statuses: ['pending', 'running', 'failed'], limit: 1, offset: 1 }).length, 1, 'paged');

  const amount = (id: number) => ledger.jobs.view(id)!.amount;
  assert.deepEqual(amount(jobs.pending), { amount: '0.015', currency: 'USD' }, 'its estimate until the exact cost comes');
  assert.deepEqual(amount(jobs.completed), { amount: '0.00372449', currency: 'EUR' }, 'the exact cost once known');
  assert.equal(amount(jobs.failed), null, 'nothing booked: no amount, never zero');
  assert.deepEqual(amount(jobs.message), { amount: '0.0051', currency: 'USD' });
});
