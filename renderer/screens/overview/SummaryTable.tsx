// Per-number, per-currency totals. Rows of different currencies are never added together;
// the footer has one "All numbers" line per currency, summed exactly (bigint decimals). A
// number, its calls count and its SMS count open that number's calls or messages (drill-down).
import type { NumberSummary } from '../../../shared/contract.ts';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { Money } from '../../components/Money.tsx';
import { DrillLink } from '../../components/DrillBack.tsx';
import { intText } from '../../lib/format.ts';
import { minutesText, sumAmounts } from '../../lib/money.ts';
import { TERMS } from '../../lib/terms.ts';

function pct(v: string | null): string {
  if (v === null) return '—';
  return `${v.startsWith('-') ? '' : '+'}${v}%`;
}

/** The variance % cell, coloured like its amount: over or under the estimate. */
function Pct({ value }: { value: string | null }) {
  const side = value === null || /^-?0(\.0*)?$/.test(value) ? null : value.startsWith('-') ? 'under' : 'over';
  return (
    <span className={side ? `variance-${side}` : undefined} title={side ? `Exact is ${value!.replace(/^-/, '')}% ${side} the estimate` : undefined}>
      {pct(value)}
    </span>
  );
}

function Head({ term, children }: { term: keyof typeof TERMS; children: string }) {
  return (
    <th scope="col" className="align-right" title={TERMS[term]}>
      {children}
    </th>
  );
}

/** The legend under the table: the four words, and the variance colours. */
export function MoneyLegend() {
  return (
    <div className="legend" data-testid="money-legend" role="note" aria-label="What the amounts mean">
      <dl className="legend-terms">
        <dt>Estimated</dt>
        <dd>{TERMS.estimated}</dd>
        <dt>Exact</dt>
        <dd>{TERMS.exact}</dd>
        <dt>Booked</dt>
        <dd>{TERMS.booked}</dd>
        <dt>Variance</dt>
        <dd>
          {TERMS.variance} <span className="variance-over">+ over</span> · <span className="variance-under">− under</span>
        </dd>
      </dl>
      <p className="legend-foot">Totals are rounded to the currency's smallest unit; hover an amount for its exact value.</p>
    </div>
  );
}

interface Totals {
  currency: string;
  calls: number;
  minutes: string;
  messages: number;
  estimated: string;
  exact: string;
  booked: string;
  variance: string | null;
  messagesTotal: string;
  pending: number;
  failed: number;
}

function totalsByCurrency(rows: NumberSummary[]): Totals[] {
  const groups = new Map<string, NumberSummary[]>();
  for (const r of rows) groups.set(r.currency, [...(groups.get(r.currency) ?? []), r]);
  return (
    [...groups.entries()]
      // Currency codes are three ASCII letters: a plain comparison orders them, without
      // localeCompare's collator (its first use costs tens of ms on the first render).
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([currency, rs]) => ({
        currency,
        calls: rs.reduce((s, r) => s + r.calls, 0),
        minutes: sumAmounts(rs.map((r) => r.minutes)),
        messages: rs.reduce((s, r) => s + r.messages, 0),
        estimated: sumAmounts(rs.map((r) => r.estimatedTotal.amount)),
        exact: sumAmounts(rs.map((r) => r.exactTotal.amount)),
        booked: sumAmounts(rs.map((r) => r.bookedTotal.amount)),
        variance: rs.some((r) => r.variance) ? sumAmounts(rs.flatMap((r) => (r.variance ? [r.variance.amount] : []))) : null,
        messagesTotal: sumAmounts(rs.map((r) => r.messagesTotal.amount)),
        pending: rs.reduce((s, r) => s + r.pendingCalls, 0),
        failed: rs.reduce((s, r) => s + r.failedCalls, 0),
      }))
  );
}

export function SummaryTable({ rows }: { rows: NumberSummary[] }) {
  const totals = totalsByCurrency(rows);
  return (
    <ScrollRegion label="Costs per number">
      <table className="data-table" data-testid="summary-table">
        <caption className="sr-only">Costs per number and currency for the selected period</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Currency</th>
            <th scope="col" className="align-right">
              Calls
            </th>
            <th scope="col" className="align-right">
              Minutes
            </th>
            <th scope="col" className="align-right">
              SMS
            </th>
            <Head term="estimated">Estimated</Head>
            <Head term="exact">Exact</Head>
            <Head term="booked">Booked</Head>
            <Head term="variance">Variance</Head>
            <Head term="variance">Variance %</Head>
            <th scope="col" className="align-right">
              SMS cost
            </th>
            <th scope="col" className="align-right">
              Pending
            </th>
            <th scope="col" className="align-right">
              Failed
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.number}|${r.currency}`} data-testid="summary-row" data-number={r.number} data-currency={r.currency}>
              <th scope="row" className="mono">
                <DrillLink screen="calls" number={r.number} label={`Calls of ${r.number}`} testId="drill-number">
                  {r.number}
                </DrillLink>
              </th>
              <td>{r.currency}</td>
              <td className="align-right">
                <DrillLink screen="calls" number={r.number} label={`${intText(r.calls)} calls of ${r.number}`} testId="drill-calls">
                  {intText(r.calls)}
                </DrillLink>
              </td>
              <td className="align-right" data-col="minutes">
                {minutesText(r.minutes)}
              </td>
              <td className="align-right">
                <DrillLink screen="messages" number={r.number} label={`${intText(r.messages)} messages of ${r.number}`} testId="drill-messages">
                  {intText(r.messages)}
                </DrillLink>
              </td>
              <td className="align-right" data-col="estimated">
                <Money value={r.estimatedTotal} total />
              </td>
              <td className="align-right" data-col="exact">
                <Money value={r.exactTotal} total />
              </td>
              <td className="align-right" data-col="booked">
                <Money value={r.bookedTotal} total />
              </td>
              <td className="align-right" data-col="variance">
                <Money value={r.variance} total variance />
              </td>
              <td className="align-right" data-col="variance-pct">
                <Pct value={r.variancePct} />
              </td>
              <td className="align-right" data-col="messages-total">
                <Money value={r.messagesTotal} total />
              </td>
              <td className="align-right">{r.pendingCalls > 0 ? intText(r.pendingCalls) : '0'}</td>
              <td className={`align-right${r.failedCalls > 0 ? ' text-bad' : ''}`}>{intText(r.failedCalls)}</td>
            </tr>
          ))}
        </tbody>
        {rows.length > 1 && (
          <tfoot>
            {totals.map((t) => (
              <tr key={t.currency} data-testid={`summary-total-${t.currency}`}>
                <th scope="row">All numbers</th>
                <td>{t.currency}</td>
                <td className="align-right">{intText(t.calls)}</td>
                <td className="align-right" data-col="minutes">
                  {minutesText(t.minutes)}
                </td>
                <td className="align-right">{intText(t.messages)}</td>
                <td className="align-right" data-col="estimated">
                  <Money value={{ amount: t.estimated, currency: t.currency }} total />
                </td>
                <td className="align-right" data-col="exact">
                  <Money value={{ amount: t.exact, currency: t.currency }} total />
                </td>
                <td className="align-right" data-col="booked">
                  <Money value={{ amount: t.booked, currency: t.currency }} total />
                </td>
                <td className="align-right" data-col="variance">
                  <Money value={t.variance === null ? null : { amount: t.variance, currency: t.currency }} total variance />
                </td>
                <td className="align-right">—</td>
                <td className="align-right" data-col="messages-total">
                  <Money value={{ amount: t.messagesTotal, currency: t.currency }} total />
                </td>
                <td className="align-right">{intText(t.pending)}</td>
                <td className="align-right">{intText(t.failed)}</td>
              </tr>
            ))}
          </tfoot>
        )}
      </table>
    </ScrollRegion>
  );
}
