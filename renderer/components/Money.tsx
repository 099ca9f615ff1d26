import type { MoneyValue } from '../../shared/domain.ts';
import { isNegative, moneyText } from '../lib/money.ts';

/** An amount as exact text with its currency; negatives (credits, savings) marked. */
export function Money({ value, signed }: { value: MoneyValue | null | undefined; signed?: boolean }) {
  if (!value) return <span className="money money-none">—</span>;
  const neg = isNegative(value.amount);
  const text = moneyText(value);
  return (
    <span className={`money${signed ? (neg ? ' money-neg' : ' money-pos') : ''}`}>
      {signed && !neg && value.amount.replace(/[0.]/g, '') !== '' ? `+${text}` : text}
    </span>
  );
}
