// The hand-written RFC 4180 quoter (reports/csv.ts) and text fields (reports/cells.ts),
// checked against a real CSV parser: whatever the string, csv-parse reads back exactly
// what went in — after the neutralizing `'` for text a spreadsheet would run as a formula.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { text } from '../../electron/core/reports/cells.ts';
import { CRLF, needsQuotes, quote, quoted, record } from '../../electron/core/reports/csv.ts';

// Written independently of the code under test: the OWASP starts and their full-width forms.
const neutralized = (s: string) => (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s) ? `'${s}` : s);

// Awkward units on purpose: separators, quotes, line breaks, formula starts, non-ASCII.
const unit = fc.oneof(
  fc.constantFrom(
    '=',
    '+',
    '-',
    '@',
    '\t',
    '\r',
    '\n',
    '\r\n',
    '"',
    '""',
    ',',
    ';',
    "'",
    ' ',
    '\uFF1D',
    '\uFF0B',
    '\uFF0D',
    '\uFF20',
    '\uFEFF',
    '\u0000',
    '\u2028',
    'é',
    '€',
    '😀',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);
const cell = fc.oneof(fc.string({ unit, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));

/** One CSV text of records, the way the reports write it: fields joined by commas, CRLF after each. */
const csvOf = (records: string[][]) => records.map((r) => r.join(',') + CRLF).join('');

/** Parsed strictly (CRLF only) and as spreadsheets split (any of CRLF, LF, CR): both must agree. */
function parseBoth(csv: string): string[][] {
  const strict = parse(csv, { record_delimiter: '\r\n', relax_column_count: true }) as string[][];
  assert.deepEqual(parse(csv, { record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }), strict);
  return strict;
}

describe('RFC 4180 quoter', () => {
  it('quotes exactly the fields that need it, doubling quotes', () => {
    assert.equal(quote('plain'), 'plain');
    assert.equal(quote(''), '');
    assert.equal(quote('a,b'), '"a,b"');
    assert.equal(quote('say "hi"'), '"say ""hi"""');
    assert.equal(quote('"'), '""""');
    assert.equal(quote('line\r\nbreak'), '"line\r\nbreak"');
    assert.equal(quote('lone\nLF'), '"lone\nLF"');
    assert.equal(quote('lone\rCR'), '"lone\rCR"');
    assert.equal(quote("'=1"), "'=1"); // neutralizing is cells.ts's job; the quoter leaves it
    assert.equal(quote(' spaced '), ' spaced ');
    assert.equal(record(['id', 'a,b', 'c"d']), 'id,"a,b","c""d"\r\n');
    assert.equal(quoted('plain'), '"plain"');
    assert.deepEqual(['a', 'a"', 'a,', 'a\r', 'a\n', "a'", 'a\t'].map(needsQuotes), [false, true, true, true, true, false, false]);
  });

  it('round-trips any strings through csv-parse (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        // A sentinel first field: a record of one empty field is an empty line, which readers skip.
        const withId = records.map((r, i) => [`r${i}`, ...r]);
        const csv = csvOf(withId.map((r) => r.map(quote)));
        assert.deepEqual(parseBoth(csv), withId);
      }),
      { numRuns: 1000 },
    );
  });

  it('text fields come back neutralized and otherwise exact (property)', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (values) => {
        const csv = csvOf([['id', ...values.map(text)]]);
        const [parsed] = parseBoth(csv);
        assert.deepEqual(parsed, ['id', ...values.map(neutralized)]);
        // Whatever was neutralized no longer starts like a formula.
        for (const v of parsed!.slice(1)) assert.ok(!/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(v), JSON.stringify(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('neutralizes every formula start, quoted or not', () => {
    for (const s of ['=1+1', '+1', '-1', '@A1', '\tx', '\rx', '\r\n=1', '=HYPERLINK("a","b")', '=a,b', '\uFF1D1', '\uFF0B1', '\uFF0D1', '\uFF20a']) {
      const [[, got]] = parseBoth(csvOf([['id', text(s)]])) as [[string, string]];
      assert.equal(got, `'${s}`, JSON.stringify(s));
    }
    assert.equal(text('=HYPERLINK("a","b")'), `"'=HYPERLINK(""a"",""b"")"`);
    assert.equal(text('\r=1'), `"'\r=1"`);
  });
});
