// One call in full: ids, times, durations, estimate (and how it was made), exact cost,
// the whole cost history, the cost job, the detail records — and "Refetch cost".
import { useEffect, useRef, useState } from 'react';
import type { CallDetail } from '../../../shared/contract.ts';
import { Badge } from '../../components/Badge.tsx';
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

interface Props {
  id: number;
  onClose(): void;
}

export function CallDetailPanel({ id, onClose }: Props) {
  const refetchCost = useWrite('calls.refetch');
  const detail = useQuery('calls.get', { id });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [refetching, setRefetching] = useState(false);
  const [outcome, setOutcome] = useState<OutcomeText | null>(null);

  useEffect(() => {
    setOutcome(null);
    headingRef.current?.focus();
  }, [id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

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
    <aside className="detail-panel" aria-labelledby="call-detail-title" data-testid="call-detail">
      <div className="detail-head">
        <h2 id="call-detail-title" ref={headingRef} tabIndex={-1} data-testid="call-detail-title">
          {d ? callTitle(d.call) : 'Call'}
        </h2>
        <button type="button" className="btn btn-icon" onClick={onClose} aria-label="Close call details" data-testid="call-detail-close">
          ✕
        </button>
      </div>
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

          <section aria-labelledby="cd-cost">
            <h3 id="cd-cost">Cost</h3>
            <dl className="kv">
              <dt title={TERMS.estimated}>Estimated</dt>
              <dd data-testid="call-detail-estimate">
                <Money value={d.call.estimated} />
                {d.call.estimateMethod && <span className="muted"> · {d.call.estimateMethod}</span>}
                {/* The method usually names its rate already ("estimated @ 0.015/min …"). */}
                {d.call.estimateRate && !d.call.estimateMethod?.includes(d.call.estimateRate) && (
                  <span className="muted"> · rate {d.call.estimateRate}/min</span>
                )}
              </dd>
              <dt title={TERMS.exact}>Exact</dt>
              <dd data-testid="call-detail-exact">
                <Money value={d.call.exact} />
                {d.call.rate && <span className="muted"> · rate {d.call.rate}/min</span>}
              </dd>
              <dt title={TERMS.booked}>Booked</dt>
              <dd data-testid="call-detail-booked">
                <Money value={d.call.booked} />
              </dd>
              <dt>Source</dt>
              <dd data-testid="call-detail-source">{sourceText(d.call.costSource)}</dd>
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
          </section>

          <section aria-labelledby="cd-times">
            <h3 id="cd-times">Times</h3>
            <dl className="kv">
              <dt>Started</dt>
              <dd>
                <LocalTime ms={d.call.startedAt} />
              </dd>
              <dt>Answered</dt>
              <dd>
                <LocalTime ms={d.call.answeredAt} />
              </dd>
              <dt>Ended</dt>
              <dd>
                <LocalTime ms={d.call.endedAt} />
              </dd>
              <dt>Call length</dt>
              <dd data-testid="call-detail-length" title={d.call.callSec !== null ? `${d.call.callSec} s` : undefined}>
                {secondsText(d.call.callSec)}
              </dd>
              <dt>Billed</dt>
              <dd data-testid="call-detail-billed" title={billedView(d.call).title}>
                {billedView(d.call).text}
              </dd>
              <dt>Hangup cause</dt>
              <dd>{humanize(d.call.hangupCause)}</dd>
            </dl>
          </section>

          <section aria-labelledby="cd-ids">
            <h3 id="cd-ids">Identifiers</h3>
            <dl className="kv kv-ids">
              <dt>Ledger id</dt>
              <dd className="mono">{d.call.id}</dd>
              <dt>Call leg</dt>
              <dd className="mono break">{d.call.callLegId ?? '—'}</dd>
              <dt>Call session</dt>
              <dd className="mono break">{d.call.callSessionId ?? '—'}</dd>
              <dt>Call control</dt>
              <dd className="mono break">{d.call.callControlId ?? '—'}</dd>
              <dt>Connection</dt>
              <dd className="mono break">{d.call.connectionId ?? '—'}</dd>
            </dl>
          </section>

          <History detail={d} />
          <JobSection detail={d} />
          <Records detail={d} />
        </>
      )}
    </aside>
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
    <section aria-labelledby="cd-history">
      <h3 id="cd-history">Cost history</h3>
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
    </section>
  );
}

function JobSection({ detail }: { detail: CallDetail }) {
  const job = detail.job;
  return (
    <section aria-labelledby="cd-job">
      <h3 id="cd-job">Cost job</h3>
      {!job ? (
        <p className="muted">No cost job for this call.</p>
      ) : (
        <dl className="kv" data-testid="call-detail-job">
          <dt>Status</dt>
          <dd>
            <Badge value={job.status} />
          </dd>
          <dt>Attempts</dt>
          <dd>{job.attempts}</dd>
          <dt>Next run</dt>
          <dd>
            <LocalTime ms={job.nextRunAt} />
          </dd>
          <dt>{job.status === 'failed' ? 'Error' : 'Note'}</dt>
          <dd className={`break${job.status === 'failed' ? ' text-bad' : ''}`}>{job.lastError ?? '—'}</dd>
          <dt>Completed</dt>
          <dd>
            <LocalTime ms={job.completedAt} />
          </dd>
        </dl>
      )}
    </section>
  );
}

function Records({ detail }: { detail: CallDetail }) {
  return (
    <section aria-labelledby="cd-records">
      <h3 id="cd-records">Detail records</h3>
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
    </section>
  );
}
