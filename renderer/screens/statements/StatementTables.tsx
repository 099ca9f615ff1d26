// A statement's figures per currency: calls and messages by kind, totals, top destinations.
// Amounts are the exact decimal text the core sends, with their currency.
import type { ReactNode } from 'react';
import type { StatementView } from '../../../shared/data.ts';
import { intText } from '../../lib/format.ts';
import { right, TableHead, type HeadCell } from '../../components/TableHead.tsx';

type Section = StatementView['sections'][number];

/** One of a statement section's tables: its caption for screen readers, headings and rows. */
function StatementTable(p: { testId: string; caption: string; columns: ReadonlyArray<string | HeadCell>; children: ReactNode }) {
  return (
    <table className="data-table compact" data-testid={p.testId}>
      <caption className="sr-only">{p.caption}</caption>
      <TableHead columns={p.columns} />
      <tbody>{p.children}</tbody>
    </table>
  );
}

function CallsTable({ s }: { s: Section }) {
  return (
    <StatementTable
      testId={`statement-calls-${s.currency}`}
      caption={`Calls by kind in ${s.currency}`}
      columns={['Calls', right('Count'), right('Minutes'), right('Exact / estimated'), right('Exact'), right('Estimated'), right('Booked'), right('Variance')]}
    >
      {[...s.calls, s.callsTotal].map((l) => (
        <tr key={l.kind} data-testid="statement-call-line">
          <th scope="row">{l.kind}</th>
          <td className="align-right">{intText(l.calls)}</td>
          <td className="align-right">{l.minutes}</td>
          <td className="align-right">
            {intText(l.exactCalls)} / {intText(l.estimatedCalls)}
          </td>
          <td className="align-right money">{l.exact}</td>
          <td className="align-right money">{l.estimated}</td>
          <td className="align-right money" data-testid="statement-booked">
            {l.booked}
          </td>
          <td className="align-right money">
            {l.variance}
            {l.variancePct !== null ? ` (${l.variancePct}%)` : ''}
          </td>
        </tr>
      ))}
    </StatementTable>
  );
}

function MessagesTable({ s }: { s: Section }) {
  return (
    <StatementTable
      testId={`statement-messages-${s.currency}`}
      caption={`Messages by kind in ${s.currency}`}
      columns={['Messages', right('Count'), right('Parts'), right('Cost'), right('Carrier fees')]}
    >
      {[...s.messages, s.messagesTotal].map((l) => (
        <tr key={l.kind}>
          <th scope="row">{l.kind}</th>
          <td className="align-right">{intText(l.messages)}</td>
          <td className="align-right">{intText(l.parts)}</td>
          <td className="align-right money">{l.cost}</td>
          <td className="align-right money">{l.carrierFees}</td>
        </tr>
      ))}
    </StatementTable>
  );
}

function DestinationsTable({ s }: { s: Section }) {
  if (s.topDestinations.length === 0) return null;
  return (
    <StatementTable
      testId={`statement-destinations-${s.currency}`}
      caption={`Top destinations in ${s.currency}, outbound, by booked cost`}
      columns={['Top destinations', right('Calls'), right('Messages'), right('Minutes'), right('Booked')]}
    >
      {s.topDestinations.map((d) => (
        <tr key={d.destination}>
          <th scope="row" className="mono">
            {d.destination}
          </th>
          <td className="align-right">{intText(d.calls)}</td>
          <td className="align-right">{intText(d.messages)}</td>
          <td className="align-right">{d.minutes}</td>
          <td className="align-right money">{d.booked}</td>
        </tr>
      ))}
    </StatementTable>
  );
}

/** The statement's exact totals beside Telnyx's usage report, when the check was asked for. */
function TelnyxCheck({ check }: { check: NonNullable<StatementView['telnyxCheck']> }) {
  const outcome =
    check.status === 'matches'
      ? 'The statement agrees with Telnyx.'
      : check.status === 'differs'
        ? 'The statement differs from Telnyx.'
        : `Not checked: ${check.reason ?? ''}`;
  return (
    <section className="card" aria-labelledby="statement-check-title" data-testid="statement-telnyx-check" data-status={check.status}>
      <h2 id="statement-check-title">Check against Telnyx&apos;s usage report</h2>
      <p role="status">{outcome}</p>
      {check.rows.length > 0 && (
        <table className="data-table">
          <caption className="sr-only">Exact totals beside Telnyx&apos;s usage report, per currency</caption>
          <TableHead columns={['Currency', right('Statement exact'), right('Telnyx usage report'), right('Difference'), 'Agrees']} />
          <tbody>
            {check.rows.map((r) => (
              <tr key={r.currency} data-testid={`statement-check-${r.currency}`}>
                <td>{r.currency}</td>
                <td className="align-right money">{r.statement}</td>
                <td className="align-right money">{r.telnyx}</td>
                <td className="align-right money">{r.difference}</td>
                <td>{r.matches ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function StatementTables({ statement }: { statement: StatementView }) {
  const check = statement.telnyxCheck && <TelnyxCheck check={statement.telnyxCheck} />;
  if (statement.sections.length === 0) {
    return (
      <>
        {check}
        <p className="muted" data-testid="statement-empty">
          Nothing priced for {statement.scopeLabel} in {statement.periodLabel}.
        </p>
      </>
    );
  }
  return (
    <>
      {check}
      {statement.sections.map((s) => (
        <section key={s.currency} className="card" aria-labelledby={`statement-${s.currency}`} data-testid={`statement-section-${s.currency}`}>
          <h2 id={`statement-${s.currency}`}>
            {s.currency} · {statement.scopeLabel} · {statement.periodLabel}
          </h2>
          <p>
            Total (calls booked + messages):{' '}
            <strong className="money" data-testid={`statement-total-${s.currency}`}>
              {s.total} {s.currency}
            </strong>
          </p>
          <div className="table-scroll">
            <CallsTable s={s} />
            <MessagesTable s={s} />
            <DestinationsTable s={s} />
          </div>
        </section>
      ))}
      {(statement.unpricedCalls > 0 || statement.unpricedMessages > 0) && (
        <p className="muted">
          Not on the statement yet (no cost known): {intText(statement.unpricedCalls)} calls, {intText(statement.unpricedMessages)} messages.
        </p>
      )}
    </>
  );
}
