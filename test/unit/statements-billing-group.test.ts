// A statement per billing group (calls.billing_group_id, migration 7: what Telnyx's records
// and call.cost carry): only that group's calls are on it; messages carry no billing group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLedger, openLedger } from '../../electron/core/ledger/index.ts';
import { buildStatement } from '../../electron/core/statements/query.ts';
import { monthPeriod } from '../../electron/core/statements/period.ts';
import { insertEndedCalls, oneMinuteCall } from '../helpers/seed-calls.ts';
import { tempLedgerPath } from '../helpers/temp.ts';

const T = Date.UTC(2026, 0, 10, 12);
const ended = (leg: string, from: string) => oneMinuteCall(leg, T, from, '+15550002222');

test('per billing group: only its calls', () => {
  const ledger = createLedger(openLedger(tempLedgerPath()));
  const ids = insertEndedCalls(ledger, [ended('a', '+15550001111'), ended('b', '+15550001111'), ended('c', '+15550003333')], T);
  ledger.tx(() => {
    const set = ledger.db.prepare(
      "UPDATE calls SET exact_nanos = ?, currency = 'USD', billed_sec = 60, cost_status = 'exact', cost_source = 'manual', billing_group_id = ? WHERE id = ?",
    );
    set.run(1_000_000_000n, 'sales', ids[0]!);
    set.run(2_000_000_000n, 'support', ids[1]!);
    set.run(4_000_000_000n, 'sales', ids[2]!);
  });
  const st = buildStatement(ledger.db, monthPeriod('2026-01'), { kind: 'billingGroup', billingGroup: 'sales' }, T);
  assert.equal(st.scopeLabel, 'billing group sales');
  assert.deepEqual(st.numbers, ['+15550001111', '+15550003333']);
  assert.equal(st.sections.length, 1);
  assert.equal(st.sections[0]!.callsTotal.calls, 2);
  assert.equal(st.sections[0]!.callsTotal.booked, 5_000_000_000n);
  ledger.close();
});
