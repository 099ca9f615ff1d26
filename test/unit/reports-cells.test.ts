// How ledger values become CSV cells: neutralized text, exact money, ISO times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decimal, int, iso, money, needsNeutralizing, text } from '../../electron/core/reports/cells.ts';
import { reportColumns } from '../../electron/core/reports/index.ts';

describe('report cells', () => {
  it('neutralizes text a spreadsheet would run as a formula', () => {
    for (const s of ['=HYPERLINK("http://x","y")', '@SUM(A1)', '+15551234567', '-2+3', '\tx', '\rx', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20x']) {
      assert.equal(text(s), `'${s}`, JSON.stringify(s));
    }
    for (const s of ['leg-1', '15551234567', ' =1', "'=1", 'a=b', '', '0.0018', 'exact']) assert.equal(text(s), s, JSON.stringify(s));
    assert.equal(text(null), '');
    assert.equal(text(undefined), '');
  });

  it('keeps generated numbers as numbers, negative ones included', () => {
    assert.equal(money(-3_000_000n), '-0.003');
    assert.equal(money(1_800_000n), '0.0018');
    assert.equal(money(3_050_000n), '0.00305');
    assert.equal(money(0n), '0.00');
    assert.equal(money(123_456_789_012_345_678_901n), '123456789012.345678901');
    assert.equal(money(null), '');
    assert.equal(int(-5n), '-5');
    assert.equal(int(60), '60');
    assert.equal(int(null), '');
    // A rate is Telnyx's text: a plain decimal stays, anything else is text.
    assert.equal(decimal('-0.0070'), '-0.0070');
    assert.equal(decimal('0.0070'), '0.0070');
    assert.equal(decimal('-1e3'), "'-1e3");
    assert.equal(decimal('=1'), "'=1");
    assert.equal(decimal(null), '');
  });

  it('never writes an exponent or a float for money', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (n) => {
        const s = money(n);
        assert.match(s, /^-?\d+\.\d{2,9}$/);
        const [whole, frac] = s.replace('-', '').split('.') as [string, string];
        const back = (BigInt(whole) * 10n ** 9n + BigInt(frac.padEnd(9, '0'))) * (s.startsWith('-') ? -1n : 1n);
        assert.equal(back, n);
      }),
    );
  });

  it('formats times as ISO 8601 UTC, exactly like Date#toISOString', () => {
    assert.equal(iso(Date.UTC(2026, 0, 15, 12, 0, 5)), '2026-01-15T12:00:05.000Z');
    assert.equal(iso(BigInt(Date.UTC(2026, 0, 15, 23, 59, 59, 7))), '2026-01-15T23:59:59.007Z');
    assert.equal(iso(null), '');
    assert.equal(iso(-1), '1969-12-31T23:59:59.999Z');
    assert.equal(iso(9e15), '9000000000000000'); // beyond Date: the raw number, not a crash
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8.64e15 }), (ms) => {
        assert.equal(iso(ms), new Date(ms).toISOString());
        assert.equal(iso(BigInt(ms)), new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it('needsNeutralizing matches exactly the formula starts', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        assert.equal(needsNeutralizing(s), /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s));
      }),
    );
  });

  it('lists each report’s header', () => {
    assert.deepEqual(reportColumns('messages'), [
      'id', 'our_number', 'other_number', 'direction', 'type', 'parts', 'status', 'sent_at', 'cost', 'carrier_fee',
      'currency', 'rate', 'cost_status', 'cost_source',
    ]);
    assert.equal(reportColumns('calls')[0], 'id');
    assert.ok(reportColumns('calls').includes('variance_currency'));
    assert.deepEqual(reportColumns('summary').slice(0, 2), ['number', 'currency']);
    assert.deepEqual(reportColumns('history').slice(0, 3), ['at', 'subject', 'subject_id']);
  });
});
