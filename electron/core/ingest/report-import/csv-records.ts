// A report's CSV, streamed: bytes counted as they arrive, rows split as they arrive (RFC 4180,
// csv-rows.ts), each row read by the same normalizers as a /detail_records row, handed on in
// batches. Nothing is held but the batch being built.
//
// Column names: Telnyx documents the voice report's columns only as "whatever GET
// …/voice/fields lists" (its categories, no names), and the messaging report's not at all. A
// row is read by the detail-record names the ledger already reads (id, telnyx_leg_id,
// call_session_id, cli, cld, cost, currency, created_at, ...), with the CDR-report names the
// SDKs show (start_time, end_time) as aliases. A CSV without a column the ledger needs is not
// used at all (ReportUnusable): the import pages that window instead.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { RecordType } from '../../../../shared/domain.ts';
import { normalizeMessageRecord, normalizeVoiceRecord, type BatchReportsApi, type MessageRecord, type VoiceRecord } from '../../telnyx/index.ts';
import { messageRecordGap, voiceRecordGap } from '../sources.ts';
import { compactRaw } from '../raw-json.ts';
import type { UnreadableRow } from '../importer.ts';
import { CsvError, CsvRows } from './csv-rows.ts';

export class ReportUnusable extends Error {
  override name = 'ReportUnusable';
}

export interface CsvBatch {
  /** Data rows this batch consumed (in the window or not). */
  rows: number;
  voice: VoiceRecord[];
  messages: MessageRecord[];
  /** Rows that cannot be booked, with their CSV row number as index. */
  problems: UnreadableRow[];
}

/** Columns a voice / message row must be able to fill (any one name of each group). */
const REQUIRED: Record<'voice' | 'messaging', string[][]> = {
  voice: [
    ['id'],
    ['telnyx_leg_id', 'call_leg_id', 'telnyx_session_id', 'call_session_id', 'telnyx_call_control_id', 'call_control_id'],
    ['cli'],
    ['cld'],
    ['direction'],
    ['cost'],
    ['currency'],
  ],
  messaging: [['uuid', 'id'], ['cli'], ['cld'], ['direction'], ['cost'], ['currency']],
};
/** CDR-report names -> detail-record names, used when the detail-record column is absent. */
const ALIASES: Record<string, string> = { start_time: 'started_at', end_time: 'finished_at' };

export function checkColumns(header: readonly string[], messaging: boolean): void {
  const have = new Set(header.map((h) => h.trim()));
  const missing = REQUIRED[messaging ? 'messaging' : 'voice'].filter((group) => !group.some((c) => have.has(c)));
  if (missing.length) throw new ReportUnusable(`the report has no ${missing.map((g) => g.join(' or ')).join(', ')} column`);
}

/** One CSV row (its cells under the header's trimmed names) as the object a detail-records page would hold: empty cells are absent. */
export function rowObject(names: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) if (cells[i] !== '' && cells[i] !== undefined) out[names[i]!] = cells[i];
  for (const [alias, name] of Object.entries(ALIASES)) if (out[name] === undefined && out[alias] !== undefined) out[name] = out[alias];
  return out;
}

export interface ReadCsvOptions {
  recordType: RecordType;
  /** Rows already in the ledger from an earlier run of this report: skipped. */
  skipRows: number;
  /** Only records created in [from, to) are kept, as the page walk keeps them. */
  window: { from: number; to: number };
  batchRows: number;
  /** Called with the bytes read so far. */
  onBytes?(bytes: number): void;
  signal?: AbortSignal;
}

/** A report's CSV opened (its size when the server said it) and read into batches as they are pulled. */
export interface ReportRead {
  totalBytes: number | null;
  batches: AsyncIterable<CsvBatch>;
}

/**
 * The reader itself is gone (the fetch worker died), not the report: the import fails
 * (resumable) instead of reading the range page by page, as when the writer is gone.
 */
export class ReaderStopped extends Error {
  override name = 'ReaderStopped';
}

/** Downloads a report_url and reads its CSV (here: readReportHere; on the fetch worker: fetch-worker.ts). */
export type ReportReader = (url: string, o: ReadCsvOptions) => Promise<ReportRead>;

/** The report downloaded and parsed on this thread. */
export function readReportHere(api: Pick<BatchReportsApi, 'download'>): ReportReader {
  return async (url, o) => {
    const dl = await api.download(url, o.signal);
    return { totalBytes: dl.totalBytes, batches: csvBatches(dl.body, o) };
  };
}

/** Reads a CSV stream into record batches; throws on a cut or malformed file. */
export async function* csvBatches(body: Readable, o: ReadCsvOptions): AsyncGenerator<CsvBatch> {
  const messaging = o.recordType === 'messaging';
  const onAbort = () => body.destroy(new Error('cancelled'));
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const splitter = new CsvRows();
  const decoder = new StringDecoder('utf8'); // a character cut between two pieces is joined
  const rows: string[][] = [];
  let names: string[] | null = null;
  let bytes = 0;
  let n = 0;
  let batch = emptyBatch();
  /** The rows split so far: the header first, then each data row into the batch. */
  function* take(): Generator<CsvBatch> {
    for (const cells of rows) {
      if (names === null) {
        checkColumns(cells, messaging);
        names = cells.map((c) => c.trim());
        continue;
      }
      n++;
      if (cells.length !== names.length) throw new CsvError(`report row ${n}: ${cells.length} cells, but the header has ${names.length} columns`);
      if (n <= o.skipRows) continue;
      batch.rows++;
      readRow(rowObject(names, cells), n, o, batch);
      if (batch.rows >= o.batchRows) {
        yield batch;
        batch = emptyBatch();
      }
    }
    rows.length = 0;
  }
  try {
    // A stream error (a connection cut mid-body, or the cancel above) ends this loop with it.
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      o.onBytes?.(bytes);
      splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk), rows);
      yield* take();
    }
    splitter.push(decoder.end(), rows);
    splitter.end(rows);
    yield* take();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (batch.rows > 0) yield batch;
}

const emptyBatch = (): CsvBatch => ({ rows: 0, voice: [], messages: [], problems: [] });

function readRow(raw: Record<string, unknown>, rowNumber: number, o: ReadCsvOptions, batch: CsvBatch): void {
  const messaging = o.recordType === 'messaging';
  const n = messaging ? normalizeMessageRecord(raw) : normalizeVoiceRecord(raw, o.recordType as Exclude<RecordType, 'messaging'>);
  if (!n.ok) {
    batch.problems.push({ index: rowNumber, reason: `report row ${rowNumber}: ${n.reason}`, raw });
    return;
  }
  const r = n.record;
  if (r.createdAt !== null && (r.createdAt < o.window.from || r.createdAt >= o.window.to)) return;
  const gap = messaging ? messageRecordGap(r as MessageRecord) : voiceRecordGap(r as VoiceRecord);
  if (gap) batch.problems.push({ index: rowNumber, reason: `report row ${rowNumber} (${r.id}): ${gap}`, raw });
  // The row's raw JSON as text while the batch waits to commit (the text stored for it).
  else if (messaging) batch.messages.push(compactRaw(r as MessageRecord));
  else batch.voice.push(compactRaw(r as VoiceRecord));
}
