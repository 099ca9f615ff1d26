// Money on screen: the contract's decimal strings, normalised through shared/money.ts
// (bigint, never a float) so every amount shows at least four decimals ("0.0018 USD").
import { formatMoney, parseMoney } from '../../shared/money.ts';
import type { MoneyValue } from '../../shared/domain.ts';

export const DISPLAY_DECIMALS = 4;

/** "0.0018" from "0.0018", "1.5000" from "1.5", "0.00305" stays. Unparsable text is shown as is. */
export function amountText(amount: string, minDecimals = DISPLAY_DECIMALS): string {
  try {
    return formatMoney(parseMoney(amount), minDecimals);
  } catch {
    return amount;
  }
}

/** "0.0018 USD"; null (no cost known) is an em dash, never zero. */
export function moneyText(m: MoneyValue | null | undefined): string {
  if (!m) return '—';
  return `${amountText(m.amount)} ${m.currency}`;
}

/** Exact sum of decimal strings (all of one currency, by the caller's construction). */
export function sumAmounts(amounts: readonly string[]): string {
  let total = 0n;
  for (const a of amounts) {
    try {
      total += parseMoney(a);
    } catch {
      // an unparsable amount contributes nothing rather than breaking the table
    }
  }
  return formatMoney(total, 0);
}

export function isNegative(amount: string): boolean {
  return amount.trim().startsWith('-');
}

/** Minutes as a decimal string, trimmed to at most 2 decimals without float maths. */
export function minutesText(minutes: string): string {
  try {
    const text = formatMoney(parseMoney(minutes), 2);
    const dot = text.indexOf('.');
    return text.slice(0, dot + 3);
  } catch {
    return minutes;
  }
}
