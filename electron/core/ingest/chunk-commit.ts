// One chunk of an import's pages into the ledger: the pages' records, their problems, their
// "done" marks and the heartbeat in one transaction (a kill before COMMIT leaves none of it,
// after it all of it, and a resume skips those pages). The same function runs on the main
// thread (importer.ts) and in the write worker (write-worker.ts), so both ledgers are equal
// by construction; the worker only adds the hand-off (packChunk / unpackChunk).
// A batch report's CSV rows commit the same way, a batch at a time (commitReportBatch).
import type { RecordType } from '../../../shared/domain.ts';
import type { Ledger } from '../ledger/index.ts';
import { reportStore } from '../ledger/import-reports.ts';
import type { ComparisonEstimator } from '../costs/comparison.ts';
import { applyRecordBatches, type WritePath } from './apply-records.ts';
import { emptyOutcome, type StoreOutcome } from './store-records.ts';
import { settleImportedCallJobs } from '../jobs/settle.ts';
import { openPage, recordCountOf, transferablesOf, wirePage, type Wire, type WirePage } from './page-wire.ts';
import type { RecordPage, UnreadableRow } from './importer.ts';
import type { CsvBatch } from './report-import/csv-records.ts';

export interface ChunkJob {
  importId: number;
  owner: string;
  recordType: RecordType;
  pages: readonly RecordPage[];
  /** The importer's clock at the chunk's commit (every row's timestamp). */
  now: number;
  /** The fetcher whose jobs of the priced calls settle in this transaction (ImportOptions.jobsOwner). */
  jobsOwner?: string;
}

/** What a chunk (or a report batch) committed: its records' outcome and the jobs it settled. */
export type CommitOutcome = StoreOutcome & { settledJobs: number };

export function commitChunk(ledger: Ledger, job: ChunkJob, o: { compare?: ComparisonEstimator; writePath?: WritePath }): CommitOutcome {
  const { importId, recordType, pages, now } = job;
  const out = ledger.tx(() => {
    const stored = emptyOutcome();
    for (const p of pages) {
      ledger.imports.setTotals(importId, recordType, p.totalPages, p.totalResults);
      // A page read again replaces what its last reading could not read.
      ledger.imports.setProblems(importId, recordType, p.page, p.problems ?? unnamedProblems(p.rejected), now);
    }
    applyRecordBatches(ledger, pages, o, now, stored);
    for (const p of pages) ledger.imports.markPageDone(importId, recordType, p.page, recordCountOf(p), now);
    ledger.imports.heartbeat(importId, job.owner, now);
    return { ...stored, settledJobs: settleJobs(ledger, job, stored) };
  });
  // After the commit, in a transaction of its own: the calls' new keys, once enough have
  // gathered, merged into the big key table in key order (ledger/call-keys.ts).
  ledger.mergeCallKeysIfDue();
  return out;
}

/** A job's jobsOwner field, when the import names one. */
export const jobsOwnerOf = (o: { jobsOwner?: string | undefined }): { jobsOwner?: string } => (o.jobsOwner === undefined ? {} : { jobsOwner: o.jobsOwner });

/** The jobs of the calls the chunk priced, settled in its transaction when the job names their fetcher. */
function settleJobs(ledger: Ledger, job: { jobsOwner?: string; now: number }, stored: StoreOutcome): number {
  return job.jobsOwner === undefined ? 0 : settleImportedCallJobs(ledger, job.jobsOwner, stored.updatedCallIds, job.now);
}

/** A source that only counted its unreadable rows: keep that they were there. */
export function unnamedProblems(count: number): UnreadableRow[] {
  return Array.from({ length: count }, (_, index) => ({ index, reason: 'unreadable row (the source kept no copy)', raw: null }));
}

/** The chunk as postMessage carries it (packChunk): its pages' buffers are transferred, not copied. */
export interface PackedChunkJob extends Omit<ChunkJob, 'pages'> {
  pages: WirePage[];
}

/**
 * The chunk as postMessage carries it: structured clone keeps bigints and plain objects but
 * not classes, so each record's RawJson travels as its text (a string clones cheaply; the
 * parsed row's object tree would cost as much as parsing it again), and each page's records
 * as one buffer, moved (transferList) rather than copied: a page read on the fetch worker
 * reaches the write worker without the main thread ever opening it.
 */
export function packChunk(job: ChunkJob): { job: PackedChunkJob; transfer: ArrayBuffer[] } {
  const pages = job.pages.map(wirePage);
  return { job: { ...job, pages }, transfer: pages.flatMap(transferablesOf) };
}

/** The worker's side of packChunk: each page's records opened, raw texts back into RawJson. */
export function unpackChunk(job: PackedChunkJob): ChunkJob {
  return { ...job, pages: job.pages.map((p) => openPage<RecordPage>(p)) };
}

/**
 * One transaction of a report's CSV rows for the ledger (report-import/phase.ts): the parts
 * the CSV reader handed on in order, each a few hundred rows sealed as soon as they were read
 * (so neither thread holds a whole transaction's rows parsed while it reads), committed as one.
 */
export interface ReportBatchJob {
  importId: number;
  owner: string;
  recordType: RecordType;
  parts: CsvBatch[];
  /** The importer's clock at the batch's commit (every row's timestamp). */
  now: number;
  /**
   * The download's bytes read when the batch was sent, written with it: while batches commit
   * on the write worker the main thread does not write them itself (it would wait on the
   * worker's transaction). Absent: the main thread keeps them.
   */
  bytes?: { done: number; total: number | null };
  /** As ChunkJob.jobsOwner. */
  jobsOwner?: string;
}

/**
 * A report batch's records, its unreadable rows, its row count and the heartbeat in one
 * transaction: a resume skips exactly the rows counted (rows_done) and reads the rest again.
 */
export function commitReportBatch(ledger: Ledger, job: ReportBatchJob, o: { compare?: ComparisonEstimator; writePath?: WritePath }): CommitOutcome {
  const { importId, recordType: type, parts, now } = job;
  const store = reportStore(ledger.db);
  const out = ledger.tx(() => {
    const res = applyRecordBatches(ledger, parts, o, now, emptyOutcome());
    let rows = 0;
    let records = 0;
    for (const p of parts) {
      store.addProblems(importId, type, p.problems, now);
      rows += p.rows;
      records += recordCountOf(p);
    }
    store.addRows(importId, type, rows, records, now);
    if (job.bytes) store.setBytes(importId, type, job.bytes.done, job.bytes.total, now);
    store.setState(importId, type, 'ingesting', null, now);
    ledger.imports.heartbeat(importId, job.owner, now);
    return { ...res, settledJobs: settleJobs(ledger, job, res) };
  });
  ledger.mergeCallKeysIfDue(); // after the commit: the merge is a transaction of its own
  return out;
}

/** The report batch as postMessage carries it (as packChunk: each part's records sealed in a buffer that is moved). */
export interface PackedReportBatchJob extends Omit<ReportBatchJob, 'parts'> {
  parts: Wire<CsvBatch>[];
}

export function packReportBatch(job: ReportBatchJob): { job: PackedReportBatchJob; transfer: ArrayBuffer[] } {
  const parts = job.parts.map(wirePage);
  return { job: { ...job, parts }, transfer: parts.flatMap(transferablesOf) };
}

export function unpackReportBatch(job: PackedReportBatchJob): ReportBatchJob {
  return { ...job, parts: job.parts.map((p) => openPage<CsvBatch>(p)) };
}
