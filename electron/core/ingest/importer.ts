// Date-range import of detail records. Resumable page by page (a page's records and its
// "done" mark commit in one transaction), cancellable, idempotent (records are keyed by id,
// costs applied through the precedence rules), and it reports progress with an ETA.
import type { RecordType } from '../../../shared/domain.ts';
import type { ImportProgress } from '../../../shared/contract.ts';
import type { Ledger } from '../ledger/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { ownerIsDead } from '../util/owner.ts';
import { saneRangeProblem } from '../../../shared/ranges.ts';
import type { ComparisonEstimator } from '../costs/comparison.ts';
import { linkUnlinkedFeatures, type MessageRecordLike, type VoiceRecordLike } from './store-records.ts';
import type { WritePath } from './apply-records.ts';
import { commitChunk, jobsOwnerOf, type ChunkJob } from './chunk-commit.ts';
import type { ChunkWriter, Committed } from './write-worker.ts';
import type { BatchReportsApi } from '../telnyx/index.ts';
import { reportViews, runReportPhase, type ReportSettings } from './report-import/index.ts';
import type { ReportReader } from './report-import/csv-records.ts';

/** A row of a page that could not be read (or lacks what the ledger needs), as received. */
export interface UnreadableRow {
  /** Its place in the page (unique within the page). */
  index: number;
  reason: string;
  raw: unknown;
}

/** One page of detail records as the importer needs it (the Telnyx client adapts to this). */
export interface RecordPage {
  page: number;
  totalPages: number;
  totalResults: number;
  voice: VoiceRecordLike[];
  messages: MessageRecordLike[];
  /** Rows still unreadable after the source's retries: kept as received, the page is redone next time. */
  problems?: UnreadableRow[];
  /** problems.length (sources without a problems list give only the count). */
  rejected: number;
  /** Times the source asked for this page (1 when it read cleanly at once). */
  attempts?: number;
}

export interface RecordPageSource {
  /** Batch detail-record reports for long ranges (report-import/); absent: pages only. */
  reports?: { api: BatchReportsApi; settings: ReportSettings; read?: ReportReader };
  pages(options: { recordType: RecordType; from: number; to: number; skipPages: ReadonlySet<number>; signal: AbortSignal }): AsyncIterable<RecordPage>;
}

export interface ImportOptions {
  ledger: Ledger;
  source: RecordPageSource;
  clock: Clock;
  logger?: Logger;
  from: number;
  to: number;
  recordTypes: RecordType[];
  /** Identifies this process: a crashed owner's import is found and resumed. */
  owner: string;
  signal?: AbortSignal;
  onProgress?(p: ImportProgress): void;
  /**
   * Called after each commit with the calls whose cost changed (the reconciler completes their
   * jobs) and how many of their jobs the commit settled itself (jobsOwner).
   */
  onCallsUpdated?(callIds: number[], settledJobs: number): void;
  /**
   * The reconciler's owner: each chunk settles, in its own transaction, that fetcher's jobs of
   * the calls it priced (its running ones left to it), so onCallsUpdated has none left to
   * settle and never waits for the write lock while the write worker commits the next chunk.
   */
  jobsOwner?: string;
  /** Commit this many pages per transaction at most (throughput vs. progress granularity). */
  pagesPerCommit?: number;
  /** Estimates calls first seen here would have had, for comparison (costs/comparison.ts). */
  compare?: ComparisonEstimator;
  /** 'bulk' (default): a chunk's records in set-wise statements; 'per-record': the earlier row-by-row path (kept to compare). */
  writePath?: WritePath;
  /**
   * Commits chunks (and batch reports' row batches) on another thread (write-worker.ts: its
   * own connection to this ledger's file, its own comparison estimator and write path) while
   * this one fetches the next pages. Absent: they commit here, between fetches.
   */
  writer?: ChunkWriter;
  /**
   * Starts a writer for this run's report batches and pages when they first need one (the
   * app's imports: ingest/write-worker.ts startImportWriter), closed when the run ends however
   * it ends; null: commit here.
   */
  startWriter?: () => Promise<ChunkWriter | null>;
}

export { EARLIEST_MS, LATEST_AHEAD_MS, saneRangeProblem } from '../../../shared/ranges.ts';

export class ImportError extends Error {
  override name = 'ImportError';
}

/** Heartbeats older than this mark an import as interrupted (its process died). */
export const IMPORT_STALE_MS = 60_000;

export function validateRange(from: number, to: number, now: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ImportError('the date range is not valid');
  const sane = saneRangeProblem(from, to, now);
  if (sane) throw new ImportError(sane.message);
  if (from >= to) throw new ImportError('the start of the range must be before its end');
  if (from > now) throw new ImportError('the range starts in the future');
}

/**
 * Marks interrupted every running import whose process is gone: at once for a process of
 * this machine that no longer runs (kill -9, a crash), after IMPORT_STALE_MS without a
 * heartbeat for any other.
 */
export function releaseDeadImports(ledger: Ledger, now: number): void {
  for (const r of ledger.imports.running()) {
    if (ownerIsDead(r.owner)) ledger.imports.interrupt(r.id, r.owner);
  }
  ledger.imports.markStale(now - IMPORT_STALE_MS);
}

/** What one run of an import carries from step to step. */
interface ImportRun {
  importId: number;
  runId: number;
  startedAt: number;
  /** Pages already done when this run began (the ETA counts this run's pace). */
  pagesAtStart: number;
  types: RecordType[];
  signal: AbortSignal;
  perCommit: number;
  /** While a batch report downloads, the ETA is its download's (undefined: the pages' ETA). */
  reportEta?: number | null | undefined;
  /** Commits the pages' chunks on another thread (o.writer, or one started for this run). */
  writer?: ChunkWriter | undefined;
  /** The writer o.startWriter started for this run, once asked for (closed when the run ends). */
  starting?: Promise<ChunkWriter | null>;
}

export async function runImport(o: ImportOptions): Promise<ImportProgress> {
  const run = beginImport(o);
  // Every type's walk starts with its page 1, whose meta holds the type's total: asking for
  // all of them first makes the total (and so the ETA) known from the first commit instead
  // of only once the last type starts. No extra request: page 1 is fetched anyway.
  let walks: AsyncIterator<RecordPage>[] = [];
  try {
    // The one point where batch reports join the import: they cover what they can of each
    // type's range first, and each type's page walk starts where its report stopped.
    const pageFrom = await reportPhase(o, run);
    await pageWriter(o, run, pageFrom);
    walks = run.types.map((recordType) => {
      const from = pageFrom.get(recordType) ?? o.from;
      // A report that covered the whole range leaves its type no pages to walk.
      if (from >= o.to) return emptyWalk();
      return o.source
        .pages({ recordType, from, to: o.to, skipPages: o.ledger.imports.donePages(run.importId, recordType), signal: run.signal })
        [Symbol.asyncIterator]();
    });
    const firsts = await Promise.all(walks.map((w) => w.next()));
    firsts.forEach((f, k) => {
      if (!f.done) o.ledger.imports.setTotals(run.importId, run.types[k]!, f.value.totalPages, f.value.totalResults);
    });
    for (const [k, recordType] of run.types.entries()) {
      await importType(o, run, recordType, continueWalk(firsts[k]!, walks[k]!));
      if (run.signal.aborted) break;
    }
    return finishImport(o, run);
  } catch (err) {
    return failImport(o, run, err);
  } finally {
    // Walks not read to the end (cancel, error) stop their prefetching.
    await Promise.allSettled(walks.map((w) => w.return?.()));
    // Every chunk and report batch sent has been answered (importType and the report phase
    // settle them): the worker has nothing left.
    await (await run.starting?.catch(() => null))?.close();
  }
}

/** Creates the import's row (or claims the interrupted one of the same range) and its run. */
function beginImport(o: ImportOptions): ImportRun {
  const { ledger, clock } = o;
  const types = [...new Set(o.recordTypes)].sort() as RecordType[];
  validateRange(o.from, o.to, clock.now());
  releaseDeadImports(ledger, clock.now());
  const resumable = ledger.imports.findResumable(o.from, o.to, types);
  if (resumable?.status === 'running') {
    throw new ImportError(`import ${resumable.id} of this range is already running`);
  }
  const importId = resumable ? resumable.id : ledger.imports.create(o.from, o.to, types, o.owner, clock.now());
  if (resumable) ledger.imports.claim(importId, o.owner, clock.now());
  const runId = ledger.runs.start('import', clock.now());
  // Bigger commits write each index page touched by many records once, not once per few pages
  // (random ids scatter every batch over the indexes). The bulk path commits 200 pages (~10,000
  // records, about a second); the row-by-row path keeps its 25. 100 -> 200 at 1M: 154.1 -> 135.7
  // µs CPU a record, 7,153 -> 8,472 records/s (one run each, 2026-12-06); a chunk's records are
  // never all open at once on the write worker (page-wire.ts takeRecords), so only the sealed
  // pages in flight grow (~11 MB a chunk at most two chunks).
  const perCommit = Math.max(1, o.pagesPerCommit ?? (o.writePath === 'per-record' ? 25 : DEFAULT_PAGES_PER_COMMIT));
  o.logger?.info({ importId, from: new Date(o.from).toISOString(), to: new Date(o.to).toISOString(), types, resumed: !!resumable }, 'import starting');
  return {
    importId,
    runId,
    startedAt: clock.now(),
    pagesAtStart: ledger.imports.get(importId)!.pages,
    types,
    signal: o.signal ?? new AbortController().signal,
    perCommit,
  };
}

/** Batch reports first, where the source has them: where each type's page walk starts. */
async function reportPhase(o: ImportOptions, run: ImportRun): Promise<Map<RecordType, number>> {
  if (!o.source.reports) return new Map<RecordType, number>();
  const { ledger, clock } = o;
  const pageFrom = await runReportPhase({
    ledger,
    api: o.source.reports.api,
    settings: o.source.reports.settings,
    clock,
    logger: o.logger,
    importId: run.importId,
    owner: o.owner,
    from: o.from,
    to: o.to,
    types: run.types,
    signal: run.signal,
    compare: o.compare,
    writer: () => runWriter(o, run),
    read: o.source.reports.read,
    onCallsUpdated: o.onCallsUpdated,
    jobsOwner: o.jobsOwner,
    onProgress: (eta) => {
      run.reportEta = eta;
      o.onProgress?.(importProgress(o, run, 'running'));
    },
  });
  run.reportEta = undefined;
  return pageFrom;
}

/**
 * The run's writer: o.writer, or the one o.startWriter starts the first time a report batch
 * or the pages need one (run.starting: the run closes it), or null (commits here).
 */
function runWriter(o: ImportOptions, run: ImportRun): Promise<ChunkWriter | null> {
  if (o.writer) return Promise.resolve(o.writer);
  if (!o.startWriter) return Promise.resolve(null);
  run.starting ??= o.startWriter();
  return run.starting;
}

/**
 * Sets run.writer for the pages once there are pages to walk (runWriter). The log says which,
 * so a user (and a test) can see where the pages were committed.
 */
async function pageWriter(o: ImportOptions, run: ImportRun, pageFrom: Map<RecordType, number>): Promise<void> {
  const pagesLeft = run.types.some((t) => (pageFrom.get(t) ?? o.from) < o.to);
  if (!pagesLeft) return;
  run.writer = (await runWriter(o, run)) ?? undefined;
  o.logger?.info(
    { importId: run.importId, writer: run.writer ? 'write worker' : 'main thread' },
    run.writer ? "import pages commit on the ledger's write worker" : 'import pages commit on the main thread',
  );
}

async function* emptyWalk(): AsyncGenerator<RecordPage> {}

/** Pages per transaction on the bulk path. */
export const DEFAULT_PAGES_PER_COMMIT = 200;

/** Reads one record type's pages, committing them perCommit at a time. */
async function importType(o: ImportOptions, run: ImportRun, recordType: RecordType, pages: AsyncIterable<RecordPage>): Promise<void> {
  const commits = chunkCommitter(o, run, recordType);
  try {
    let batch: RecordPage[] = [];
    for await (const page of pages) {
      batch.push(page);
      if (batch.length >= run.perCommit) {
        await commits.commit(batch);
        batch = [];
      }
      if (run.signal.aborted) break;
    }
    await commits.commit(batch);
    await commits.drain();
  } finally {
    // A failed walk still waits for the chunks in flight: none commits behind the failure's note.
    await commits.settle();
  }
  // A window with no records still answers page 1 with total_pages 0: record the total.
  if (o.ledger.imports.totals(run.importId).every((t) => t.recordType !== recordType)) {
    o.ledger.imports.setTotals(run.importId, recordType, 0, 0);
  }
}

/** Chunks in flight to the write worker at most (one committing, one waiting): bounds memory. */
const MAX_CHUNKS_IN_FLIGHT = 2;

/**
 * Commits chunks here (at once) or through run.writer, keeping at most MAX_CHUNKS_IN_FLIGHT
 * sent: commit() returns once the chunk may be sent without exceeding it. Acknowledgements
 * come in order; each reports progress as a commit here does.
 */
function chunkCommitter(o: ImportOptions, run: ImportRun, recordType: RecordType) {
  const inFlight: Promise<void>[] = [];
  const committed = ({ updatedCallIds, settledJobs }: Committed) => {
    if (updatedCallIds.length || settledJobs) o.onCallsUpdated?.(updatedCallIds, settledJobs);
    o.onProgress?.(importProgress(o, run, 'running'));
  };
  return {
    async commit(pages: readonly RecordPage[]): Promise<void> {
      if (pages.length === 0) return;
      const job: ChunkJob = { importId: run.importId, owner: o.owner, recordType, pages, now: o.clock.now(), ...jobsOwnerOf(o) };
      if (!run.writer) return committed(commitChunk(o.ledger, job, { compare: o.compare, writePath: o.writePath }));
      const sent = run.writer.write(job).then(committed);
      sent.catch(() => undefined); // awaited in turn below; not an unhandled rejection meanwhile
      inFlight.push(sent);
      while (inFlight.length >= MAX_CHUNKS_IN_FLIGHT) await inFlight.shift();
    },
    async drain(): Promise<void> {
      while (inFlight.length) await inFlight.shift();
    },
    async settle(): Promise<void> {
      await Promise.allSettled(inFlight.splice(0));
    },
  };
}

/** Where the import stands, with an ETA from this run's pace. */
function importProgress(o: ImportOptions, run: ImportRun, status: ImportProgress['status'], error: string | null = null): ImportProgress {
  const { ledger, clock } = o;
  const row = ledger.imports.get(run.importId)!;
  const totals = ledger.imports.totals(run.importId);
  const known = totals.length === run.types.length && totals.every((t) => t.totalPages !== null);
  const pagesTotal = known ? totals.reduce((s, t) => s + (t.totalPages ?? 0), 0) : null;
  const doneThisRun = row.pages - run.pagesAtStart;
  const elapsed = clock.now() - run.startedAt;
  const etaMs =
    status === 'running' && run.reportEta !== undefined
      ? run.reportEta
      : status === 'running' && pagesTotal !== null && doneThisRun > 0
        ? Math.max(0, Math.round((elapsed / doneThisRun) * (pagesTotal - row.pages)))
        : null;
  const reports = reportViews(ledger, run.importId);
  return {
    importId: run.importId,
    status,
    range: { from: o.from, to: o.to },
    recordTypes: run.types,
    pagesDone: row.pages,
    pagesTotal,
    records: row.records,
    rejected: ledger.imports.problemCount(run.importId),
    startedAt: row.startedAt,
    finishedAt: status === 'running' ? null : clock.now(),
    etaMs,
    error,
    ...(reports ? { reports } : {}),
  };
}

/** Every page walked (or the walk cancelled): the import's final status, never "completed" with problems. */
function finishImport(o: ImportOptions, run: ImportRun): ImportProgress {
  const { ledger, clock } = o;
  // Feature records (recording, AMD, ...) read before their call's own record, or in an
  // earlier import, are linked now that the calls are in; the rest stay counted.
  const features = linkUnlinkedFeatures(ledger, clock.now());
  if (features.updatedCallIds.length) o.onCallsUpdated?.(features.updatedCallIds, 0);
  if (features.unlinked > 0)
    o.logger?.info({ importId: run.importId, unlinked: features.unlinked }, 'feature records kept unlinked: their calls are not in the ledger');
  const problems = ledger.imports.problemCount(run.importId);
  const status = run.signal.aborted ? 'cancelled' : problems > 0 ? 'completed_with_problems' : 'completed';
  const note =
    status === 'completed_with_problems'
      ? `${problems} rows could not be read after retries; they are kept as received and their pages are read again by the next import of this range`
      : null;
  ledger.imports.finish(run.importId, status, note, clock.now());
  const final = importProgress(o, run, status, note);
  ledger.runs.finish(run.runId, status === 'completed' ? 'ok' : status === 'cancelled' ? 'cancelled' : 'error', final, note, clock.now());
  o.logger?.info({ importId: run.importId, status, pages: final.pagesDone, records: final.records, rejected: final.rejected }, 'import finished');
  o.onProgress?.(final);
  return final;
}

/** A walk that failed: cancelled when asked to stop, else failed with the reason (and rethrown). */
function failImport(o: ImportOptions, run: ImportRun, err: unknown): ImportProgress {
  const { ledger, clock } = o;
  const aborted = run.signal.aborted;
  const message = err instanceof Error ? err.message : String(err);
  ledger.imports.finish(run.importId, aborted ? 'cancelled' : 'failed', aborted ? null : message, clock.now());
  const final = importProgress(o, run, aborted ? 'cancelled' : 'failed', aborted ? null : message);
  ledger.runs.finish(run.runId, aborted ? 'cancelled' : 'error', final, aborted ? null : message, clock.now());
  o.onProgress?.(final);
  if (aborted) return final;
  o.logger?.warn({ importId: run.importId, err: message }, 'import failed');
  throw err;
}

async function* continueWalk(first: IteratorResult<RecordPage>, walk: AsyncIterator<RecordPage>): AsyncGenerator<RecordPage> {
  if (first.done) return;
  yield first.value;
  for (;;) {
    const next = await walk.next();
    if (next.done) return;
    yield next.value;
  }
}
