// The export dialog's row count (renderer/lib/csv-download.ts): records counted chunk by chunk
// as a download arrives equal what csv-parse reads back, for CSV written by the core's own
// RFC 4180 writer (reports/csv.ts) with quotes, commas and line breaks inside cells, however
// the bytes are split into chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvRecordCounter, attachmentName } from '../../renderer/lib/csv-download.ts';
import { record } from '../../electron/core/reports/csv.ts';

const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', '""', 'a,b', 'line\r\nbreak', 'lf\nonly', '+13125550100', '0.00385'));

test('records counted in chunks equal the records csv-parse reads', () => {
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (rows, cuts) => {
      const text = ['id,name,amount', ...rows].map((r) => record(typeof r === 'string' ? r.split(',') : r)).join('');
      const counter = new CsvRecordCounter();
      const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      let from = 0;
      for (const c of [...at, text.length]) {
        counter.add(text.slice(from, c));
        from = c;
      }
      const parsed = parse(text, { relax_column_count: true }) as unknown[];
      assert.equal(counter.total(), parsed.length);
    }),
    { numRuns: 300 },
  );
});

test('a last record without a line break still counts; the file name comes from the header', () => {
  const c = new CsvRecordCounter();
  c.add('a,b\r\n1,2');
  assert.equal(c.total(), 2);
  assert.equal(attachmentName('attachment; filename="cost-desk-calls-2026-11-28-to-2026-12-04.csv"', 'x.csv'), 'cost-desk-calls-2026-11-28-to-2026-12-04.csv');
  assert.equal(attachmentName(null, 'x.csv'), 'x.csv');
});

test("a report's Total rows are counted apart from its data rows, however the bytes are split", () => {
  const text = ['Row,Call,Booked', 'Call,1,0.01', 'Call,2,"Total,"', 'Total,,0.01', 'Total,,"1,5"'].map((r) => `${r}\r\n`).join('');
  for (let cut = 0; cut <= text.length; cut++) {
    const counter = new CsvRecordCounter();
    counter.add(text.slice(0, cut));
    counter.add(text.slice(cut));
    assert.equal(counter.total(), 5);
    assert.equal(counter.totalRows, 2, `cut at ${cut}`);
  }
});
