// Money leaving the core: exact decimal strings with their currency (contract MoneyValue).
import { formatMoney } from '../../../shared/money.ts';
import type { MoneyValue } from '../../../shared/domain.ts';
import { toNanos } from '../ledger/rows.ts';

export function moneyValue(nanos: unknown, currency: unknown): MoneyValue | null {
  const n = toNanos(nanos);
  if (n === null || typeof currency !== 'string' || currency === '') return null;
  return { amount: formatMoney(n), currency };
}

export function zeroIfNull(nanos: unknown): bigint {
  return toNanos(nanos) ?? 0n;
}

/** Percentage with one decimal, computed exactly on bigints: 100 * part / base. */
export function percent(part: bigint, base: bigint): string | null {
  if (base === 0n) return null;
  const scaled = (part * 1000n * 2n + base) / (base * 2n); // tenths of a percent, rounded half up
  const neg = scaled < 0n;
  const abs = neg ? -scaled : scaled;
  return `${neg ? '-' : ''}${abs / 10n}.${abs % 10n}`;
}
