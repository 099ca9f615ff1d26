// Search as people type a number (issue 13, point 5): through the real write paths on a real
// ledger, read by the view the hosts use. Digits match anywhere in either number, with or
// without "+", spaces, dashes or brackets; "+…" is a number's start; anything else is an id.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CallsQuery, MessagesQuery } from '../../shared/contract.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const T = Date.UTC(2026, 0, 15, 12);
const ledger = openTestLedger();
after(() => ledger.close());

const calls = [
  { leg: 'leg-us', ours: '+15552060003', other: '+13125550100' },
  { leg: 'leg-de', ours: '+493066570002', other: '+4917662794222' },
  { leg: 'leg-us2', ours: '+15558168001', other: '+12065550003' },
];
for (const [i, c] of calls.entries()) {
  ledger.calls.insert(
    {
      callLegId: c.leg,
      callSessionId: `sess-${c.leg}`,
      callControlId: `v3:${c.leg}`,
      ourNumber: c.ours,
      otherNumber: c.other,
      direction: 'outbound',
      startedAt: T + i * 1000,
      answeredAt: T + i * 1000 + 3000,
      endedAt: T + i * 1000 + 63_000,
      callSec: 60,
      billedSec: 60,
    },
    T,
  );
}
ledger.messages.upsert({ id: 'msg-1', ourNumber: '+493066570002', otherNumber: '+4917662794222', direction: 'outbound', sentAt: T }, T);
ledger.messages.upsert({ id: 'msg-2', ourNumber: '+15552060003', otherNumber: '+13125550100', direction: 'inbound', sentAt: T + 1 }, T + 1);

const views = callViews(ledger.db);
const found = (search: string) =>
  views
    .list(CallsQuery.parse({ search }))
    .rows.map((r) => r.callLegId)
    .sort();

test('digits anywhere in either number, however they are typed', () => {
  assert.deepEqual(found('5552060003'), ['leg-us'], 'without + and country code');
  assert.deepEqual(found('206 0003'), ['leg-us'], 'with a space');
  assert.deepEqual(found('206-0003'), ['leg-us'], 'with a dash');
  assert.deepEqual(found('(555) 206-0003'), ['leg-us'], 'with brackets');
  assert.deepEqual(found('4917662794222'), ['leg-de'], 'a German number without +');
  assert.deepEqual(found('0003'), ['leg-us', 'leg-us2'], 'the end of an our number and of an other number');
  assert.deepEqual(found('555'), ['leg-us', 'leg-us2'], 'in the middle, of either number');
  assert.deepEqual(found('99999'), []);
  assert.equal(views.list(CallsQuery.parse({ search: '206 0003' })).total, 1, 'the count agrees');
});

test('"+" means the start of the number; other text is an exact id', () => {
  assert.deepEqual(found('+1 555 206'), ['leg-us']);
  assert.deepEqual(found('+49'), ['leg-de']);
  assert.deepEqual(found('+2060003'), [], '+ then digits from the middle is not a number start');
  assert.deepEqual(found('v3:leg-de'), ['leg-de']);
  assert.deepEqual(found('leg-us2'), ['leg-us2']);
  assert.deepEqual(found('-'), [], 'punctuation alone matches nothing (it once matched everything)');
});

test('the same search on messages', () => {
  const m = (search: string) =>
    views
      .messages(MessagesQuery.parse({ search }))
      .rows.map((r) => r.id)
      .sort();
  assert.deepEqual(m('4917662794222'), ['msg-1']);
  assert.deepEqual(m('206 0003'), ['msg-2']);
  assert.deepEqual(m('555'), ['msg-2']);
  assert.deepEqual(m('msg-1'), ['msg-1']);
});
