// Money and minutes as spreadsheet and print values. A spreadsheet number is a double that
// Excel shows to 15 significant digits: an amount that does not survive that round trip
// exactly also gets its exact decimal text beside it; the ledger's bigint is never rounded.
import { formatMoney } from '../../../shared/money.ts';

/** The exact decimal text when a spreadsheet number cannot carry `nanos` exactly, else null. */
export function exactTextIfNeeded(nanos: bigint): string | null {
  const text = formatMoney(nanos, 0);
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  if (digits.length > 15) return text;
  const back = String(Number(text));
  return back === text ? null : text;
}

/** The amount as a spreadsheet number (exact whenever exactTextIfNeeded is null). */
export function moneyNumber(nanos: bigint): number {
  return Number(formatMoney(nanos, 0));
}

/** Billed minutes with two decimals (seconds stay exact in their own column). */
export function minutesText(billedSec: number): string {
  return (billedSec / 60).toFixed(2);
}

/** Variance as a percentage of the estimate it departs from (one decimal), as the overview shows it. */
export { percent as variancePct } from '../views/money-view.ts';
