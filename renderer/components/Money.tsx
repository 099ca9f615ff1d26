import type { MoneyValue } from '../../shared/domain.ts';
import { amountText, signOf, toNanos, totalText } from '../lib/money.ts';
import { formatMoney } from '../../shared/money.ts';

interface Props {
  value: MoneyValue | null | undefined;
  /** A sum: rounded to the currency's minor unit on screen, exact on hover. */
  total?: boolean;
  /** A variance (exact - estimate): signed, and coloured as over or under the estimate. */
  variance?: boolean;
}

/**
 * An amount with its currency. The exact value is always in the title (hover) and in
 * data-amount (the plain decimal string, for tests and copy); the text is rounded only for
 * totals. A variance says over or under the estimate in its sign, colour and title.
 */
export function Money({ value, total, variance }: Props) {
  if (!value && variance) {
    // Not computable (no call with both an estimate and an exact cost): never shown as 0.
    return (
      <span className="money money-none" title="No call here has both an estimate and an exact cost in this currency" data-variance="n/a">
        n/a
      </span>
    );
  }
  if (!value) return <span className="money money-none">—</span>;
  const nanos = toNanos(value.amount);
  const exact = amountText(value.amount, value.currency);
  const shown = total ? totalText(value.amount, value.currency) : exact;
  const sign = variance ? signOf(value.amount) : 0;
  const side = sign > 0 ? 'over' : sign < 0 ? 'under' : null;
  const title = variance
    ? side
      ? `Exact ${exact.replace(/^[-−]/, '')} ${value.currency} ${side} the estimate`
      : `Exact equals the estimate`
    : `${exact} ${value.currency}`;
  return (
    <span
      className={`money${side ? ` money-${side}` : ''}`}
      title={title}
      data-amount={nanos === null ? value.amount : formatMoney(nanos)}
      data-variance={side ?? undefined}
    >
      {sign > 0 ? '+' : ''}
      {shown} {value.currency}
    </span>
  );
}
