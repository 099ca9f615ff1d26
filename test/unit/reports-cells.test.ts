// How ledger values become CSV fields: neutralized (and quoted) text, exact money, ISO times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatMoney } from '../../shared/money.ts';
import { decimal, difference, int, iso, money, nanos, needsNeutralizing, text } from '../../electron/core/reports/cells.ts';
import { quote } from '../../electron/core/reports/csv.ts';
import { reportColumns } from '../../electron/core/reports/index.ts';
import { detailText } from '../../electron/core/reports/detail-text.ts';
import { ExactSum } from '../../electron/core/reports/totals.ts';

describe('report cells', () => {
  it('neutralizes text a spreadsheet would run as a formula', () => {
    for (const s of [
      '=HYPERLINK("http://x","y")',
      '@SUM(A1)',
      '+1555123+4567',
      '+1',
      '+',
      '-2+3',
      '\tx',
      '\rx',
      '\uFF1D1+1',
      '\uFF0B1',
      '\uFF0D1',
      '\uFF20x',
    ]) {
      assert.equal(text(s), quote(`'${s}`), JSON.stringify(s));
    }
    // A phone number in E.164 (a plus and digits only) cannot run: written as it is.
    for (const s of ['+15551234567', '+4915112345678', '+12']) assert.equal(text(s), s, s);
    // Fields come out quoted where RFC 4180 needs it, after the neutralizing quote.
    assert.equal(text('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(text('\rx'), `"'\rx"`);
    assert.equal(text('@SUM(A1)'), "'@SUM(A1)");
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
    assert.equal(int(2n ** 63n - 1n), '9223372036854775807');
    assert.equal(int(1.5), '1.5'); // not an integer: shown as text
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

  it('formats money exactly as formatMoney does, from a number or a bigint', () => {
    const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
    // Small amounts, amounts around 2^53 (where the Number path stops) and huge ones.
    const amount = fc.oneof(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      fc.bigInt({ min: SAFE - 10n ** 10n, max: SAFE + 10n ** 10n }).map((n) => (n % 3n === 0n ? -n : n)),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.integer({ min: 0, max: 9 }).chain((zeros) => fc.bigInt({ min: -999n, max: 999n }).map((n) => n * 10n ** BigInt(zeros))),
    );
    fc.assert(
      fc.property(amount, (n) => {
        assert.equal(money(n), formatMoney(n));
        if (n >= -SAFE && n <= SAFE) assert.equal(money(Number(n)), formatMoney(n));
      }),
      { numRuns: 5000 },
    );
    for (const n of [0n, 1n, -1n, 10n, 100_000_000n, 999_999_999n, 1_000_000_000n, -1_000_000_001n, SAFE, -SAFE, SAFE + 1n]) {
      assert.equal(money(n), formatMoney(n), String(n));
    }
    assert.equal(money(Number.MAX_SAFE_INTEGER), '9007199.254740991');
    assert.throws(() => money(2 ** 53), /non-integer/); // a rounded double is not money
    assert.throws(() => money(1.5), /non-integer/);
    assert.throws(() => money('5'), /non-integer/);
  });

  it('subtracts money exactly, past 2^53 too', () => {
    const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.bigInt({ min: -SAFE, max: SAFE }), fc.bigInt({ min: -SAFE, max: SAFE }), (a, b) => {
        const d = difference(nanos(Number(a))!, nanos(Number(b))!);
        assert.equal(BigInt(d), a - b);
        assert.equal(money(d), formatMoney(a - b));
      }),
      { numRuns: 5000 },
    );
    assert.equal(difference(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER), 2n * SAFE);
    assert.equal(difference(2n ** 63n - 1n, 1), 2n ** 63n - 2n);
    assert.equal(nanos(null), null);
    assert.equal(nanos(2 ** 53), null);
    assert.equal(nanos(-(2n ** 63n)), -(2n ** 63n));
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
    // Runs of nearby times, as a report has them: the per-minute cache hits, misses and collides.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8.6e15 }), fc.array(fc.integer({ min: -7_200_000, max: 7_200_000 }), { maxLength: 50 }), (base, steps) => {
        let ms = base;
        for (const step of steps) {
          ms = Math.min(8.64e15, Math.max(0, ms + step));
          assert.equal(iso(ms), new Date(ms).toISOString());
        }
      }),
      { numRuns: 500 },
    );
    assert.equal(iso(8.64e15), '+275760-09-13T00:00:00.000Z'); // the last time a Date holds
    assert.equal(iso(0), '1970-01-01T00:00:00.000Z');
  });

  it('needsNeutralizing matches exactly the formula starts', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        assert.equal(needsNeutralizing(s), /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(s));
      }),
    );
  });

  it('lists each report’s header in the UI’s words (README glossary)', () => {
    assert.deepEqual(reportColumns('messages'), [
      'Row',
      'Message id',
      'Sent',
      'Direction',
      'Our number',
      'Other number',
      'Type',
      'Parts',
      'Delivery',
      'Cost',
      'Carrier fee',
      'Currency',
      'Rate',
      'Cost status',
      'Source',
      'Messaging profile id',
      'Messaging profile',
      'Tags',
      'Country',
    ]);
    const calls = reportColumns('calls');
    assert.deepEqual(calls.slice(0, 3), ['Row', 'Ledger id', 'Started']);
    // The four money words, each followed by its own currency.
    for (const word of ['Estimate', 'Exact', 'Booked', 'Variance']) {
      const at = calls.findIndex((c) => c === word || c === `${word}d`);
      assert.ok(at > 0, word);
      assert.match(calls[at + 1]!, /currency$/);
    }
    for (const c of ['Billing group', 'Tags', 'Country', 'Connection']) assert.ok(calls.includes(c), c);
    assert.deepEqual(reportColumns('summary').slice(0, 3), ['Row', 'Number', 'Currency']);
    assert.deepEqual(reportColumns('history').slice(0, 5), ['Changed', 'Of', 'Id', 'Our number', 'Started or sent']);
  });
});

describe('report detail and totals', () => {
  it('writes a cost change’s stored JSON detail as words, dropping nothing but empty values', () => {
    assert.equal(detailText(JSON.stringify({ recordId: 'rec-1', rate: '0.0018', billedSec: 60 })), 'record: rec-1; rate: 0.0018; billed seconds: 60');
    assert.equal(detailText(JSON.stringify({ estimatedBilledSec: 120, ratePerMinute: '0.0070' })), 'estimated billed seconds: 120; rate per minute: 0.0070');
    assert.equal(
      detailText(
        JSON.stringify({
          records: [{ type: 'call-control', id: 'r1', cost: '0.0018' }],
          parts: [{ part: 'call-recording', cost: '0.002', currency: 'USD', rate: null, source: 'call_cost_event', from: ['ev-1'] }],
          missingParts: ['sip-trunking'],
          eventTotalMismatch: { total: '0.01', partsSum: '0.0038' },
        }),
      ),
      'detail records: (type: call-control, id: r1, cost: 0.0018); parts: (part: call-recording, cost: 0.002, currency: USD, source: call_cost_event, from: ev-1); ' +
        'missing parts: sip-trunking; call.cost total disagreeing with its parts: (total: 0.01, sum of parts: 0.0038)',
    );
    assert.equal(detailText(JSON.stringify({ carrierFee: null, event: 'ev-9', ok: true })), 'event: ev-9; ok: yes');
    assert.equal(detailText('not json, kept'), 'not json, kept');
    assert.equal(detailText(null), null);
    assert.equal(detailText('{}'), null);
  });

  it('sums nano-units exactly, past 2^53 and in any order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
            fc.integer({ min: -(2 ** 53 - 1), max: 2 ** 53 - 1 }),
            fc.integer({ min: -1e6, max: 1e6 }),
          ),
        ),
        (values) => {
          const sum = new ExactSum();
          for (const v of values) sum.add(v);
          assert.equal(
            sum.value(),
            values.reduce<bigint>((a, v) => a + BigInt(v), 0n),
          );
          assert.equal(sum.text(), values.length === 0 ? '' : formatMoney(sum.value()));
        },
      ),
    );
    const none = new ExactSum();
    none.add(null);
    none.add(1.5); // not money: not added
    assert.equal(none.text(), '');
  });
});
