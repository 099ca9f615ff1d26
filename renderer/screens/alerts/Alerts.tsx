// Alerts: spend alerts that fired (newest first), each with what made it fire and an
// Acknowledge button; below, the rules and a form to add one. Firings are found by the core
// as costs land; this screen only shows them (and refreshes when calls change).
import { useState } from 'react';
import type { AppError } from '../../../shared/contract.ts';
import type { AlertFiring } from '../../../shared/alerts.ts';
import { useApi } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { right, unseen, TableHead } from '../../components/TableHead.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { dateTimeText } from '../../lib/format.ts';
import { RulesSection } from './RulesSection.tsx';

function FiringRow({ f, busy, onAck }: { f: AlertFiring; busy: boolean; onAck(id: number): void }) {
  const open = f.acknowledgedAt === null;
  return (
    <tr data-testid="alert-row" data-open={open ? 'true' : 'false'}>
      <td>{dateTimeText(f.firedAt)}</td>
      <td data-testid="alert-summary">{f.summary}</td>
      <td className="align-right money">
        {f.amount} {f.currency}
      </td>
      <td>
        {open ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onAck(f.id)}
            disabled={busy}
            aria-label={`Acknowledge: ${f.summary}`}
            data-testid="alert-ack"
          >
            Acknowledge
          </button>
        ) : (
          <span className="muted">Acknowledged {dateTimeText(f.acknowledgedAt)}</span>
        )}
      </td>
    </tr>
  );
}

export function Alerts() {
  const api = useApi();
  const list = useQuery('alerts.list', {});
  // Costs landing (an import, a sync) may fire alerts: refresh at most once a second.
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const acknowledge = async (id: number) => {
    setBusy(true);
    const res = await api.call('alerts.acknowledge', { id });
    setBusy(false);
    if (!res.ok) setError(res.error);
    else {
      setError(null);
      await list.reload();
    }
  };

  const firings = list.data?.firings ?? [];
  return (
    <ScreenPage
      route="alerts"
      head={
        <p className="count" role="status" aria-live="polite" data-testid="alerts-open">
          {list.data ? `${list.data.unacknowledged} not acknowledged` : 'Loading…'}
        </p>
      }
    >
      {list.error && <ErrorNotice error={list.error} testId="alerts-load-error" />}
      {error && <ErrorNotice error={error} testId="alerts-error" />}
      <section className="card" aria-labelledby="alerts-fired-title">
        <h2 id="alerts-fired-title">Fired</h2>
        {list.data && firings.length === 0 ? (
          <p className="muted" data-testid="alerts-none">
            No alert has fired.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="alerts-table">
              <caption className="sr-only">Alerts that fired, newest first</caption>
              <TableHead columns={['Fired', 'What happened', right('Amount'), unseen('Acknowledged')]} />
              <tbody>
                {firings.map((f) => (
                  <FiringRow key={f.id} f={f} busy={busy} onAck={(id) => void acknowledge(id)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RulesSection onChanged={() => void list.reload()} />
    </ScreenPage>
  );
}
