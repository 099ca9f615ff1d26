// One call in full: ids, times, durations, estimate (and how it was made), exact cost,
// the whole cost history, the cost job, the detail records — and "Refetch cost".
import { useEffect, useRef, useState } from 'react';
import type { CallDetail } from '../../../shared/contract.ts';
import { useApi } from '../../app/context.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Money } from '../../components/Money.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { dateTimeText, humanize, secondsText } from '../../lib/format.ts';
import { refetchOutcomeText, type OutcomeText } from '../../lib/outcome.ts';

interface Props {
  id: number;
  onClose(): void;
  onChanged(): void;
}

export function CallDetailPanel({ id, onClose, onChanged }: Props) {
  const api = useApi();
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
    const res = await api.call('calls.refetch', { id });
    setOutcome(refetchOutcomeText(res));
    setRefetching(false);
    await detail.reload();
    onChanged();
  };

  const d = detail.data;
  return (
    <aside className="detail-panel" aria-labelledby="call-detail-title" data-testid="call-detail">
      <div className="detail-head">
        <h2 id="call-detail-title" ref={headingRef} tabIndex={-1}>
          Call {id}
        </h2>
        <button type="button" className="btn btn-icon" onClick={onClose} aria-label="Close call details" data-testid="call-detail-close">
          ✕
        </button>
      </div>
      {detail.error && <ErrorNotice error={detail.error} testId="call-detail-error" />}
      {!d && !detail.error && <p className="muted" role="status">Loading call…</p>}
      {d && (
        <>
          <div className="detail-badge-row">
            <Badge value={d.call.badge} testId="call-detail-badge" />
            <span className="muted">
              {d.call.direction === 'inbound' ? 'Inbound' : 'Outbound'} · {d.call.ourNumber} {d.call.direction === 'inbound' ? '←' : '→'}{' '}
              {d.call.otherNumber}
            </span>
          </div>

          <section aria-labelledby="cd-cost">
            <h3 id="cd-cost">Cost</h3>
            <dl className="kv">
              <dt>Estimate</dt>
              <dd data-testid="call-detail-estimate">
                <Money value={d.call.estimated} />
                {d.call.estimateMethod && <span className="muted"> · {d.call.estimateMethod}</span>}
                {d.call.estimateRate && <span className="muted"> · rate {d.call.estimateRate}/min</span>}
              </dd>
              <dt>Exact (Telnyx)</dt>
              <dd data-testid="call-detail-actual">
                <Money value={d.call.actual} />
                {d.call.rate && <span className="muted"> · rate {d.call.rate}/min</span>}
              </dd>
              <dt>Booked</dt>
              <dd data-testid="call-detail-booked">
                <Money value={d.call.booked} />
              </dd>
              <dt>Source</dt>
              <dd>{humanize(d.call.costSource)}</dd>
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
              <dd>{dateTimeText(d.call.startedAt)}</dd>
              <dt>Answered</dt>
              <dd>{dateTimeText(d.call.answeredAt)}</dd>
              <dt>Ended</dt>
              <dd>{dateTimeText(d.call.endedAt)}</dd>
              <dt>Call length</dt>
              <dd>{secondsText(d.call.callSec)}{d.call.callSec !== null ? ` (${d.call.callSec} s)` : ''}</dd>
              <dt>Billed</dt>
              <dd>{secondsText(d.call.billedSec)}{d.call.billedSec !== null ? ` (${d.call.billedSec} s)` : ''}</dd>
              <dt>Hangup cause</dt>
              <dd>{humanize(d.call.hangupCause)}</dd>
            </dl>
          </section>

          <section aria-labelledby="cd-ids">
            <h3 id="cd-ids">Identifiers</h3>
            <dl className="kv kv-ids">
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

function History({ detail }: { detail: CallDetail }) {
  return (
    <section aria-labelledby="cd-history">
      <h3 id="cd-history">Cost history</h3>
      {detail.history.length === 0 ? (
        <p className="muted">No cost booked yet.</p>
      ) : (
        <table className="data-table compact" data-testid="call-detail-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Change</th>
              <th scope="col">Source</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {detail.history.map((h, i) => (
              <tr key={i}>
                <td>{dateTimeText(h.at)}</td>
                <td>
                  <Money value={h.old} /> → <Money value={h.new} />
                </td>
                <td>
                  {h.oldSource ? `${humanize(h.oldSource)} → ` : ''}
                  {humanize(h.newSource)}
                  <span className="muted"> ({humanize(h.newStatus)})</span>
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
          <dd>{dateTimeText(job.nextRunAt)}</dd>
          <dt>Last error</dt>
          <dd className="break">{job.lastError ?? '—'}</dd>
          <dt>Completed</dt>
          <dd>{dateTimeText(job.completedAt)}</dd>
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
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Record id</th>
              <th scope="col" className="align-right">Cost</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {detail.records.map((r) => (
              <tr key={`${r.recordType}|${r.recordId}`}>
                <td>{r.recordType}</td>
                <td className="mono break">{r.recordId}</td>
                <td className="align-right">
                  <Money value={r.cost} />
                </td>
                <td>{dateTimeText(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
