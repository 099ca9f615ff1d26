// The contract's long-running work, on the runtime: date-range imports, the cost-fetch jobs,
// and reports written to a file the caller names.
import { AppFailure, type CoreApi } from '../api/types.ts';
import { exportReport } from '../reports/index.ts';
import { saveReportFile } from '../reports/file.ts';
import type { CoreRuntime } from './runtime.ts';

type WorkMethods = Pick<
  CoreApi,
  'import.start' | 'import.cancel' | 'import.list' | 'import.problems' | 'jobs.list' | 'jobs.retry' | 'jobs.processNow' | 'export.run'
>;

export function workMethods(rt: CoreRuntime): WorkMethods {
  return {
    'import.start': async ({ range, recordTypes }) => rt.startImport(range.from, range.to, recordTypes),
    'import.cancel': async ({ importId }) => rt.cancelImport(importId),
    'import.list': async () => ({ imports: rt.listImports() }),
    'import.problems': async ({ importId, limit, offset }) => {
      const { rows, total } = rt.importProblems(importId ?? null, limit, offset);
      return { rows: rows.map((r) => ({ ...r, raw: r.raw.length > 2000 ? `${r.raw.slice(0, 2000)}…` : r.raw })), total };
    },
    'jobs.list': async (q) => rt.session().reconciler.listJobs(q),
    'jobs.retry': async ({ id }) => {
      const job = rt.session().reconciler.retryJob(id);
      if (!job) throw new AppFailure('not_found', `job ${id} does not exist`);
      return job;
    },
    'jobs.processNow': async () => {
      const s = rt.session();
      if (!s.client) throw rt.noKey();
      const counts = await s.reconciler.processDue();
      return { ...counts, nextDueAt: s.ledger.jobs.nextDueAt() };
    },
    // With `out`, the core writes the file. Without it the host picks the place (the desktop
    // app's save dialog, the browser host's download, the CLI's standard output) and replaces this.
    'export.run': async (request) => {
      const { out, ...report } = request;
      if (!out) throw new AppFailure('invalid_input', 'Say where to write the report.', 'Give `out`, an absolute path to the file to write.');
      const db = rt.session().ledger.db;
      return saveReportFile((r, target, signal) => exportReport(db, r, target, signal), report, out);
    },
  };
}
