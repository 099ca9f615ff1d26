// The overview's totals by billing group, tag, connection, direction, country or kind, as the
// core groups them (overview.groups): one row per group and currency, never added across
// currencies; the footer's per-currency totals are left out for tags (a call with two tags is
// in both groups, so the groups overlap).
import type { GroupBy, GroupSummary } from '../../../shared/contract.ts';
import type { MoneyValue } from '../../../shared/domain.ts';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { right, TableHead } from '../../components/TableHead.tsx';
import { intText } from '../../lib/format.ts';
import { byCurrency, MinutesCell, MONEY_HEADS, MoneyCells, sumFigures, sumMoney, TotalCell, type Figures } from './figures.tsx';

export const GROUP_LABELS: Record<GroupBy, string> = {
  number: 'Number',
  billingGroup: 'Billing group',
  tag: 'Tag',
  connection: 'Connection',
  direction: 'Direction',
  country: 'Country',
  kind: 'Kind',
};
/** The choices, in the contract's order (the record above must name every one: compile-checked). */
export const GROUP_BYS = Object.keys(GROUP_LABELS) as GroupBy[];

function Cells({ r }: { r: Figures & { total: MoneyValue } }) {
  return (
    <>
      <td>{r.currency}</td>
      <td className="align-right">{intText(r.calls)}</td>
      <MinutesCell minutes={r.minutes} />
      <td className="align-right">{intText(r.messages)}</td>
      <MoneyCells r={r} />
      <TotalCell col="messages-total" value={r.messagesTotal} />
      <TotalCell col="total" value={r.total} />
      <td className="align-right">{intText(r.pendingCalls)}</td>
      <td className={`align-right${r.failedCalls > 0 ? ' text-bad' : ''}`}>{intText(r.failedCalls)}</td>
    </>
  );
}

/** The footer's lines: one per currency, the groups' total included. */
function totals(rows: readonly GroupSummary[]) {
  return byCurrency(rows).map(([currency, rs]) => ({
    ...sumFigures(currency, rs),
    total: sumMoney(
      currency,
      rs.map((r) => r.total),
    ),
  }));
}

export function GroupTable({ by, rows }: { by: GroupBy; rows: readonly GroupSummary[] }) {
  const name = GROUP_LABELS[by];
  return (
    <>
      {by === 'tag' && (
        <p className="muted" data-testid="groups-note">
          A call or message with several tags counts under each of them, so tags are not added up.
        </p>
      )}
      <ScrollRegion label={`Costs per ${name.toLowerCase()}`}>
        <table className="data-table" data-testid="groups-table" data-by={by}>
          <caption className="sr-only">Costs per {name.toLowerCase()} and currency for the selected period</caption>
          <TableHead
            columns={[
              name,
              'Currency',
              right('Calls'),
              right('Minutes'),
              right('SMS'),
              ...MONEY_HEADS,
              right('SMS cost'),
              right('Total'),
              right('Pending'),
              right('Failed'),
            ]}
          />
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.key ?? ''}|${r.currency}`} data-testid="group-row" data-key={r.key ?? ''} data-currency={r.currency}>
                <th scope="row">{r.label}</th>
                <Cells r={r} />
              </tr>
            ))}
          </tbody>
          {by !== 'tag' && rows.length > 1 && (
            <tfoot>
              {totals(rows).map((t) => (
                <tr key={t.currency} data-testid={`groups-total-${t.currency}`}>
                  <th scope="row">All</th>
                  <Cells r={t} />
                </tr>
              ))}
            </tfoot>
          )}
        </table>
      </ScrollRegion>
    </>
  );
}
