// Jobs: the cost-fetch queue. Filter by status, retry a failed job, or process the due
// jobs now and see what happened.
import { useState } from 'react';
import { ScrollRegion } from '../components/ScrollRegion.tsx';
import { ImportProblems } from './ImportProblems.tsx';
import type { AppError, JobView, ProcessCounts } from '../../shared/contract.ts';
import type { JobStatus } from '../../shared/domain.ts';
import { useAppState } from '../app/context.ts';
import { useData } from '../data/context.ts';
import { Badge, badgeChoices, badgeLabel } from '../components/Badge.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LocalTime } from '../components/LocalTime.tsx';
import { Money } from '../components/Money.tsx';
import { ScreenPage } from '../components/ScreenPage.tsx';
import { SelectField, type Choices } from '../components/SelectField.tsx';
import { right, unseen, TableHead } from '../components/TableHead.tsx';
import { useQuery } from '../hooks/useQuery.ts';
import { setSticky, useStickyState } from '../hooks/useStickyState.ts';
import { errorText } from '../lib/error-line.ts';
import { intText, whenText } from '../lib/format.ts';
import { JOBS_FILTER_KEY, jobsFilterInput, type JobsFilter } from '../lib/jobs-filter.ts';

const STATUSES: JobStatus[] = ['pending', 'running', 'failed', 'completed', 'not_billable', 'no_record'];
const PAGE = 100;
const STATUS_CHOICES: Choices<JobsFilter> = [['', 'Any status'], ['attention', 'Pending or failed'], ...badgeChoices(STATUSES)];

/** What a pass did and what comes next, in one sentence. */
export function processSummary(c: ProcessCounts): string {
  const did =
    c.processed === 0
      ? 'No job was due.'
      : `Processed ${intText(c.processed)} due job${c.processed === 1 ? '' : 's'}: ${intText(c.succeeded)} found the exact cost, ` +
        `${intText(c.retried)} will be tried again, ${intText(c.failed)} failed, ${intText(c.notBillable)} not billable.`;
  const next = c.nextDueAt === null ? 'No job is waiting.' : `Next job due at ${whenText(c.nextDueAt)}.`;
  return `${did} ${next}`;
}

export function Jobs() {
  const data = useData();
  const { sync, navigate } = useAppState();
  const [status, setStatusState] = useStickyState<JobsFilter>(JOBS_FILTER_KEY, () => '');
  // The page belongs to the filter it was chosen under: a new filter (from the select, or set
  // by the status line's link while this screen is open) starts at its first page.
  const [page, setPage] = useState<{ filter: JobsFilter; offset: number }>({ filter: status, offset: 0 });
  const offset = page.filter === status ? page.offset : 0;
  const setOffset = (o: number) => setPage({ filter: status, offset: o });
  const setStatus = (f: JobsFilter) => setStatusState(f);
  const jobs = useQuery('jobs.list', { offset, limit: PAGE, ...jobsFilterInput(status) });
  const [processing, setProcessing] = useState(false);
  const [counts, setCounts] = useState<ProcessCounts | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [retrying, setRetrying] = useState<number | null>(null);
  const [retried, setRetried] = useState<{ id: number; ok: boolean; text: string } | null>(null);

  const processNow = async () => {
    setProcessing(true);
    setError(null);
    const res = await data.write('jobs.processNow', {});
    setProcessing(false);
    if (res.ok) setCounts(res.value);
    else setError(res.error);
  };

  const retry = async (job: JobView) => {
    setRetrying(job.id);
    const res = await data.write('jobs.retry', { id: job.id });
    setRetrying(null);
    const next = sync?.fetcherPaused
      ? 'The cost fetcher is paused: press Process now to run it.'
      : 'The cost fetcher runs it on its next pass, or press Process now.';
    setRetried(
      res.ok
        ? {
            id: job.id,
            ok: true,
            text: `Job ${job.id} queued again with a fresh retry schedule, due ${res.value.nextRunAt ? whenText(res.value.nextRunAt) : 'now'}. ${next}`,
          }
        : { id: job.id, ok: false, text: errorText(res.error) },
    );
  };

  // A job's subject opens its call (its panel) or its message (searched by id).
  const openSubject = (j: JobView) => {
    if (j.callId !== null) {
      setSticky('calls.selected', j.callId);
      navigate('calls');
    } else if (j.messageId !== null) {
      setSticky('messages.search', j.messageId);
      navigate('messages');
    }
  };

  const total = jobs.data?.total ?? 0;
  const rows = jobs.data?.rows ?? [];

  return (
    <ScreenPage
      route="jobs"
      head={
        <button type="button" className="btn btn-primary" onClick={processNow} disabled={processing} data-testid="jobs-process-now">
          {processing ? 'Processing…' : 'Process now'}
        </button>
      }
    >
      <p className="lede">
        Each call or message waiting for its exact cost has a job; failed jobs are retried on the schedule in Settings. Rows an import could not read are listed
        below the jobs.
      </p>

      <div role="status" aria-live="polite" data-testid="process-counts" data-has-counts={counts ? 'true' : 'false'}>
        {counts && (
          <p className="notice notice-compact" data-testid="process-summary">
            {processSummary(counts)}
          </p>
        )}
        {counts && (
          <dl className="kv kv-inline counts">
            <dt>Processed</dt>
            <dd data-testid="count-processed">{intText(counts.processed)}</dd>
            <dt>Succeeded</dt>
            <dd data-testid="count-succeeded">{intText(counts.succeeded)}</dd>
            <dt>Failed</dt>
            <dd data-testid="count-failed">{intText(counts.failed)}</dd>
            <dt>Retried later</dt>
            <dd data-testid="count-retried">{intText(counts.retried)}</dd>
            <dt>Not billable</dt>
            <dd data-testid="count-not-billable">{intText(counts.notBillable)}</dd>
            <dt>Telnyx requests</dt>
            <dd data-testid="count-requests">{intText(counts.requests)}</dd>
            <dt>At</dt>
            <dd>{whenText(counts.at)}</dd>
          </dl>
        )}
      </div>
      {error && <ErrorNotice error={error} testId="jobs-error" />}

      <div className="toolbar">
        <SelectField label="Status" value={status} onChange={setStatus} choices={STATUS_CHOICES} testId="jobs-status" />
        <p className="count" data-testid="jobs-total">
          {jobs.data ? `${intText(total)} job${total === 1 ? '' : 's'}` : 'Loading…'}
        </p>
      </div>
      {jobs.error && <ErrorNotice error={jobs.error} />}
      {retried && (
        <p className={`notice ${retried.ok ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="job-retry-outcome">
          {retried.text}
        </p>
      )}
      {jobs.data && rows.length === 0 ? (
        <div className="empty-state" data-testid="jobs-empty">
          <p>{status === 'attention' ? 'No job is pending or failed.' : status ? `No ${badgeLabel(status).toLowerCase()} jobs.` : 'No cost jobs yet.'}</p>
          <p className="muted">Jobs appear when calls end or messages are sent and their exact cost is still to be fetched.</p>
        </div>
      ) : rows.length > 0 ? (
        <ScrollRegion label="Cost jobs">
          <table className="data-table" data-testid="jobs-table">
            <caption className="sr-only">Cost jobs</caption>
            <TableHead
              columns={[
                'Job',
                'Kind',
                'Subject',
                'Number',
                right('Booked', 'What the call or message is booked at now: its estimate until the exact cost comes'),
                'Status',
                right('Attempts'),
                'Next run',
                'Note',
                'Updated',
                unseen('Actions'),
              ]}
            />
            <tbody>
              {rows.map((j) => (
                <tr key={j.id} data-testid={`job-row-${j.id}`} data-status={j.status}>
                  <th scope="row">{j.id}</th>
                  <td className="nowrap">{j.kind === 'call_cost' ? 'Call cost' : 'Message cost'}</td>
                  <td className="mono break">
                    <SubjectLink job={j} onOpen={openSubject} />
                  </td>
                  <td className="mono">{j.ourNumber ?? '—'}</td>
                  <td className="align-right" data-col="amount">
                    <Money value={j.amount} />
                  </td>
                  <td>
                    <Badge value={j.status} />
                  </td>
                  <td className="align-right">{j.attempts}</td>
                  <td className="nowrap">
                    <LocalTime ms={j.nextRunAt} />
                  </td>
                  {/* Only a failed job's note is an error; "no detail record yet" is routine. */}
                  <td className={`break note-cell${j.status === 'failed' ? ' error-cell' : ''}`} data-col="note">
                    {j.lastError ?? ''}
                  </td>
                  <td className="nowrap">
                    <LocalTime ms={j.updatedAt} />
                  </td>
                  <td>
                    {j.status === 'failed' && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void retry(j)}
                        disabled={retrying === j.id}
                        aria-label={`Retry job ${j.id}`}
                        data-testid={`job-retry-${j.id}`}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      {total > PAGE && (
        <nav className="pager" aria-label="Job pages">
          <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))} data-testid="jobs-prev">
            Previous
          </button>
          <span>
            {intText(offset + 1)}–{intText(Math.min(offset + PAGE, total))} of {intText(total)}
          </span>
          <button type="button" className="btn btn-small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="jobs-next">
            Next
          </button>
        </nav>
      )}
      <ImportProblems />
    </ScreenPage>
  );
}

function SubjectLink({ job, onOpen }: { job: JobView; onOpen(j: JobView): void }) {
  if (job.callId === null && job.messageId === null) return <>{job.subject}</>;
  return (
    <a
      href={job.callId !== null ? '#/calls' : '#/messages'}
      onClick={(e) => {
        e.preventDefault();
        onOpen(job);
      }}
      aria-label={`${job.kind === 'call_cost' ? 'Open the call' : 'Open the message'} ${job.subject}`}
      data-testid={`job-subject-${job.id}`}
    >
      {job.subject}
    </a>
  );
}
