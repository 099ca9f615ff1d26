// Money leaving the core: exact decimal strings with their currency (contract MoneyValue).
import { formatMoney } from '../../../shared/money.ts';
import type { MoneyValue } from '../../../shared/domain.ts';
import { toNanos } from '../ledger/rows.ts';

export function moneyValue(nanos: unknown, currency: unknown): MoneyValue | null {
  const n = toNanos(nanos);
  if (n === null || typeof currency !== 'string' || currency === '') return null;
  return { amount: formatMoney(n), currency };
}

/** Percentage with one decimal, computed exactly on bigints: 100 * part / base. */
export function percent(part: bigint, base: bigint): string | null {
  if (base === 0n) return null;
  // Tenths of a percent, rounded half away from zero on the magnitude, then signed.
  const neg = part < 0n !== base < 0n && part !== 0n;
  const p = part < 0n ? -part : part;
  const b = base < 0n ? -base : base;
  const abs = (p * 1000n * 2n + b) / (b * 2n);
  return `${neg ? '-' : ''}${abs / 10n}.${abs % 10n}`;
}
