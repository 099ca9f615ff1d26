// Money on screen. The contract's decimal strings go through shared/money.ts (bigint
// nano-units) and stay there: rounding is done on the bigint and the digits are grouped as
// text, so no amount ever passes through a float.
//   total  — a sum (overview, per day): rounded half away from zero to the currency's minor
//            unit (2 for USD and EUR, 0 for JPY, 3 for BHD, as Intl knows them): "168.25"
//   amount — one call's or message's cost: every digit it has, at least the minor unit:
//            "0.00385", "0.165", "0.10"
//   exact  — every digit, for the title (hover) and the detail panels: "168.25137449"
import { divRoundHalfAway, formatMoney, MONEY_DECIMALS, parseMoney, type Nanos } from '../../shared/money.ts';
import type { MoneyValue } from '../../shared/domain.ts';

const minorCache = new Map<string, number>();

/** Digits of the currency's minor unit (ISO 4217 through Intl); 2 for a code Intl rejects. */
export function minorDigits(currency: string): number {
  let digits = minorCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorCache.set(currency, digits);
  }
  return digits;
}

interface Separators {
  group: Intl.NumberFormat;
  decimal: string;
  minus: string;
}
let separators: Separators | null = null;

/** The locale's grouping (applied to a bigint: exact), decimal point and minus sign. */
function seps(): Separators {
  if (!separators) {
    const parts = new Intl.NumberFormat(undefined).formatToParts(-1.5);
    separators = {
      group: new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, useGrouping: true }),
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      minus: parts.find((p) => p.type === 'minusSign')?.value ?? '-',
    };
  }
  return separators;
}

/** "1234.5" (a plain decimal string, optional "-") -> "1,234.5" in the user's locale. */
export function groupDecimal(plain: string): string {
  const negative = plain.startsWith('-');
  const body = negative ? plain.slice(1) : plain;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot + 1);
  const s = seps();
  const grouped = s.group.format(BigInt(whole === '' ? '0' : whole));
  const isZero = /^0*$/.test(whole) && /^0*$/.test(frac);
  return `${negative && !isZero ? s.minus : ''}${grouped}${frac ? `${s.decimal}${frac}` : ''}`;
}

export function toNanos(amount: string): Nanos | null {
  try {
    return parseMoney(amount);
  } catch {
    return null;
  }
}

/** Nano-units rounded (half away from zero) to `digits` decimals, as a plain decimal string. */
export function roundedPlain(nanos: Nanos, digits: number): string {
  const step = 10n ** BigInt(MONEY_DECIMALS - digits);
  const units = divRoundHalfAway(nanos, step);
  const negative = units < 0n;
  const abs = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const body = digits > 0 ? `${whole}.${abs.slice(abs.length - digits)}` : whole;
  return negative ? `-${body}` : body;
}

/** A total: "168.25" (minor unit, grouped). Unparsable text is shown as it came. */
export function totalText(amount: string, currency: string): string {
  const n = toNanos(amount);
  return n === null ? amount : groupDecimal(roundedPlain(n, minorDigits(currency)));
}

/** One cost with every digit it has, at least the minor unit: "0.00385", "1,234.50". */
export function amountText(amount: string, currency: string): string {
  const n = toNanos(amount);
  return n === null ? amount : groupDecimal(formatMoney(n, minorDigits(currency)));
}

/** "0.00385 USD"; null (no cost known) is an em dash, never zero. */
export function moneyText(m: MoneyValue | null | undefined): string {
  if (!m) return '—';
  return `${amountText(m.amount, m.currency)} ${m.currency}`;
}

/** "168.25 USD" for a total. */
export function totalMoneyText(m: MoneyValue): string {
  return `${totalText(m.amount, m.currency)} ${m.currency}`;
}

/** Exact sum of decimal strings (all of one currency, by the caller's construction). */
export function sumAmounts(amounts: readonly string[]): string {
  let total = 0n;
  for (const a of amounts) total += toNanos(a) ?? 0n; // an unparsable amount adds nothing rather than breaking the table
  return formatMoney(total, 0);
}

/** -1, 0 or 1: the sign of an amount (0 when it cannot be read). */
export function signOf(amount: string): -1 | 0 | 1 {
  const n = toNanos(amount);
  return n === null || n === 0n ? 0 : n < 0n ? -1 : 1;
}

/** Billed minutes as the core sends them (tenths, "1245.5"), grouped: "1,245.5"; "12" -> "12.0". */
export function minutesText(minutes: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(minutes)) return minutes;
  return groupDecimal(minutes.includes('.') ? minutes : `${minutes}.0`);
}
