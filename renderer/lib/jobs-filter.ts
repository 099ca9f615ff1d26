// The Jobs screen's status filter: any status, one status, or "attention" — the jobs the
// status line counts (pending, which includes running, and failed).
import type { JobStatus } from '../../shared/domain.ts';

export const JOBS_FILTER_KEY = 'jobs.status';
export type JobsFilter = JobStatus | 'attention' | '';
export const ATTENTION: JobStatus[] = ['pending', 'running', 'failed'];

export function jobsFilterInput(f: JobsFilter): { status?: JobStatus; statuses?: JobStatus[] } {
  if (f === '') return {};
  if (f === 'attention') return { statuses: ATTENTION };
  return { status: f };
}
