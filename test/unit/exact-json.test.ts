// Bodies read without rounding a number (electron/core/util/exact-json.ts): its quick check
// (mayRound) may only say "no" when JSON.parse cannot change any number of the text, and it
// should say "no" for the pages Telnyx really sends, whose connection ids are long digit
// strings in quotes (openapi/spec3.yml #/components/schemas/AmdDetailRecord example
// connection_id "1684947189014463919", fixture amd-detail-record.spec-example.json).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { mayRound, parseJsonExact, sameDecimal } from '../../electron/core/util/exact-json.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/telnyx/${name}`, import.meta.url), 'utf8');

/** A JSON number token: sign, 1-25 integer digits, 0-25 decimals, maybe an exponent up to 3 digits. */
const numberToken = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^(0|[1-9]\d{0,24})$/),
    fc.option(fc.stringMatching(/^\d{1,25}$/), { nil: undefined }),
    fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
    fc.constantFrom('e', 'E'),
  )
  .map(([neg, int, frac, exp, e]) => `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}${exp === undefined ? '' : `${e}${exp}`}`);
const space = fc.constantFrom('', ' ', '\n  ', '\t', '\r\n');
/** Strings whose text looks like numbers and JSON punctuation, as Telnyx ids and tags do. */
const trickyString = fc.stringMatching(/^[\d.,:[\] eE+-]{0,30}$/).map((s) => JSON.stringify(s));

describe('parseJsonExact', () => {
  it('every number token reads back as its own decimal, wherever it stands (top level, arrays, objects, any whitespace)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(numberToken, trickyString, space, space), { minLength: 1, maxLength: 8 }), fc.boolean(), (items, inArray) => {
        const tokens = items.map(([n]) => n);
        const text = inArray
          ? `[${items.map(([n, s, a, b]) => `${a}${n}${b},${a}${s}`).join(',')}]`
          : `{${items.map(([n, s, a, b], i) => `${a}"n${i}"${b}:${a}${n}${b},"s${i}":${s}`).join(',')}}`;
        const parsed = parseJsonExact(text) as unknown[] | Record<string, unknown>;
        const values = Array.isArray(parsed) ? parsed.filter((_, i) => i % 2 === 0) : tokens.map((_, i) => parsed[`n${i}`]);
        return values.every((v, i) => (typeof v === 'number' ? sameDecimal(tokens[i]!, String(v)) : v === tokens[i]));
      }),
      { numRuns: 3000 },
    );
    // 2^53 + 1: sixteen digits, the shortest integer a double cannot carry.
    for (const token of ['9007199254740993', '12345678.123456789', '-0.1234567890123456789', '1e-400', '1.5E+308', '98765432109876543210']) {
      const v = parseJsonExact(` \n${token}`);
      assert.ok(typeof v === 'number' ? sameDecimal(token, String(v)) : v === token, `${token} at the top level`);
    }
    assert.deepEqual(parseJsonExact('[1, 12345678.123456789]'), [1, '12345678.123456789']);
  });

  it('takes the plain parse for long digit strings in quotes (connection ids) and short numbers', () => {
    const amd = fixture('amd-detail-record.spec-example.json');
    assert.match(amd, /"connection_id": "\d{19}"/);
    assert.equal(mayRound(amd), false, 'a 19-digit connection_id in quotes cannot be rounded');
    const page = JSON.stringify({ data: [{ connection_id: '1918973842122338914', cost: '0.0210', call_sec: 167, rate: 0.007 }], meta: { page_number: 1 } });
    assert.equal(mayRound(page), false);
    assert.equal(mayRound('{"total_cost": 0.123456789012345678}'), true);
    assert.equal(mayRound('[1e-400]'), true);
  });
});
