// Exact money. A money amount is a bigint count of nano-units (1e-9) of one currency.
// Telnyx sends costs and fees as decimal strings with five or more decimals ("0.00305");
// nine decimals hold every value seen with room to spare, and bigint keeps sums over a
// million rows exact. Nothing here ever touches a float.

export const MONEY_DECIMALS = 9;
const SCALE = 10n ** BigInt(MONEY_DECIMALS);

/** Nano-units of one currency. */
export type Nanos = bigint;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal string (or a JSON number that Telnyx sent where a string was expected)
 * into nano-units. More significant decimals than nine is an error, never a rounding.
 */
export function parseMoney(input: string | number): Nanos {
  const text = typeof input === 'number' ? numberToDecimalText(input) : input.trim();
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new MoneyError(`not a decimal amount: ${JSON.stringify(input)}`);
  }
  const sign = m[1] === '-' ? -1n : 1n;
  let intPart = m[2] ?? '';
  let fracPart = m[3] ?? '';
  const exponent = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new MoneyError(`exponent out of range: ${JSON.stringify(input)}`);
  }
  // Shift the decimal point by the exponent, on the digit string.
  if (exponent > 0) {
    const moved = fracPart.slice(0, exponent).padEnd(exponent, '0');
    intPart += moved;
    fracPart = fracPart.slice(exponent);
  } else if (exponent < 0) {
    const k = -exponent;
    const padded = intPart.padStart(k, '0');
    fracPart = padded.slice(padded.length - k) + fracPart;
    intPart = padded.slice(0, padded.length - k);
  }
  const significant = fracPart.replace(/0+$/, '');
  if (significant.length > MONEY_DECIMALS) {
    throw new MoneyError(`${JSON.stringify(input)} has more than ${MONEY_DECIMALS} decimals; refusing to round it`);
  }
  const whole = BigInt(intPart === '' ? '0' : intPart);
  const frac = BigInt(significant.padEnd(MONEY_DECIMALS, '0') || '0');
  return sign * (whole * SCALE + frac);
}

/** Like parseMoney, but null/undefined/'' stay null (a missing cost is not zero). */
export function parseOptionalMoney(input: string | number | null | undefined): Nanos | null {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string' && input.trim() === '') return null;
  return parseMoney(input);
}

function numberToDecimalText(n: number): string {
  if (!Number.isFinite(n)) throw new MoneyError(`not a finite amount: ${n}`);
  // String(n) is the shortest text that reads back as the same double: for a value that
  // arrived as JSON "0.018" it gives "0.018", which is what the sender meant.
  return String(n);
}

/**
 * Formats nano-units as a plain decimal string: no trailing zeros beyond `minDecimals`
 * (default 2), never an exponent, never a rounding. "0.0018", "-1.50", "12.00305".
 */
export function formatMoney(amount: Nanos, minDecimals = 2): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const whole = abs / SCALE;
  let frac = (abs % SCALE).toString().padStart(MONEY_DECIMALS, '0').replace(/0+$/, '');
  if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
  const body = frac.length > 0 ? `${whole}.${frac}` : `${whole}`;
  return negative ? `-${body}` : body;
}

const CURRENCY = /^[A-Z]{3}$/;

/** ISO 4217 code, upper-cased. Telnyx sends "USD"; tolerate "usd". */
export function normalizeCurrency(input: unknown): string {
  if (typeof input !== 'string') throw new MoneyError(`currency is not a string: ${JSON.stringify(input)}`);
  const code = input.trim().toUpperCase();
  if (!CURRENCY.test(code)) throw new MoneyError(`not a currency code: ${JSON.stringify(input)}`);
  return code;
}

/** Totals kept apart per currency: adding EUR to USD is a type of bug this makes impossible. */
export class CurrencyTotals {
  readonly #totals = new Map<string, Nanos>();

  add(currency: string, amount: Nanos): this {
    const code = normalizeCurrency(currency);
    this.#totals.set(code, (this.#totals.get(code) ?? 0n) + amount);
    return this;
  }

  get(currency: string): Nanos {
    return this.#totals.get(normalizeCurrency(currency)) ?? 0n;
  }

  currencies(): string[] {
    return [...this.#totals.keys()].sort();
  }

  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.currencies()) out[c] = formatMoney(this.#totals.get(c)!);
    return out;
  }
}

/** Sum of amounts that must all share one currency; mixing is an error, not a conversion. */
export function sumSameCurrency(items: ReadonlyArray<{ amount: Nanos; currency: string }>): {
  amount: Nanos;
  currency: string | null;
} {
  let currency: string | null = null;
  let amount = 0n;
  for (const item of items) {
    const code = normalizeCurrency(item.currency);
    if (currency !== null && code !== currency) {
      throw new MoneyError(`cannot add ${code} to ${currency}`);
    }
    currency = code;
    amount += item.amount;
  }
  return { amount, currency };
}

/**
 * Cost of `seconds` at a per-minute decimal rate, in nano-units. The exact value is a
 * rational number; estimates round half away from zero to the nano-unit, the only rounding
 * in the product, and only ever on an estimate (callers label it so).
 */
export function perMinuteCost(ratePerMinute: string, seconds: number): Nanos {
  if (!Number.isInteger(seconds) || seconds < 0) throw new MoneyError(`bad seconds: ${seconds}`);
  const rate = parseMoney(ratePerMinute);
  const numerator = rate * BigInt(seconds);
  return divRoundHalfAway(numerator, 60n);
}

export function divRoundHalfAway(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new MoneyError('denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}
