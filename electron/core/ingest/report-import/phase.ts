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
import type { RecordType } from '../../../../shared/domain.ts';
import type { ComparisonEstimator } from '../../costs/comparison.ts';
import type { Ledger } from '../../ledger/index.ts';
import type { Clock } from '../../util/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { isTelnyxError, type BatchReport, type BatchReportsApi, type ReportKind } from '../../telnyx/index.ts';
import { applyRecordBatch } from '../apply-records.ts';
import { emptyOutcome } from '../store-records.ts';
import { csvBatches, type CsvBatch } from './csv-records.ts';
import { reportStore, type ReportRow } from '../../ledger/import-reports.ts';

const DAY_MS = 86_400_000;
/** "If end time includes the last 4 hours, some MDRs might not appear" (MdrDetailedRequest). */
export const REPORT_TAIL_MS = 4 * 3_600_000;

export interface ReportSettings {
  /** Ranges at least this long are asked as reports (Settings; default one day). */
  minRangeMs: number;
  /** Between polls at first (doubles up to 30 s). Default 1 s. */
  pollMs?: number;
  /** How long Telnyx may take to prepare a report before the pages take over. Default 30 min. */
  maxWaitMs?: number;
  /** Rows per transaction. Default 5000 (as many records as the pages' 100 pages of 50: each commit rewrites the random-id index pages it touched, so fewer, larger commits write less). */
  batchRows?: number;
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
  onCallsUpdated?(callIds: number[]): void;
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
  store.setState(o.importId, type, 'downloading', null, o.clock.now());
  o.onProgress?.(null);
  const dl = await o.api.download(url, o.signal);
  const started = Date.now();
  let bytes = 0;
  let lastShown = 0;
  const eta = () => (dl.totalBytes && bytes > 0 ? Math.round(((Date.now() - started) / bytes) * (dl.totalBytes - bytes)) : null);
  const batches = csvBatches(dl.body, {
    recordType: type,
    skipRows: row.rowsDone,
    window: { from: row.coveredFrom, to: row.coveredTo },
    batchRows: o.settings.batchRows ?? 5000,
    signal: o.signal,
    onBytes: (b) => {
      bytes = b;
      // Progress at most every 256 KiB: the bytes are shown in MB.
      if (b - lastShown >= 262_144) {
        lastShown = b;
        store.setBytes(o.importId, type, b, dl.totalBytes, o.clock.now());
        o.onProgress?.(eta());
      }
    },
  });
  try {
    for await (const batch of batches) commitBatch(o, type, batch);
  } catch (err) {
    if (o.signal.aborted) throw err;
    throw new Fallback(`the report download was cut or unreadable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (dl.totalBytes !== null && bytes !== dl.totalBytes) throw new Fallback(`the report download ended after ${bytes} of ${dl.totalBytes} bytes`);
  store.setBytes(o.importId, type, bytes, dl.totalBytes, o.clock.now());
  store.setState(o.importId, type, 'done', null, o.clock.now());
  o.onProgress?.(null);
}

/** One batch of rows: its records, its unreadable rows and the count, in one transaction. */
function commitBatch(o: ReportPhaseOptions, type: RecordType, batch: CsvBatch): void {
  const store = reportStore(o.ledger.db);
  const now = o.clock.now();
  const out = o.ledger.tx(() => {
    const res = applyRecordBatch(o.ledger, batch, { compare: o.compare }, now, emptyOutcome());
    store.addProblems(o.importId, type, batch.problems, now);
    store.addRows(o.importId, type, batch.rows, batch.voice.length + batch.messages.length, now);
    store.setState(o.importId, type, 'ingesting', null, now);
    o.ledger.imports.heartbeat(o.importId, o.owner, now);
    return res;
  });
  if (out.updatedCallIds.length) o.onCallsUpdated?.(out.updatedCallIds);
  o.onProgress?.(null);
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
