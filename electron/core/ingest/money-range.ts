// The ledger keeps an amount in one SQLite integer (int64 nano-units, up to
// 9223372036.854775807). A larger amount cannot be stored exactly: the row or event that
// carries it is set aside alone, with this reason, instead of failing its whole page.
import { MoneyError, parseOptionalMoney } from '../../../shared/money.ts';

export const MAX_NANOS = 2n ** 63n - 1n;

export function fitsLedger(nanos: bigint | null): boolean {
  return nanos === null || (nanos <= MAX_NANOS && nanos >= -MAX_NANOS);
}

export function outOfRange(field: string, nanos: bigint): string {
  return `${field}: ${nanos < 0n ? '-' : ''}${(nanos < 0n ? -nanos : nanos).toString()} nano-units is out of range (amounts up to 9223372036.854775807 can be kept)`;
}

/** parseOptionalMoney, refusing what the ledger cannot hold. */
export function storableMoney(input: string | number | null | undefined): bigint | null {
  const n = parseOptionalMoney(input);
  if (!fitsLedger(n)) throw new MoneyError(outOfRange('amount', n!));
  return n;
}
