// Conversions at the SQLite boundary. Money columns are INTEGER nano-units; a single row's
// value always fits a double exactly (|x| < 2^53 nano = 9 million units), so rows read as
// numbers and become bigint here. Sums go through statements with safeIntegers() instead.
import { LedgerError } from './open.ts';

export function toNanos(value: unknown): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new LedgerError(`money column holds a non-integer: ${String(value)}`);
}

export function toInt(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new LedgerError(`integer column holds ${typeof value}`);
}

export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}
