// The overview's totals by billing group, tag, connection, direction, country or kind, as the
// core groups them (overview.groups): one row per group and currency, never added across
// currencies; the footer's per-currency totals are left out for tags (a call with two tags is
// in both groups, so the groups overlap).
import type { GroupBy, GroupSummary } from '../../../shared/contract.ts';
import { Money } from '../../components/Money.tsx';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { intText } from '../../lib/format.ts';
import { minutesText, sumAmounts } from '../../lib/money.ts';
import { TERMS } from '../../lib/terms.ts';

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

function Head({ term, children }: { term?: keyof typeof TERMS; children: string }) {
  return (
    <th scope="col" className="align-right" title={term ? TERMS[term] : undefined}>
      {children}
    </th>
  );
}

function Cells({ r }: { r: Omit<GroupSummary, 'key' | 'label' | 'variancePct' | 'exactCalls'> }) {
  return (
    <>
      <td>{r.currency}</td>
      <td className="align-right">{intText(r.calls)}</td>
      <td className="align-right" data-col="minutes">
        {minutesText(r.minutes)}
      </td>
      <td className="align-right">{intText(r.messages)}</td>
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
      <td className="align-right" data-col="messages-total">
        <Money value={r.messagesTotal} total />
      </td>
      <td className="align-right" data-col="total">
        <Money value={r.total} total />
      </td>
      <td className="align-right">{intText(r.pendingCalls)}</td>
      <td className={`align-right${r.failedCalls > 0 ? ' text-bad' : ''}`}>{intText(r.failedCalls)}</td>
    </>
  );
}

function totals(rows: readonly GroupSummary[]) {
  const by = new Map<string, GroupSummary[]>();
  for (const r of rows) by.set(r.currency, [...(by.get(r.currency) ?? []), r]);
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, rs]) => {
      const sum = (pick: (r: GroupSummary) => string) => ({ amount: sumAmounts(rs.map(pick)), currency });
      const compared = rs.filter((r) => r.variance !== null);
      return {
        currency,
        calls: rs.reduce((s, r) => s + r.calls, 0),
        minutes: sumAmounts(rs.map((r) => r.minutes)),
        messages: rs.reduce((s, r) => s + r.messages, 0),
        estimatedTotal: sum((r) => r.estimatedTotal.amount),
        exactTotal: sum((r) => r.exactTotal.amount),
        bookedTotal: sum((r) => r.bookedTotal.amount),
        variance: compared.length ? sum((r) => r.variance?.amount ?? '0') : null,
        messagesTotal: sum((r) => r.messagesTotal.amount),
        total: sum((r) => r.total.amount),
        pendingCalls: rs.reduce((s, r) => s + r.pendingCalls, 0),
        failedCalls: rs.reduce((s, r) => s + r.failedCalls, 0),
      };
    });
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
          <thead>
            <tr>
              <th scope="col">{name}</th>
              <th scope="col">Currency</th>
              <Head>Calls</Head>
              <Head>Minutes</Head>
              <Head>SMS</Head>
              <Head term="estimated">Estimated</Head>
              <Head term="exact">Exact</Head>
              <Head term="booked">Booked</Head>
              <Head term="variance">Variance</Head>
              <Head>SMS cost</Head>
              <Head>Total</Head>
              <Head>Pending</Head>
              <Head>Failed</Head>
            </tr>
          </thead>
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
