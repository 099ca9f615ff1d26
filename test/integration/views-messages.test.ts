// The Messages list's cost-status filter and rate, through the real write paths
// (messages.upsert, applyMessageCost) on a real ledger file, read by the view the hosts use.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseMoney } from '../../shared/money.ts';
import { MessagesQuery } from '../../shared/contract.ts';
import { applyMessageCost } from '../../electron/core/costs/apply.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const T = Date.UTC(2026, 0, 15, 12);
const A = '+15551234567';
const ledger = openTestLedger();
after(() => ledger.close());

test('messages.list filters by cost status and carries the per-part rate', () => {
  const sent = (id: string, at: number) =>
    ledger.messages.upsert(
      { id, ourNumber: A, otherNumber: '+15557654321', direction: 'outbound', messageType: 'SMS', parts: 2, status: 'delivered', sentAt: at },
      at,
    );
  sent('m-exact', T);
  applyMessageCost(
    ledger,
    'm-exact',
    {
      source: 'message_finalized_event',
      nanos: parseMoney('0.0051'),
      carrierFeeNanos: parseMoney('0.00305'),
      currency: 'USD',
      rate: '0.00205',
      reason: 'finalized',
    },
    T + 1,
  );
  sent('m-open', T + 10);
  sent('m-free', T + 20);
  applyMessageCost(
    ledger,
    'm-free',
    { source: 'detail_record', nanos: 0n, carrierFeeNanos: null, currency: 'USD', status: 'not_billable', reason: 'gw_reject' },
    T + 21,
  );

  const views = callViews(ledger.db);
  const list = (input: Record<string, unknown>) => views.messages(MessagesQuery.parse(input));
  const ids = (input: Record<string, unknown>) =>
    list(input)
      .rows.map((r) => r.id)
      .sort();
  assert.deepEqual(ids({}), ['m-exact', 'm-free', 'm-open']);
  assert.deepEqual(ids({ costStatus: 'exact' }), ['m-exact']);
  assert.deepEqual(ids({ costStatus: 'open' }), ['m-open']);
  assert.deepEqual(ids({ costStatus: 'not_billable' }), ['m-free']);
  assert.deepEqual(ids({ costStatus: 'no_record' }), []);
  assert.equal(list({ costStatus: 'open' }).total, 1);
  // With the other filters at once.
  assert.deepEqual(ids({ costStatus: 'exact', number: A, range: { from: T, to: T + 5 } }), ['m-exact']);
  assert.deepEqual(ids({ costStatus: 'exact', range: { from: T + 5, to: T + 50 } }), []);
  assert.throws(() => MessagesQuery.parse({ costStatus: 'estimated' }), 'a status messages do not have');

  const exact = list({ costStatus: 'exact' }).rows[0]!;
  assert.equal(exact.rate, '0.00205');
  assert.deepEqual(exact.carrierFee, { amount: '0.00305', currency: 'USD' });
  assert.equal(list({ costStatus: 'open' }).rows[0]!.rate, null);
});
