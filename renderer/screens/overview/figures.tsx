// What the overview's two tables (per number, per group) share: a row's figures summed per
// currency for the footer (exact bigint decimals, never across currencies), and the cells of
// the four money words.
import type { NumberSummary } from '../../../shared/contract.ts';
import type { MoneyValue } from '../../../shared/domain.ts';
import { Money } from '../../components/Money.tsx';
import { right, type HeadCell } from '../../components/TableHead.tsx';
import { minutesText, sumAmounts } from '../../lib/money.ts';
import { TERMS } from '../../lib/terms.ts';

export type Figures = Pick<
  NumberSummary,
  | 'currency'
  | 'calls'
  | 'minutes'
  | 'messages'
  | 'estimatedTotal'
  | 'exactTotal'
  | 'bookedTotal'
  | 'variance'
  | 'messagesTotal'
  | 'pendingCalls'
  | 'failedCalls'
>;

/** Rows grouped by currency. Codes are three ASCII letters: a plain comparison orders them,
 * without localeCompare's collator (its first use costs tens of ms on the first render). */
export function byCurrency<R extends { currency: string }>(rows: readonly R[]): Array<[string, R[]]> {
  const groups = new Map<string, R[]>();
  for (const r of rows) groups.set(r.currency, [...(groups.get(r.currency) ?? []), r]);
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The sum of amounts of one currency, as a money value of that currency. */
export function sumMoney(currency: string, values: ReadonlyArray<MoneyValue>): MoneyValue {
  return { amount: sumAmounts(values.map((v) => v.amount)), currency };
}

/** One currency's rows summed; the variance only over rows that have one (null if none has). */
export function sumFigures(currency: string, rs: readonly Figures[]): Figures {
  const count = (pick: (r: Figures) => number) => rs.reduce((s, r) => s + pick(r), 0);
  const compared = rs.flatMap((r) => (r.variance ? [r.variance] : []));
  return {
    currency,
    calls: count((r) => r.calls),
    minutes: sumAmounts(rs.map((r) => r.minutes)),
    messages: count((r) => r.messages),
    estimatedTotal: sumMoney(
      currency,
      rs.map((r) => r.estimatedTotal),
    ),
    exactTotal: sumMoney(
      currency,
      rs.map((r) => r.exactTotal),
    ),
    bookedTotal: sumMoney(
      currency,
      rs.map((r) => r.bookedTotal),
    ),
    variance: compared.length ? sumMoney(currency, compared) : null,
    messagesTotal: sumMoney(
      currency,
      rs.map((r) => r.messagesTotal),
    ),
    pendingCalls: count((r) => r.pendingCalls),
    failedCalls: count((r) => r.failedCalls),
  };
}

/** A heading that is one of the four money words, explained on hover. */
export const termHead = (term: keyof typeof TERMS, label: string): HeadCell => right(label, TERMS[term]);

export const MONEY_HEADS = [termHead('estimated', 'Estimated'), termHead('exact', 'Exact'), termHead('booked', 'Booked'), termHead('variance', 'Variance')];

/** A total's cell (rounded to the currency's minor unit, exact on hover), named by data-col. */
export function TotalCell({ col, value, variance }: { col: string; value: MoneyValue | null; variance?: boolean }) {
  return (
    <td className="align-right" data-col={col}>
      <Money value={value} total variance={variance} />
    </td>
  );
}

export function MinutesCell({ minutes }: { minutes: string }) {
  return (
    <td className="align-right" data-col="minutes">
      {minutesText(minutes)}
    </td>
  );
}

/** Estimated, exact, booked and variance: the cells under MONEY_HEADS. */
export function MoneyCells({ r }: { r: Pick<Figures, 'estimatedTotal' | 'exactTotal' | 'bookedTotal' | 'variance'> }) {
  return (
    <>
      <TotalCell col="estimated" value={r.estimatedTotal} />
      <TotalCell col="exact" value={r.exactTotal} />
      <TotalCell col="booked" value={r.bookedTotal} />
      <TotalCell col="variance" value={r.variance} variance />
    </>
  );
}
