// The report CSV's row splitter (ingest/report-import/csv-rows.ts) against csv-parse, the
// library it replaces on the hot path: any RFC 4180 file, however its bytes are cut into
// pieces, gives the rows csv-parse gives (with the options the report reader used: a BOM
// stripped, empty lines skipped), and a file csv-parse refuses is refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StringDecoder } from 'node:string_decoder';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvError, CsvRows } from '../../electron/core/ingest/report-import/csv-rows.ts';

/** Splits bytes at the given cut points (possibly inside a UTF-8 character) and reads them as the reader does. */
function rowsOf(bytes: Buffer, cuts: number[]): string[][] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const splitter = new CsvRows();
  const decoder = new StringDecoder('utf8');
  const out: string[][] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    splitter.push(decoder.write(bytes.subarray(at, p)), out);
    at = p;
  }
  splitter.push(decoder.end(), out);
  splitter.end(out);
  return out;
}

const oracle = (bytes: Buffer): string[][] => parse(bytes, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];

// Cells with everything that needs care: commas, quotes, line breaks, spaces, non-ASCII.
const cell = fc.stringMatching(/^[a-zé€ ,"\n0-9.+-]{0,8}$/);
/** RFC 4180: quoted when it must be, sometimes when it need not. */
const encode = (v: string, forceQuote: boolean) => (forceQuote || /[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);

const file = fc
  .record({
    rows: fc.array(fc.array(fc.tuple(cell, fc.boolean()), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
    eol: fc.constantFrom('\r\n', '\n'),
    bom: fc.boolean(),
    trailingBreak: fc.boolean(),
    emptyLines: fc.array(fc.nat(), { maxLength: 3 }),
  })
  .map(({ rows, eol, bom, trailingBreak, emptyLines }) => {
    // A lone empty cell would be an empty line, which both skip: such a cell is quoted ("" is a row).
    const lines = rows.map((r) => r.map(([v, q]) => encode(v, q || r.length === 1)).join(','));
    for (const at of emptyLines) lines.splice(at % (lines.length + 1), 0, '');
    const text = lines.join(eol) + (trailingBreak ? eol : '');
    return Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text)]);
  });

describe('CsvRows', () => {
  it('gives the rows csv-parse gives, however the bytes arrive', () => {
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        assert.deepEqual(rowsOf(bytes, cuts), oracle(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('a line without quotes is split as it is: empty cells kept, a trailing comma is an empty last cell', () => {
    assert.deepEqual(rowsOf(Buffer.from('a,,b,\r\n\r\nc,d,e,f'), [3, 9]), [
      ['a', '', 'b', ''],
      ['c', 'd', 'e', 'f'],
    ]);
  });

  it('refuses what csv-parse refuses: a quote never closed, a quote inside an unquoted cell, text after a closing quote', () => {
    for (const text of ['a,"b\r\nc,d\r\n', 'a,b"c\r\n', 'a,"b"c,d\r\n', 'x\r\n"a"b']) {
      assert.throws(() => oracle(Buffer.from(text)), Error, `csv-parse refuses ${JSON.stringify(text)}`);
      assert.throws(() => rowsOf(Buffer.from(text), [2, 5]), CsvError, JSON.stringify(text));
    }
  });

  it('the line of an error counts the line breaks inside quoted cells', () => {
    assert.throws(() => rowsOf(Buffer.from('h1,h2\r\n"a\r\nb",c\r\nd,e"f\r\n'), []), /line 4: a quote inside unquoted field 2/);
  });
});
