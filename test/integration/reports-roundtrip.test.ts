// Property: any text a call or its cost history can hold comes back from export + csv-parse
// exactly — modulo the one neutralizing `'` in front of formula-like text.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { applyCallCost, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import { exportReport } from '../../electron/core/reports/index.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const T = Date.UTC(2026, 1, 1);
// Written independently of the code under test: the OWASP starts and their full-width forms.
const expected = (s: string) => (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s) ? `'${s}` : s);

async function exportParsed(ledger: Ledger, report: 'calls' | 'history', from: number, to: number, bom: boolean) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _e, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  await exportReport(ledger.db, { report, range: { from, to }, timeZone: 'UTC' }, out, undefined, { bom });
  const text = Buffer.concat(chunks).toString('utf8');
  const rows = (parse(text, { columns: true, bom: true }) as Record<string, string>[]).filter((r) => r.Row !== 'Total');
  // A reader that splits records on any of CRLF, LF or CR (as spreadsheets do) reads the
  // same records: every line break inside a cell is quoted, not only CRLF.
  assert.deepEqual(
    (parse(text, { columns: true, bom: true, record_delimiter: ['\r\n', '\n', '\r'] }) as Record<string, string>[]).filter((r) => r.Row !== 'Total'),
    rows,
  );
  return rows;
}

// Awkward units on purpose: separators, quotes, line breaks, formula starts, non-ASCII.
const unit = fc.oneof(
  fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '"', ',', ';', "'", ' ', '\uFF1D', '\uFEFF', '\u0000', 'é', '€', '😀'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const cell = fc.string({ unit, maxLength: 40 });

describe('CSV reports: text round trip (property)', () => {
  it('other_number, estimate method, call ids and the history reason survive export + parse', async () => {
    const ledger = openTestLedger();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(cell, cell, cell, fc.boolean(), async (other, method, reason, bom) => {
        const startedAt = T + n * 1000;
        const leg = `${other}#${n++}`; // unique, and as awkward as `other`
        const id = ledger.calls.insert(
          { callLegId: leg, callSessionId: method, callControlId: null, ourNumber: '+15551234567', otherNumber: other, direction: 'outbound', startedAt },
          startedAt,
        );
        bookCallEstimate(ledger, id, { nanos: 7_000_000n, currency: 'USD', method, rate: '0.0070', billedSec: 60 }, startedAt);
        applyCallCost(ledger, id, { source: 'detail_record', nanos: -1_800_000n, currency: 'USD', reason }, startedAt + 1);

        const [call, ...others] = await exportParsed(ledger, 'calls', startedAt, startedAt + 1, bom);
        assert.equal(others.length, 0);
        assert.equal(call!['Other number'], expected(other));
        assert.equal(call!['Call leg id'], expected(leg));
        assert.equal(call!['Call session id'], expected(method));
        assert.equal(call!['Estimate method'], expected(method));
        assert.equal(call!.Exact, '-0.0018'); // money is never neutralized
        assert.equal(call!.Variance, '-0.0088');

        const history = await exportParsed(ledger, 'history', startedAt + 1, startedAt + 2, bom);
        assert.deepEqual(
          history.map((h) => h.Reason),
          [expected(reason)],
        );
      }),
      { numRuns: 300 },
    );
    ledger.close();
  });
});
