// The report phase of an import: for a range longer than `minRangeMs`, each record type's
// window up to (the start of the UTC day of) now - 4 h is asked of Telnyx as one batch report,
// polled, streamed and ingested; the pages then cover only the rest (the recent tail the spec
// warns a report may miss, and anything a report could not cover). Any failure of a report
// (failed, expired twice, a link that answers 403, a cut download, a CSV without the columns
// the ledger needs) hands its whole window back to the pages: nothing is lost, and the rows
// already ingested are simply read again (records are keyed by id).
//
// Every step is remembered in import_reports, so cancel and resume work in every phase: a
// pending report is polled again by id, a download starts over and skips the rows already in
// the ledger.
//
// A report's rows commit a batch at a time (chunk-commit.ts commitReportBatch), on the
// import's write worker when it has one (at most two batches in flight, while the next ones
// download and parse), else here. A batch that cannot be written fails the import (resumable),
// it is no reason to fall back to the pages.
import type { RecordType } from '../../../../shared/domain.ts';
import type { ComparisonEstimator } from '../../costs/comparison.ts';
import type { Ledger } from '../../ledger/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { isTelnyxError, type BatchReport, type BatchReportsApi, type ReportKind } from '../../telnyx/index.ts';
import { commitReportBatch, jobsOwnerOf, type ReportBatchJob } from '../chunk-commit.ts';
import type { ChunkWriter, Committed } from '../write-worker.ts';
import { ReaderStopped, readReportHere, type CsvBatch, type ReportReader } from './csv-records.ts';
import { reportStore, type ReportRow } from '../../ledger/import-reports.ts';

const DAY_MS = 86_400_000;
/**
 * Rows the CSV reader hands on at a time, each part sealed in a buffer as soon as it is read
 * (page-wire.ts), as a page's 50 are: the reader (on the fetch worker) never holds a whole
 * transaction's rows parsed, only one part. A transaction (batchRows) is several parts.
 */
export const REPORT_PART_ROWS = 500;
/** "If end time includes the last 4 hours, some MDRs might not appear" (MdrDetailedRequest). */
export const REPORT_TAIL_MS = 4 * 3_600_000;

export interface ReportSettings {
  /** Ranges at least this long are asked as reports (Settings; default one day). */
  minRangeMs: number;
  /** Between polls at first (doubles up to 30 s). Default 1 s. */
  pollMs?: number;
  /** How long Telnyx may take to prepare a report before the pages take over. Default 30 min. */
  maxWaitMs?: number;
  /** Rows per transaction. Default 10,000 (as many records as the pages' 200 pages of 50: each commit rewrites the random-id index pages it touched, so fewer, larger commits write less). */
  batchRows?: number;
  /** Rows the CSV reader parses before it hands them on sealed (REPORT_PART_ROWS by default; see there). */
  partRows?: number;
}

export interface ReportPhaseOptions {
  ledger: Ledger;
  api: BatchReportsApi;
  settings: ReportSettings;
  clock: Clock;
  logger?: Logger;
  importId: number;
  owner: string;
  from: number;
  to: number;
  types: readonly RecordType[];
  signal: AbortSignal;
  compare?: ComparisonEstimator;
  /**
   * The import's write worker (started on first use; null: none), on which a report's batches
   * commit while the next ones download and parse. Absent or null: they commit here.
   */
  writer?: () => Promise<ChunkWriter | null>;
  /** Downloads and parses a report's CSV elsewhere (the import's fetch worker); absent: here (readReportHere). */
  read?: ReportReader | undefined;
  onCallsUpdated?(callIds: number[], settledJobs: number): void;
  /** As ImportOptions.jobsOwner. */
  jobsOwner?: string | undefined;
  /** Something changed that the progress shows; etaMs while a download's size is known. */
  onProgress?(etaMs: number | null): void;
}

/**
 * Telnyx's report and the source that gives each record type (voice: the report's `source`).
 * Billed features (recording, AMD, ...) have no batch report: they are always paged.
 */
const KIND: Partial<Record<RecordType, { kind: ReportKind; source?: string }>> = {
  'call-control': { kind: 'voice', source: 'call-control' },
  webrtc: { kind: 'voice', source: 'webrtc' },
  // UNCONFIRMED: the SDKs list source values calls (default), call-control, fax-api, webrtc;
  // SIP trunking's calls are taken to be "calls".
  'sip-trunking': { kind: 'voice', source: 'calls' },
  messaging: { kind: 'messaging' },
};

/** The columns a voice report is asked for: what the ledger reads, where the fields list offers them. */
const VOICE_COLUMNS = [
  'id',
  'record_type',
  'telnyx_leg_id',
  'call_leg_id',
  'telnyx_session_id',
  'call_session_id',
  'telnyx_call_control_id',
  'cli',
  'cld',
  'direction',
  'started_at',
  'finished_at',
  'start_time',
  'end_time',
  'call_sec',
  'billed_sec',
  'rate',
  'cost',
  'currency',
  'created_at',
  'billing_group_id',
  'billing_group_name',
  'connection_id',
  'connection_name',
  'country_code',
  'tags',
  'session_id',
  'billable',
  'is_billable',
  'billing_status',
];

class Fallback extends Error {}

/**
 * A batch that could not be written (the write worker stopped, SQLite failed): not the
 * report's fault, so not a fallback to the pages: the import fails with `error` (resumable:
 * the rows not committed are read again).
 */
class WriteFailure extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** Runs the phase; returns, per record type, where its page walk starts. */
export async function runReportPhase(o: ReportPhaseOptions): Promise<Map<RecordType, number>> {
  const store = reportStore(o.ledger.db);
  const pageFrom = new Map<RecordType, number>();
  const coverTo = Math.floor(Math.min(o.to, o.clock.now() - REPORT_TAIL_MS) / DAY_MS) * DAY_MS;
  for (const type of o.types) {
    // A type whose pages were already being read (an import resumed from before reports, or
    // begun with them off) keeps its page numbering: no report for it.
    if (!KIND[type] || store.get(o.importId, type) || coverTo - o.from < o.settings.minRangeMs || store.pageCount(o.importId, type) > 0) continue;
    store.start(o.importId, type, o.from, coverTo, o.clock.now());
  }
  const open = (row: ReportRow | undefined): row is ReportRow => !!row && row.state !== 'done' && row.state !== 'fallback';
  for (const type of o.types) {
    const row = store.get(o.importId, type);
    if (row?.state === 'done' && store.problemCount(o.importId, type) > 0) {
      store.handBackToPages(o.importId, type, 'some report rows could not be read; this range is read page by page instead', o.clock.now());
    }
  }
  // Every report is asked for first, so Telnyx prepares them side by side; then each is
  // awaited, downloaded and ingested in turn (in the page walk's type order).
  let fields: string[] | null | undefined;
  for (const type of o.types) {
    const row = store.get(o.importId, type);
    if (!open(row) || row.reportId) continue;
    await orFallback(o, type, async () => {
      if (KIND[type]?.kind === 'voice' && fields === undefined) fields = await o.api.voiceFields(o.signal).catch(rethrowCancel(o.signal, null));
      await requestReport(o, row, fields ?? null);
    });
  }
  for (const type of o.types) {
    const row = store.get(o.importId, type);
    if (open(row)) await orFallback(o, type, () => finishReport(o, row));
    const now = store.get(o.importId, type);
    if (now) pageFrom.set(type, now.state === 'done' ? now.coveredTo : o.from);
  }
  return pageFrom;
}

/** Runs a step of one type's report; any failure but a cancel hands its window to the pages. */
async function orFallback(o: ReportPhaseOptions, type: RecordType, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    if (err instanceof WriteFailure) throw err.error;
    if (err instanceof ReaderStopped) throw err;
    if (o.signal.aborted || (isTelnyxError(err) && err.kind === 'cancelled')) throw err;
    const note = `batch report not used (${err instanceof Error ? err.message : String(err)}); this range is read page by page instead`;
    o.logger?.warn({ importId: o.importId, type, note }, 'batch report fell back to pages');
    reportStore(o.ledger.db).setState(o.importId, type, 'fallback', note, o.clock.now());
    o.onProgress?.(null);
  }
}

function rethrowCancel<T>(signal: AbortSignal, value: T) {
  return (err: unknown): T => {
    if (signal.aborted || (isTelnyxError(err) && err.kind === 'cancelled')) throw err;
    return value;
  };
}

async function requestReport(o: ReportPhaseOptions, row: ReportRow, voiceFields: string[] | null): Promise<BatchReport> {
  const { kind, source } = KIND[row.recordType]!;
  let fields: string[] | undefined;
  if (kind === 'voice') {
    if (voiceFields === null) throw new Fallback('Telnyx did not list the voice report fields');
    fields = VOICE_COLUMNS.filter((c) => voiceFields.includes(c));
  }
  const r = await o.api.create({ kind, from: row.coveredFrom, to: row.coveredTo, source, fields, signal: o.signal });
  reportStore(o.ledger.db).setReport(o.importId, row.recordType, r.id, r.prefix, o.clock.now());
  o.onProgress?.(null);
  return r;
}

async function finishReport(o: ReportPhaseOptions, row: ReportRow): Promise<void> {
  const store = reportStore(o.ledger.db);
  const { kind } = KIND[row.recordType]!;
  let report: BatchReport = { id: row.reportId!, prefix: row.apiPrefix!, kind, state: 'pending', status: 1, reportUrl: null };
  let askedAgain = false;
  for (;;) {
    report = await waitReady(o, row.recordType, report);
    if (report.state === 'complete') break;
    // An expired report is asked for again once per run; a failed one is Telnyx's answer.
    if (report.state === 'expired' && !askedAgain) {
      askedAgain = true;
      const fields = kind === 'voice' ? await o.api.voiceFields(o.signal) : null;
      report = await requestReport(o, store.get(o.importId, row.recordType)!, fields);
      continue;
    }
    throw new Fallback(`Telnyx reports the report ${report.state}`);
  }
  if (!report.reportUrl) throw new Fallback('the complete report has no report_url');
  await ingest(o, store.get(o.importId, row.recordType)!, report.reportUrl);
}

/** Polls until the report is no longer pending (or the wait runs out). */
async function waitReady(o: ReportPhaseOptions, type: RecordType, report: BatchReport): Promise<BatchReport> {
  const store = reportStore(o.ledger.db);
  const started = Date.now();
  let pause = o.settings.pollMs ?? 1_000;
  for (;;) {
    report = await o.api.get(report.kind, report.id, report.prefix, o.signal);
    if (report.state !== 'pending') return report;
    store.setState(o.importId, type, 'preparing', null, o.clock.now());
    o.onProgress?.(null);
    if (Date.now() - started > (o.settings.maxWaitMs ?? 30 * 60_000)) throw new Fallback('Telnyx did not prepare the report in time');
    await sleep(pause, o.signal);
    pause = Math.min(30_000, pause * 2);
  }
}

async function ingest(o: ReportPhaseOptions, row: ReportRow, url: string): Promise<void> {
  const store = reportStore(o.ledger.db);
  const type = row.recordType;
  const writer =
    (await o.writer?.().catch((err: unknown) => {
      throw new WriteFailure(err);
    })) ?? null;
  o.logger?.info(
    { importId: o.importId, type, writer: writer ? 'write worker' : 'main thread' },
    writer ? "report rows commit on the ledger's write worker" : 'report rows commit on the main thread',
  );
  store.setState(o.importId, type, 'downloading', null, o.clock.now());
  o.onProgress?.(null);
  // The ETA counts from the download's answer (started, totalBytes set once it has come).
  let started = Date.now();
  let bytes = 0;
  let lastShown = 0;
  let totalBytes: number | null = null;
  const eta = () => (totalBytes && bytes > 0 ? Math.round(((Date.now() - started) / bytes) * (totalBytes - bytes)) : null);
  const batchRows = o.settings.batchRows ?? 10_000;
  const dl = await (o.read ?? readReportHere(o.api))(url, {
    recordType: type,
    skipRows: row.rowsDone,
    window: { from: row.coveredFrom, to: row.coveredTo },
    batchRows: Math.min(o.settings.partRows ?? REPORT_PART_ROWS, batchRows),
    signal: o.signal,
    onBytes: (b) => {
      bytes = b;
      // Progress at most every 256 KiB: the bytes are shown in MB. With a writer, each
      // batch's commit writes them (this connection would wait on the worker's transaction).
      if (b - lastShown >= 262_144) {
        lastShown = b;
        if (!writer) store.setBytes(o.importId, type, b, totalBytes, o.clock.now());
        o.onProgress?.(eta());
      }
    },
  });
  totalBytes = dl.totalBytes;
  started = Date.now();
  const commits = batchCommitter(o, type, writer);
  try {
    try {
      let parts: CsvBatch[] = [];
      let rows = 0;
      const commit = async () => {
        const sent = parts;
        parts = [];
        rows = 0;
        await commits.commit(sent, writer ? { done: bytes, total: totalBytes } : undefined);
      };
      for await (const part of dl.batches) {
        parts.push(part);
        rows += part.rows;
        if (rows >= batchRows) await commit();
      }
      if (parts.length) await commit();
      await commits.drain();
    } catch (err) {
      // A write that failed, here or in a batch still in flight, fails the import; only a
      // download that failed is the report's fault.
      // A reader that is gone (the fetch worker died) is not the report's fault either.
      const failed = err instanceof WriteFailure ? err : err instanceof ReaderStopped ? new WriteFailure(err) : await commits.settle();
      if (failed) throw failed;
      if (o.signal.aborted) throw err;
      throw new Fallback(`the report download was cut or unreadable: ${err instanceof Error ? err.message : String(err)}`);
    }
  } finally {
    // However the loop ended, no batch commits after the phase moved on.
    await commits.settle();
  }
  if (totalBytes !== null && bytes !== totalBytes) throw new Fallback(`the report download ended after ${bytes} of ${totalBytes} bytes`);
  store.setBytes(o.importId, type, bytes, totalBytes, o.clock.now());
  store.setState(o.importId, type, 'done', null, o.clock.now());
  o.onProgress?.(null);
}

/** Batches in flight to the write worker at most (one committing, one waiting), as the pages' chunks. */
const MAX_BATCHES_IN_FLIGHT = 2;

/**
 * Commits a report's batches here (at once) or on the writer, keeping at most
 * MAX_BATCHES_IN_FLIGHT sent; progress follows each acknowledged commit, in order. Every
 * write failure comes out as a WriteFailure.
 */
function batchCommitter(o: ReportPhaseOptions, type: RecordType, writer: ChunkWriter | null) {
  const inFlight: Promise<void>[] = [];
  const committed = ({ updatedCallIds, settledJobs }: Committed) => {
    if (updatedCallIds.length || settledJobs) o.onCallsUpdated?.(updatedCallIds, settledJobs);
    o.onProgress?.(null);
  };
  return {
    async commit(parts: CsvBatch[], bytes: ReportBatchJob['bytes']): Promise<void> {
      const job: ReportBatchJob = {
        importId: o.importId,
        owner: o.owner,
        recordType: type,
        parts,
        now: o.clock.now(),
        ...(bytes ? { bytes } : {}),
        ...jobsOwnerOf(o),
      };
      if (!writer) {
        let out;
        try {
          out = commitReportBatch(o.ledger, job, { compare: o.compare });
        } catch (err) {
          throw new WriteFailure(err);
        }
        return committed(out);
      }
      const sent = writer.writeReportBatch(job).then(committed, (err: unknown) => {
        throw new WriteFailure(err);
      });
      sent.catch(() => undefined); // awaited in turn below; not an unhandled rejection meanwhile
      inFlight.push(sent);
      while (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await inFlight.shift();
    },
    async drain(): Promise<void> {
      while (inFlight.length) await inFlight.shift();
    },
    /** Waits for every batch still in flight; the first write failure among them, if any. */
    async settle(): Promise<WriteFailure | undefined> {
      const results = await Promise.allSettled(inFlight.splice(0));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      return failed ? (failed.reason as WriteFailure) : undefined;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(signal.reason);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
