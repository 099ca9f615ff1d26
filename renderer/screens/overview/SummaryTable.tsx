// Per-number, per-currency totals. Rows of different currencies are never added together;
// the footer has one "All numbers" line per currency, summed exactly (bigint decimals). A
// number, its calls count and its SMS count open that number's calls or messages (drill-down).
import type { NumberSummary } from '../../../shared/contract.ts';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { DrillLink } from '../../components/DrillBack.tsx';
import { right, TableHead } from '../../components/TableHead.tsx';
import { intText } from '../../lib/format.ts';
import { TERMS } from '../../lib/terms.ts';
import { byCurrency, MinutesCell, MONEY_HEADS, MoneyCells, sumFigures, termHead, TotalCell } from './figures.tsx';

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

export function SummaryTable({ rows }: { rows: NumberSummary[] }) {
  const totals = byCurrency(rows).map(([currency, rs]) => sumFigures(currency, rs));
  return (
    <ScrollRegion label="Costs per number">
      <table className="data-table" data-testid="summary-table">
        <caption className="sr-only">Costs per number and currency for the selected period</caption>
        <TableHead
          columns={[
            'Number',
            'Currency',
            right('Calls'),
            right('Minutes'),
            right('SMS'),
            ...MONEY_HEADS,
            termHead('variance', 'Variance %'),
            right('SMS cost'),
            right('Pending'),
            right('Failed'),
          ]}
        />
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
              <MinutesCell minutes={r.minutes} />
              <td className="align-right">
                <DrillLink screen="messages" number={r.number} label={`${intText(r.messages)} messages of ${r.number}`} testId="drill-messages">
                  {intText(r.messages)}
                </DrillLink>
              </td>
              <MoneyCells r={r} />
              <td className="align-right" data-col="variance-pct">
                <Pct value={r.variancePct} />
              </td>
              <TotalCell col="messages-total" value={r.messagesTotal} />
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
                <MinutesCell minutes={t.minutes} />
                <td className="align-right">{intText(t.messages)}</td>
                <MoneyCells r={t} />
                <td className="align-right">—</td>
                <TotalCell col="messages-total" value={t.messagesTotal} />
                <td className="align-right">{intText(t.pendingCalls)}</td>
                <td className="align-right">{intText(t.failedCalls)}</td>
              </tr>
            ))}
          </tfoot>
        )}
      </table>
    </ScrollRegion>
  );
}
