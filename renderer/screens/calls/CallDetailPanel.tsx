// One call in full: ids, times, durations, estimate (and how it was made), exact cost,
// the whole cost history, the cost job, the detail records — and "Refetch cost".
import { useEffect, useState } from 'react';
import type { CallDetail } from '../../../shared/contract.ts';
import { Badge } from '../../components/Badge.tsx';
import { DetailPanel, DetailSection, Field } from '../../components/DetailPanel.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Money } from '../../components/Money.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useWrite } from '../../hooks/useWrite.ts';
import { billedView } from '../../components/Billed.tsx';
import { LocalTime } from '../../components/LocalTime.tsx';
import { right, TableHead } from '../../components/TableHead.tsx';
import { humanize, impliedStatus, secondsText, sourceText } from '../../lib/format.ts';
import { refetchOutcomeText, type OutcomeText } from '../../lib/outcome.ts';
import { TERMS } from '../../lib/terms.ts';

/** Telnyx's ids of a call, as the portal and the API name them. */
const TELNYX_IDS = [
  ['Call leg', 'callLegId'],
  ['Call session', 'callSessionId'],
  ['Call control', 'callControlId'],
  ['Connection', 'connectionId'],
] as const;

interface Props {
  id: number;
  onClose(): void;
}

export function CallDetailPanel({ id, onClose }: Props) {
  const refetchCost = useWrite('calls.refetch');
  const detail = useQuery('calls.get', { id });
  const [refetching, setRefetching] = useState(false);
  const [outcome, setOutcome] = useState<OutcomeText | null>(null);

  useEffect(() => {
    setOutcome(null);
  }, [id]);

  const refetch = async () => {
    setRefetching(true);
    setOutcome(null);
    // The call, the list and the job counts read what this writes: the data layer refreshes
    // each of them once.
    const res = await refetchCost.run({ id });
    setOutcome(refetchOutcomeText(res));
    setRefetching(false);
  };

  const d = detail.data;
  return (
    <DetailPanel kind="call" title={d ? callTitle(d.call) : 'Call'} focusKey={id} onClose={onClose}>
      {detail.error && <ErrorNotice error={detail.error} testId="call-detail-error" />}
      {!d && !detail.error && (
        <p className="muted" role="status">
          Loading call…
        </p>
      )}
      {d && (
        <>
          <div className="detail-badge-row">
            <Badge value={d.call.badge} testId="call-detail-badge" />
            <span className="muted" data-testid="call-detail-subtitle">
              {d.call.direction === 'inbound' ? 'to' : 'from'} <span className="mono">{d.call.ourNumber}</span> · <LocalTime ms={d.call.startedAt} />
            </span>
          </div>

          <DetailSection id="cd-cost" title="Cost">
            <dl className="kv">
              <Field label="Estimated" labelTitle={TERMS.estimated} testId="call-detail-estimate">
                <Money value={d.call.estimated} />
                {d.call.estimateMethod && <span className="muted"> · {d.call.estimateMethod}</span>}
                {/* The method usually names its rate already ("estimated @ 0.015/min …"). */}
                {d.call.estimateRate && !d.call.estimateMethod?.includes(d.call.estimateRate) && (
                  <span className="muted"> · rate {d.call.estimateRate}/min</span>
                )}
              </Field>
              <Field label="Exact" labelTitle={TERMS.exact} testId="call-detail-exact">
                <Money value={d.call.exact} />
                {d.call.rate && <span className="muted"> · rate {d.call.rate}/min</span>}
              </Field>
              <Field label="Booked" labelTitle={TERMS.booked} testId="call-detail-booked">
                <Money value={d.call.booked} />
              </Field>
              <Field label="Source" testId="call-detail-source">
                {sourceText(d.call.costSource)}
              </Field>
            </dl>
            <div className="refetch">
              <button type="button" className="btn btn-primary" onClick={refetch} disabled={refetching} data-testid="refetch-cost">
                {refetching ? 'Refetching…' : 'Refetch cost'}
              </button>
              <div className="refetch-outcome" role="status" aria-live="polite" data-testid="refetch-outcome" data-kind={outcome?.kind ?? ''}>
                {outcome && (
                  <p className={`outcome outcome-${outcome.kind}`}>
                    <strong>{outcome.text}</strong>
                    {outcome.detail && <span className="outcome-detail">{outcome.detail}</span>}
                  </p>
                )}
              </div>
            </div>
          </DetailSection>

          <DetailSection id="cd-times" title="Times">
            <dl className="kv">
              <Field label="Started">
                <LocalTime ms={d.call.startedAt} />
              </Field>
              <Field label="Answered">
                <LocalTime ms={d.call.answeredAt} />
              </Field>
              <Field label="Ended">
                <LocalTime ms={d.call.endedAt} />
              </Field>
              <Field label="Call length" testId="call-detail-length" title={d.call.callSec !== null ? `${d.call.callSec} s` : undefined}>
                {secondsText(d.call.callSec)}
              </Field>
              <Field label="Billed" testId="call-detail-billed" title={billedView(d.call).title}>
                {billedView(d.call).text}
              </Field>
              <Field label="Hangup cause">{humanize(d.call.hangupCause)}</Field>
            </dl>
          </DetailSection>

          <DetailSection id="cd-ids" title="Identifiers">
            <dl className="kv kv-ids">
              <Field label="Ledger id" className="mono">
                {d.call.id}
              </Field>
              {TELNYX_IDS.map(([label, key]) => (
                <Field key={key} label={label} className="mono break">
                  {d.call[key] ?? '—'}
                </Field>
              ))}
            </dl>
          </DetailSection>

          <History detail={d} />
          <JobSection detail={d} />
          <Records detail={d} />
        </>
      )}
    </DetailPanel>
  );
}

/** "Outbound call to +4915799058866", "Inbound call from +17734773139". */
export function callTitle(call: CallDetail['call']): string {
  return call.direction === 'inbound' ? `Inbound call from ${call.otherNumber}` : `Outbound call to ${call.otherNumber}`;
}

function History({ detail }: { detail: CallDetail }) {
  // Oldest first: the story of the cost as it happened (stable for entries of one moment).
  const entries = detail.history.map((h, i) => ({ h, i })).sort((a, b) => a.h.at - b.h.at || a.i - b.i);
  return (
    <DetailSection id="cd-history" title="Cost history">
      {detail.history.length === 0 ? (
        <p className="muted">No cost booked yet.</p>
      ) : (
        <table className="data-table compact" data-testid="call-detail-history">
          <TableHead columns={['When', 'Change', 'Source', 'Reason']} />
          <tbody>
            {entries.map(({ h, i }) => (
              <tr key={i} data-at={h.at}>
                <td>
                  <LocalTime ms={h.at} />
                </td>
                <td>
                  {h.old ? (
                    <>
                      <Money value={h.old} /> →{' '}
                    </>
                  ) : null}
                  <Money value={h.new} />
                </td>
                <td>
                  {sourceText(h.newSource)}
                  {/* Only a status the source does not already say (no record, not billable). */}
                  {h.newStatus !== impliedStatus(h.newSource) && <span className="muted"> · {humanize(h.newStatus)}</span>}
                </td>
                <td>{h.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DetailSection>
  );
}

function JobSection({ detail }: { detail: CallDetail }) {
  const job = detail.job;
  return (
    <DetailSection id="cd-job" title="Cost job">
      {!job ? (
        <p className="muted">No cost job for this call.</p>
      ) : (
        <dl className="kv" data-testid="call-detail-job">
          <Field label="Status">
            <Badge value={job.status} />
          </Field>
          <Field label="Attempts">{job.attempts}</Field>
          <Field label="Next run">
            <LocalTime ms={job.nextRunAt} />
          </Field>
          <Field label={job.status === 'failed' ? 'Error' : 'Note'} className={`break${job.status === 'failed' ? ' text-bad' : ''}`}>
            {job.lastError ?? '—'}
          </Field>
          <Field label="Completed">
            <LocalTime ms={job.completedAt} />
          </Field>
        </dl>
      )}
    </DetailSection>
  );
}

function Records({ detail }: { detail: CallDetail }) {
  return (
    <DetailSection id="cd-records" title="Detail records">
      {detail.records.length === 0 ? (
        <p className="muted">No detail record from Telnyx yet.</p>
      ) : (
        <table className="data-table compact" data-testid="call-detail-records">
          <TableHead columns={['Type', 'Record id', right('Cost'), 'Created']} />
          <tbody>
            {detail.records.map((r) => (
              <tr key={`${r.recordType}|${r.recordId}`}>
                <td>{r.recordType}</td>
                <td className="mono break">{r.recordId}</td>
                <td className="align-right">
                  <Money value={r.cost} />
                </td>
                <td>
                  <LocalTime ms={r.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DetailSection>
  );
}
