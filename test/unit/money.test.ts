// Exact money: nano-unit bigints, decimal strings in and out, never a float, never a rounding
// except the one labelled estimate rounding in perMinuteCost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CurrencyTotals,
  MoneyError,
  divRoundHalfAway,
  formatMoney,
  normalizeCurrency,
  parseMoney,
  parseOptionalMoney,
  perMinuteCost,
  sumSameCurrency,
} from '../../shared/money.ts';

const NANO = 1_000_000_000n;
/** Amounts up to ±10^12 units with nine decimals. */
const nanos = fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n });
/** A decimal text with 0..9 decimals (trailing zeros allowed). */
const decimalText = fc
  .record({
    neg: fc.boolean(),
    whole: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    frac: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 9 }),
  })
  .map(({ neg, whole, frac }) => `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`);

/** The exact value of a decimal text, computed independently of parseMoney. */
function expectedNanos(text: string): bigint {
  const neg = text.startsWith('-');
  const [w, f = ''] = text.replace(/^-/, '').split('.');
  const v = BigInt(w!) * NANO + BigInt((f + '000000000').slice(0, 9));
  return neg ? -v : v;
}

describe('parseMoney / formatMoney', () => {
  it('round-trips every nano amount through its text', () => {
    fc.assert(
      fc.property(nanos, fc.integer({ min: 0, max: 9 }), (n, minDecimals) => {
        const text = formatMoney(n, minDecimals);
        assert.equal(parseMoney(text), n);
        assert.doesNotMatch(text, /e/i, 'never an exponent');
      }),
    );
  });

  it('parses any decimal text with up to nine decimals exactly', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        assert.equal(parseMoney(text), expectedNanos(text));
      }),
    );
  });

  it('formats with no float in the way: text -> nanos -> text keeps every digit', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
        const n = parseMoney(text);
        const back = formatMoney(n, 0);
        assert.equal(parseMoney(back), n);
        // Canonical: no trailing zeros beyond what minDecimals asks for.
        if (back.includes('.')) assert.doesNotMatch(back, /0$/);
      }),
    );
  });

  it('sums stay exact over many amounts (no float drift)', () => {
    fc.assert(
      fc.property(fc.array(decimalText, { maxLength: 200 }), (texts) => {
        const total = texts.reduce((s, t) => s + parseMoney(t), 0n);
        const expected = texts.reduce((s, t) => s + expectedNanos(t), 0n);
        assert.equal(total, expected);
        assert.equal(parseMoney(formatMoney(total)), expected);
      }),
    );
    // The classic float trap: 0.1 + 0.2.
    assert.equal(formatMoney(parseMoney('0.1') + parseMoney('0.2')), '0.30');
    // A million sub-cent costs.
    let sum = 0n;
    for (let i = 0; i < 1_000_000; i++) sum += parseMoney('0.00305');
    assert.equal(formatMoney(sum), '3050.00');
  });

  it('keeps five and more decimals exactly', () => {
    assert.equal(parseMoney('0.00305'), 3_050_000n);
    assert.equal(formatMoney(parseMoney('0.00305')), '0.00305');
    assert.equal(parseMoney('0.0180'), 18_000_000n);
    assert.equal(formatMoney(parseMoney('0.0180'), 4), '0.0180');
    assert.equal(parseMoney('0.000000001'), 1n);
    assert.equal(formatMoney(1n), '0.000000001');
    assert.equal(parseMoney('12.123456789'), 12_123_456_789n);
  });

  it('throws (never rounds) on more than nine significant decimals', () => {
    for (const text of ['0.0000000001', '0.1234567891', '1.0000000005', '-0.0000000009', '1e-10', '0.00000000015']) {
      assert.throws(() => parseMoney(text), MoneyError, text);
    }
    fc.assert(
      fc.property(
        decimalText,
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 5 }),
        fc.constantFrom(...'123456789'),
        (base, middle, last) => {
          // Ten or more decimals whose last one is not zero.
          const [w, f = ''] = base.split('.');
          const frac = (f + '0000000000').slice(0, 9) + middle + last;
          assert.throws(() => parseMoney(`${w}.${frac}`), MoneyError);
        },
      ),
    );
    // Trailing zeros past nine decimals are not significant: nothing to round.
    assert.equal(parseMoney('0.0030500000000'), 3_050_000n);
  });

  it('handles negative adjustments', () => {
    assert.equal(parseMoney('-0.0125'), -12_500_000n);
    assert.equal(formatMoney(-12_500_000n), '-0.0125');
    assert.equal(formatMoney(-1_500_000_000n), '-1.50');
    assert.equal(parseMoney('+0.5'), 500_000_000n);
    assert.equal(parseMoney('-0.018') + parseMoney('0.018'), 0n);
    assert.equal(formatMoney(parseMoney('-0')), '0.00');
  });

  it('reads JSON numbers sent where strings were expected, as the sender wrote them', () => {
    assert.equal(parseMoney(0.018), 18_000_000n);
    assert.equal(parseMoney(0.00305), 3_050_000n);
    assert.equal(parseMoney(0.3), 300_000_000n);
    assert.equal(parseMoney(12), 12_000_000_000n);
    assert.equal(parseMoney(-0.0125), -12_500_000n);
    // A JSON number holding a float artefact has more than nine decimals: refused, not rounded.
    assert.throws(() => parseMoney(0.1 + 0.2), MoneyError);
    assert.throws(() => parseMoney(Number.NaN), MoneyError);
    assert.throws(() => parseMoney(Number.POSITIVE_INFINITY), MoneyError);
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 0, max: 6 }), (k, scale) => {
        // k / 10^scale as a double prints back as its shortest decimal: that is what was sent.
        const n = k / 10 ** scale;
        assert.equal(parseMoney(n), parseMoney(String(n)));
      }),
    );
  });

  it('reads exponent forms exactly', () => {
    assert.equal(parseMoney('1e-3'), 1_000_000n);
    assert.equal(parseMoney('3.05E-3'), 3_050_000n);
    assert.equal(parseMoney('1.8e-2'), 18_000_000n);
    assert.equal(parseMoney('-2.5e1'), -25_000_000_000n);
    assert.equal(parseMoney('1e9'), 10n ** 18n);
    assert.equal(parseMoney('5e-9'), 5n);
    assert.equal(parseMoney(1e-7), 100n); // String(1e-7) is "1e-7"
    assert.equal(parseMoney(3.05e-7), 305n);
    assert.throws(() => parseMoney('5e-10'), MoneyError);
    assert.throws(() => parseMoney('1e999'), MoneyError);
    fc.assert(
      fc.property(decimalText, fc.integer({ min: -6, max: 6 }), (text, e) => {
        // x·10^e written as mantissa "x" with exponent e: same value as shifting by hand.
        const expected = expectedNanos(text) * 10n ** BigInt(Math.max(0, e));
        const divisor = 10n ** BigInt(Math.max(0, -e));
        if (expected % divisor !== 0n) {
          assert.throws(() => parseMoney(`${text}e${e}`), MoneyError);
        } else {
          assert.equal(parseMoney(`${text}e${e}`), expected / divisor);
        }
      }),
    );
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', ' ', '.', '-', 'abc', '1.2.3', '0x10', '1,5', '$1', 'e5', '1e', '--1']) {
      assert.throws(() => parseMoney(text), MoneyError, JSON.stringify(text));
    }
    assert.equal(parseOptionalMoney(null), null);
    assert.equal(parseOptionalMoney(undefined), null);
    assert.equal(parseOptionalMoney('  '), null);
    assert.equal(parseOptionalMoney('0'), 0n, 'a genuine zero is not a missing cost');
    assert.equal(parseMoney(' 0.5 '), 500_000_000n);
    assert.equal(parseMoney('.5'), 500_000_000n);
    assert.equal(parseMoney('5.'), 5_000_000_000n);
  });
});

describe('currencies', () => {
  it('CurrencyTotals keeps every currency apart', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ currency: fc.constantFrom('USD', 'EUR', 'usd', 'eur', 'GBP'), amount: nanos }), { maxLength: 100 }), (items) => {
        const totals = new CurrencyTotals();
        for (const i of items) totals.add(i.currency, i.amount);
        const byHand = new Map<string, bigint>();
        for (const i of items) byHand.set(i.currency.toUpperCase(), (byHand.get(i.currency.toUpperCase()) ?? 0n) + i.amount);
        assert.deepEqual(totals.currencies(), [...byHand.keys()].sort());
        for (const [c, v] of byHand) assert.equal(totals.get(c), v);
        assert.deepEqual(
          totals.toJSON(),
          Object.fromEntries([...byHand.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, formatMoney(v)])),
        );
      }),
    );
    const t = new CurrencyTotals().add('USD', parseMoney('0.018')).add('EUR', parseMoney('0.011'));
    assert.equal(t.get('USD'), 18_000_000n);
    assert.equal(t.get('EUR'), 11_000_000n);
    assert.equal(t.get('GBP'), 0n);
    assert.throws(() => t.add('US Dollar', 1n), MoneyError);
  });

  it('sumSameCurrency sums one currency and throws on a mix', () => {
    assert.deepEqual(
      sumSameCurrency([
        { amount: parseMoney('0.018'), currency: 'USD' },
        { amount: parseMoney('0.00305'), currency: 'usd' },
      ]),
      { amount: 21_050_000n, currency: 'USD' },
    );
    assert.deepEqual(sumSameCurrency([]), { amount: 0n, currency: null });
    assert.throws(
      () =>
        sumSameCurrency([
          { amount: 1n, currency: 'USD' },
          { amount: 1n, currency: 'EUR' },
        ]),
      (err: unknown) => err instanceof MoneyError && /EUR/.test(err.message) && /USD/.test(err.message),
    );
    fc.assert(
      fc.property(fc.array(nanos, { minLength: 1, maxLength: 50 }), fc.nat(), (amounts, at) => {
        const items = amounts.map((amount) => ({ amount, currency: 'USD' }));
        assert.equal(
          sumSameCurrency(items).amount,
          amounts.reduce((s, a) => s + a, 0n),
        );
        items.splice(at % (items.length + 1), 0, { amount: 0n, currency: 'EUR' });
        assert.throws(() => sumSameCurrency(items), MoneyError);
      }),
    );
    assert.equal(normalizeCurrency(' eur '), 'EUR');
    assert.throws(() => normalizeCurrency(12), MoneyError);
  });
});

describe('perMinuteCost', () => {
  it('computes the worked examples exactly', () => {
    assert.equal(formatMoney(perMinuteCost('0.015', 60)), '0.015');
    assert.equal(formatMoney(perMinuteCost('0.009', 120)), '0.018');
    assert.equal(formatMoney(perMinuteCost('0.0125', 6)), '0.00125');
    assert.equal(perMinuteCost('0.015', 0), 0n);
    // 0.01/min for 1 s = 0.000166666666... -> rounded half away from zero to the nano-unit.
    assert.equal(perMinuteCost('0.01', 1), 166_667n);
    assert.equal(perMinuteCost('-0.01', 1), -166_667n);
  });

  it('is rate × seconds / 60, rounded half away from zero only at the nano-unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.integer({ min: 0, max: 100_000 }), (rate, seconds) => {
        const got = perMinuteCost(formatMoney(rate), seconds);
        const exact = rate * BigInt(seconds); // in nano-units × 60
        // |got·60 − exact| ≤ 30: off by at most half a nano-unit.
        const err = got * 60n - exact;
        assert.ok(err >= -30n && err <= 30n, `${rate} × ${seconds}: ${got}`);
        if (exact % 60n === 0n) assert.equal(got, exact / 60n);
      }),
    );
    assert.equal(divRoundHalfAway(3n, 2n), 2n);
    assert.equal(divRoundHalfAway(-3n, 2n), -2n);
    assert.throws(() => divRoundHalfAway(1n, 0n), MoneyError);
    assert.throws(() => perMinuteCost('0.015', 1.5), MoneyError);
    assert.throws(() => perMinuteCost('0.015', -1), MoneyError);
  });
});
