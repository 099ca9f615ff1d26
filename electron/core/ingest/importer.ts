// Date-range import of detail records. Resumable page by page (a page's records and its
// "done" mark commit in one transaction), cancellable, idempotent (records are keyed by id,
// costs applied through the precedence rules), and it reports progress with an ETA.
import type { RecordType } from '../../../shared/domain.ts';
import type { ImportProgress } from '../../../shared/contract.ts';
import type { Ledger } from '../ledger/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { ownerIsDead } from '../util/owner.ts';
import type { ComparisonEstimator } from '../costs/comparison.ts';
import { emptyOutcome, type MessageRecordLike, type VoiceRecordLike } from './store-records.ts';
import { applyRecordBatch } from './apply-records.ts';
import type { BatchReportsApi } from '../telnyx/index.ts';
import { reportViews, runReportPhase, type ReportSettings } from './report-import/index.ts';

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
  reports?: { api: BatchReportsApi; settings: ReportSettings };
  pages(options: {
    recordType: RecordType;
    from: number;
    to: number;
    skipPages: ReadonlySet<number>;
    signal: AbortSignal;
  }): AsyncIterable<RecordPage>;
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
  /** Called with the calls whose cost changed (the reconciler completes their jobs). */
  onCallsUpdated?(callIds: number[]): void;
  /** Commit this many pages per transaction at most (throughput vs. progress granularity). */
  pagesPerCommit?: number;
  /** Estimates calls first seen here would have had, for comparison (costs/comparison.ts). */
  compare?: ComparisonEstimator;
}

export class ImportError extends Error {
  override name = 'ImportError';
}

/** Heartbeats older than this mark an import as interrupted (its process died). */
export const IMPORT_STALE_MS = 60_000;

/** Telnyx has no records before this; an earlier date is a typo. */
export const EARLIEST_MS = Date.UTC(2010, 0, 1);
/** A range may end in the future (this month, say), but not years ahead (9999-12-31 is a typo too). */
export const LATEST_AHEAD_MS = 366 * 86_400_000;

/** Why a range is out of the sane span (and which end), or null. The CLI and every host check the same. */
export function saneRangeProblem(from: number, to: number, now: number): { end: 'from' | 'to'; message: string } | null {
  if (from < EARLIEST_MS) return { end: 'from', message: 'the range starts before 2010-01-01: Telnyx has no records that old' };
  if (to > now + LATEST_AHEAD_MS) return { end: 'to', message: 'the range ends more than a year from now: check the end date' };
  return null;
}

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

export async function runImport(o: ImportOptions): Promise<ImportProgress> {
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
  const startedAt = clock.now();
  const pagesAtStart = ledger.imports.get(importId)!.pages;
  const signal = o.signal ?? new AbortController().signal;
  // Bigger commits write each index page touched by many records once, not once per few pages
  // (random ids scatter every batch over the indexes); 25 pages is ~1250 records, well under a second.
  const perCommit = Math.max(1, o.pagesPerCommit ?? 25);
  o.logger?.info({ importId, from: new Date(o.from).toISOString(), to: new Date(o.to).toISOString(), types, resumed: !!resumable }, 'import starting');

  const progress = (status: ImportProgress['status'], error: string | null = null): ImportProgress => {
    const row = ledger.imports.get(importId)!;
    const totals = ledger.imports.totals(importId);
    const known = totals.length === types.length && totals.every((t) => t.totalPages !== null);
    const pagesTotal = known ? totals.reduce((s, t) => s + (t.totalPages ?? 0), 0) : null;
    const doneThisRun = row.pages - pagesAtStart;
    const elapsed = clock.now() - startedAt;
    const etaMs =
      status === 'running' && reportEta !== undefined
        ? reportEta
        : status === 'running' && pagesTotal !== null && doneThisRun > 0
          ? Math.max(0, Math.round((elapsed / doneThisRun) * (pagesTotal - row.pages)))
          : null;
    const reports = reportViews(ledger, importId);
    return {
      importId,
      status,
      range: { from: o.from, to: o.to },
      recordTypes: types,
      pagesDone: row.pages,
      pagesTotal,
      records: row.records,
      rejected: ledger.imports.problemCount(importId),
      startedAt: row.startedAt,
      finishedAt: status === 'running' ? null : clock.now(),
      etaMs,
      error,
      ...(reports ? { reports } : {}),
    };
  };
  // While a report downloads, the ETA is its download's (undefined: the pages' ETA).
  let reportEta: number | null | undefined;

  // Every type's walk starts with its page 1, whose meta holds the type's total: asking for
  // all of them first makes the total (and so the ETA) known from the first commit instead
  // of only once the last type starts. No extra request: page 1 is fetched anyway.
  let walks: AsyncIterator<RecordPage>[] = [];
  try {
    // The one point where batch reports join the import: they cover what they can of each
    // type's range first, and each type's page walk starts where its report stopped.
    const pageFrom = o.source.reports
      ? await runReportPhase({
          ledger, api: o.source.reports.api, settings: o.source.reports.settings, clock, logger: o.logger, importId, owner: o.owner,
          from: o.from, to: o.to, types, signal, compare: o.compare, onCallsUpdated: o.onCallsUpdated,
          onProgress: (eta) => {
            reportEta = eta;
            o.onProgress?.(progress('running'));
          },
        })
      : new Map<RecordType, number>();
    reportEta = undefined;
    walks = types.map((recordType) => {
      const from = pageFrom.get(recordType) ?? o.from;
      // A report that covered the whole range leaves its type no pages to walk.
      if (from >= o.to) return emptyWalk();
      return o.source.pages({ recordType, from, to: o.to, skipPages: ledger.imports.donePages(importId, recordType), signal })[Symbol.asyncIterator]();
    });
    const firsts = await Promise.all(walks.map((w) => w.next()));
    firsts.forEach((f, k) => {
      if (!f.done) ledger.imports.setTotals(importId, types[k]!, f.value.totalPages, f.value.totalResults);
    });
    for (const [k, recordType] of types.entries()) {
      let batch: RecordPage[] = [];
      const commit = () => {
        if (batch.length === 0) return;
        const pages = batch;
        batch = [];
        const now = clock.now();
        const out = ledger.tx(() => {
          const o2 = emptyOutcome();
          for (const p of pages) {
            ledger.imports.setTotals(importId, recordType, p.totalPages, p.totalResults);
            // A page read again replaces what its last reading could not read.
            ledger.imports.setProblems(importId, recordType, p.page, p.problems ?? unnamedProblems(p.rejected), now);
            applyRecordBatch(ledger, p, { compare: o.compare }, now, o2);
            ledger.imports.markPageDone(importId, recordType, p.page, p.voice.length + p.messages.length, now);
          }
          ledger.imports.heartbeat(importId, o.owner, now);
          return o2;
        });
        if (out.updatedCallIds.length) o.onCallsUpdated?.(out.updatedCallIds);
        o.onProgress?.(progress('running'));
      };
      for await (const page of continueWalk(firsts[k]!, walks[k]!)) {
        batch.push(page);
        if (batch.length >= perCommit) commit();
        if (signal.aborted) break;
      }
      commit();
      // A window with no records still answers page 1 with total_pages 0: record the total.
      if (ledger.imports.totals(importId).every((t) => t.recordType !== recordType)) {
        ledger.imports.setTotals(importId, recordType, 0, 0);
      }
      if (signal.aborted) break;
    }
    const problems = ledger.imports.problemCount(importId);
    const status = signal.aborted ? 'cancelled' : problems > 0 ? 'completed_with_problems' : 'completed';
    const note = status === 'completed_with_problems' ? `${problems} rows could not be read after retries; they are kept as received and their pages are read again by the next import of this range` : null;
    ledger.imports.finish(importId, status, note, clock.now());
    const final = progress(status, note);
    ledger.runs.finish(runId, status === 'completed' ? 'ok' : status === 'cancelled' ? 'cancelled' : 'error', final, note, clock.now());
    o.logger?.info({ importId, status, pages: final.pagesDone, records: final.records, rejected: final.rejected }, 'import finished');
    o.onProgress?.(final);
    return final;
  } catch (err) {
    const aborted = signal.aborted;
    const message = err instanceof Error ? err.message : String(err);
    ledger.imports.finish(importId, aborted ? 'cancelled' : 'failed', aborted ? null : message, clock.now());
    const final = progress(aborted ? 'cancelled' : 'failed', aborted ? null : message);
    ledger.runs.finish(runId, aborted ? 'cancelled' : 'error', final, aborted ? null : message, clock.now());
    o.onProgress?.(final);
    if (aborted) return final;
    o.logger?.warn({ importId, err: message }, 'import failed');
    throw err;
  } finally {
    // Walks not read to the end (cancel, error) stop their prefetching.
    await Promise.allSettled(walks.map((w) => w.return?.()));
  }
}

/** A source that only counted its unreadable rows: keep that they were there. */
function unnamedProblems(count: number): UnreadableRow[] {
  return Array.from({ length: count }, (_, index) => ({ index, reason: 'unreadable row (the source kept no copy)', raw: null }));
}

async function* emptyWalk(): AsyncGenerator<RecordPage> {}

async function* continueWalk(first: IteratorResult<RecordPage>, walk: AsyncIterator<RecordPage>): AsyncGenerator<RecordPage> {
  if (first.done) return;
  yield first.value;
  for (;;) {
    const next = await walk.next();
    if (next.done) return;
    yield next.value;
  }
}
