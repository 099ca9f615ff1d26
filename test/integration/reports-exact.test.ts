// Values the fast page read (one JSON string per page, see reports/pager.ts) cannot carry —
// integers beyond 2^53, a float or a BLOB where the schema expects an integer or text —
// still export exactly as SQLite holds them, whatever the page size, next to ordinary rows.
// The write paths never store such values, so the rows are edited with SQL after them.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { applyCallCost, applyMessageCost, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { exportReport } from '../../electron/core/reports/index.ts';
import { insertTalkedCall } from '../helpers/call-rows.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const T = Date.UTC(2026, 2, 1);
const RANGE = { from: T, to: T + 3_600_000 };
const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);
const BEYOND_SAFE = 2n ** 53n + 1n; // the first integer a double cannot hold

async function exportCsv(ledger: Ledger, report: 'calls' | 'messages', pageRows?: number): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  await exportReport(ledger.db, { report, range: RANGE, timeZone: 'UTC' }, out, undefined, { pageRows });
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV reports: values JSON cannot carry', () => {
  let ledger: Ledger;
  before(() => {
    ledger = openTestLedger();
    const call = (leg: string, at: number) => insertTalkedCall(ledger, leg, at, { ringMs: 0, sec: 60 });
    const booked = (leg: string, at: number) => {
      const c = call(leg, at);
      bookCallEstimate(ledger, c, { nanos: parseMoney('0.0070'), currency: 'USD', method: 'rate', rate: '0.0070', billedSec: 60 }, at);
      applyCallCost(ledger, c, { source: 'detail_record', nanos: parseMoney('0.0018'), currency: 'USD', rate: '0.0018', reason: 'ok' }, at + 1);
      return c;
    };
    for (let i = 0; i < 4; i++) booked(`ordinary-${i}`, T + i * 1000);
    const extreme = booked('extreme', T + 1500);
    const beyond = booked('beyond', T + 2500);
    const odd = call('odd', T + 3500);
    const huge = call('huge-id', T + 2000); // starts with ordinary-2: the keyset must order and resume on its id
    ledger.messages.upsert({ id: 'msg-big', ourNumber: '+15551234567', otherNumber: '+15557654321', direction: 'outbound', sentAt: T + 100 }, T + 100);
    applyMessageCost(ledger, 'msg-big', { source: 'detail_record', nanos: 1n, carrierFeeNanos: 1n, currency: 'USD', reason: 'x' }, T + 101);
    ledger.messages.upsert({ id: 'msg-small', ourNumber: '+15551234567', otherNumber: '+15557654321', direction: 'outbound', sentAt: T + 200 }, T + 200);

    // Last, past the write paths (whose per-hour totals would rightly refuse to sum such amounts).
    const edit = (sql: string, ...args: unknown[]) => ledger.db.prepare(sql).run(...args);
    edit('UPDATE calls SET estimated_nanos = ?, exact_nanos = ?, cost_source = ? WHERE id = ?', I64_MAX, I64_MIN, 'manual', extreme);
    edit('UPDATE calls SET estimated_nanos = ?, exact_nanos = ? WHERE id = ?', BEYOND_SAFE, -BEYOND_SAFE, beyond);
    edit('UPDATE calls SET call_sec = 1.5, estimate_method = ? WHERE id = ?', Buffer.from('bl\u00f6b'), odd); // a float, a BLOB
    edit('UPDATE calls SET id = ? WHERE id = ?', I64_MAX, huge);
    edit(`UPDATE messages SET cost_nanos = ?, carrier_fee_nanos = ? WHERE id = 'msg-big'`, BEYOND_SAFE * 1000n + 7n, -BEYOND_SAFE);
  });
  after(() => ledger.close());

  it('calls: exact amounts, variance, ids and odd values, the same for every page size', async () => {
    const whole = await exportCsv(ledger, 'calls');
    for (const pageRows of [1, 2, 3, 5]) assert.equal(await exportCsv(ledger, 'calls', pageRows), whole, `pageRows ${pageRows}`);

    const all = parse(whole, { columns: true }) as Record<string, string>[];
    const rows = all.filter((r) => r.Row === 'Call');
    assert.deepEqual(
      rows.map((r) => r['Call leg id']),
      ['ordinary-0', 'ordinary-1', 'extreme', 'ordinary-2', 'huge-id', 'beyond', 'ordinary-3', 'odd'],
    );
    // The Total row sums past int64 exactly (bigint here, by hand from the values written above).
    const total = all.filter((r) => r.Row === 'Total');
    assert.deepEqual(
      total.map((r) => [r.Estimated, r.Exact, r.Booked, r.Variance, r['Booked currency']]),
      [
        [
          formatMoney(4n * 7_000_000n + I64_MAX + BEYOND_SAFE),
          formatMoney(4n * 1_800_000n + I64_MIN - BEYOND_SAFE),
          formatMoney(4n * 1_800_000n + I64_MIN - BEYOND_SAFE),
          formatMoney(4n * -5_200_000n + (I64_MIN - I64_MAX) - 2n * BEYOND_SAFE),
          'USD',
        ],
      ],
    );
    const byLeg = new Map(rows.map((r) => [r['Call leg id'], r]));
    const extreme = byLeg.get('extreme')!;
    assert.equal(extreme.Estimated, formatMoney(I64_MAX));
    assert.equal(extreme.Estimated, '9223372036.854775807');
    assert.equal(extreme.Exact, '-9223372036.854775808');
    assert.equal(extreme.Variance, formatMoney(I64_MIN - I64_MAX)); // beyond int64, exact in bigint
    const beyond = byLeg.get('beyond')!;
    assert.equal(beyond.Estimated, '9007199.254740993');
    assert.equal(beyond.Exact, '-9007199.254740993');
    assert.equal(beyond.Variance, formatMoney(-2n * BEYOND_SAFE));
    assert.equal(byLeg.get('huge-id')!['Ledger id'], '9223372036854775807');
    assert.equal(byLeg.get('huge-id')!.Started, '2026-03-01T00:00:02.000Z');
    const odd = byLeg.get('odd')!;
    assert.equal(odd['Call length (s)'], '1.5');
    assert.equal(odd['Estimate method'], 'bl\u00f6b');
    for (const r of rows.filter((x) => x['Call leg id']!.startsWith('ordinary'))) {
      assert.deepEqual([r.Estimated, r.Exact, r.Variance, r['Exact currency']], ['0.007', '0.0018', '-0.0052', 'USD']);
    }
  });

  it('messages: a cost beyond 2^53 nano-units is exact', async () => {
    const whole = await exportCsv(ledger, 'messages');
    assert.equal(await exportCsv(ledger, 'messages', 1), whole);
    const rows = (parse(whole, { columns: true }) as Record<string, string>[]).filter((r) => r.Row === 'Message');
    assert.deepEqual(
      rows.map((r) => [r['Message id'], r.Cost, r['Carrier fee']]),
      [
        ['msg-big', formatMoney(BEYOND_SAFE * 1000n + 7n), '-9007199.254740993'],
        ['msg-small', '', ''],
      ],
    );
    assert.equal(rows[0]!.Cost, '9007199254.740993007');
  });
});
