// The import_reports rows (migration 13): one per import and record type that a batch report
// was tried for (ingest/report-import/ reads and writes them through these statements).
import type { RecordType } from '../../../shared/domain.ts';
import type { Db } from './open.ts';

export type ReportPhase = 'requested' | 'preparing' | 'downloading' | 'ingesting' | 'done' | 'fallback';

export interface ReportRow {
  importId: number;
  recordType: RecordType;
  state: ReportPhase;
  reportId: string | null;
  apiPrefix: string | null;
  coveredFrom: number;
  coveredTo: number;
  rowsDone: number;
  bytesDone: number;
  totalBytes: number | null;
  note: string | null;
  updatedAt: number;
}

interface Raw {
  import_id: number;
  record_type: string;
  state: string;
  report_id: string | null;
  api_prefix: string | null;
  covered_from: number;
  covered_to: number;
  rows_done: number;
  bytes_done: number;
  total_bytes: number | null;
  note: string | null;
  updated_at: number;
}

const toRow = (r: Raw): ReportRow => ({
  importId: r.import_id,
  recordType: r.record_type as RecordType,
  state: r.state as ReportPhase,
  reportId: r.report_id,
  apiPrefix: r.api_prefix,
  coveredFrom: r.covered_from,
  coveredTo: r.covered_to,
  rowsDone: r.rows_done,
  bytesDone: r.bytes_done,
  totalBytes: r.total_bytes,
  note: r.note,
  updatedAt: r.updated_at,
});

const stores = new WeakMap<Db, ReturnType<typeof build>>();

/** The statements, prepared once per connection. */
export function reportStore(db: Db) {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = build(db)));
  return s;
}

function build(db: Db) {
  const all = db.prepare('SELECT * FROM import_reports WHERE import_id = ? ORDER BY record_type');
  const one = db.prepare('SELECT * FROM import_reports WHERE import_id = ? AND record_type = ?');
  const insert = db.prepare(
    `INSERT INTO import_reports (import_id, record_type, state, covered_from, covered_to, updated_at) VALUES (?, ?, 'requested', ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const setReport = db.prepare(
    `UPDATE import_reports SET state = 'preparing', report_id = ?, api_prefix = ?, rows_done = 0, bytes_done = 0, total_bytes = NULL, note = NULL, updated_at = ?
     WHERE import_id = ? AND record_type = ?`,
  );
  const setState = db.prepare('UPDATE import_reports SET state = ?, note = COALESCE(?, note), updated_at = ? WHERE import_id = ? AND record_type = ?');
  const setBytes = db.prepare('UPDATE import_reports SET bytes_done = ?, total_bytes = ?, updated_at = ? WHERE import_id = ? AND record_type = ?');
  const addRows = db.prepare('UPDATE import_reports SET rows_done = rows_done + ?, updated_at = ? WHERE import_id = ? AND record_type = ?');
  const addImportRecords = db.prepare('UPDATE imports SET records = records + ? WHERE id = ?');
  // A report's unreadable rows are the import's problems on "page 0" (pages count from 1),
  // indexed by CSV row number.
  const addProblem = db.prepare(
    `INSERT INTO import_problems (import_id, record_type, page_number, row_index, reason, raw, seen_at) VALUES (?, ?, 0, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET reason = excluded.reason, raw = excluded.raw, seen_at = excluded.seen_at`,
  );
  const problemsOf = db.prepare('SELECT COUNT(*) FROM import_problems WHERE import_id = ? AND record_type = ? AND page_number = 0').pluck();
  const clearProblems = db.prepare('DELETE FROM import_problems WHERE import_id = ? AND record_type = ? AND page_number = 0');
  const clearPages = db.prepare('DELETE FROM import_pages WHERE import_id = ? AND record_type = ?');
  const pagesOf = db.prepare('SELECT COUNT(*) FROM import_pages WHERE import_id = ? AND record_type = ?').pluck();
  return {
    list: (importId: number): ReportRow[] => (all.all(importId) as Raw[]).map(toRow),
    get: (importId: number, type: RecordType): ReportRow | undefined => {
      const r = one.get(importId, type) as Raw | undefined;
      return r ? toRow(r) : undefined;
    },
    start: (importId: number, type: RecordType, from: number, to: number, now: number) => void insert.run(importId, type, from, to, now),
    /** A new report: its download starts from the first row. */
    setReport: (importId: number, type: RecordType, reportId: string, prefix: string, now: number) => {
      setReport.run(reportId, prefix, now, importId, type);
      clearProblems.run(importId, type);
    },
    addProblems: (importId: number, type: RecordType, rows: readonly { index: number; reason: string; raw: unknown }[], now: number) => {
      for (const r of rows) addProblem.run(importId, type, r.index, r.reason, JSON.stringify(r.raw) ?? 'null', now);
    },
    problemCount: (importId: number, type: RecordType): number => problemsOf.get(importId, type) as number,
    /** Pages of this type already read (an import begun page by page stays so). */
    pageCount: (importId: number, type: RecordType): number => pagesOf.get(importId, type) as number,
    /**
     * A report whose rows could not all be read hands its window to the pages (as a page with
     * problems is read again): its problems go (the pages find them again) and so do the type's
     * tail pages, whose numbers belonged to the shorter window.
     */
    handBackToPages: (importId: number, type: RecordType, note: string, now: number) => {
      clearProblems.run(importId, type);
      clearPages.run(importId, type);
      setState.run('fallback', note, now, importId, type);
    },
    setState: (importId: number, type: RecordType, state: ReportPhase, note: string | null, now: number) => void setState.run(state, note, now, importId, type),
    setBytes: (importId: number, type: RecordType, bytes: number, total: number | null, now: number) => void setBytes.run(bytes, total, now, importId, type),
    /** Rows of the CSV now in the ledger (inside the transaction that wrote them). */
    addRows: (importId: number, type: RecordType, rows: number, records: number, now: number) => {
      addRows.run(rows, now, importId, type);
      addImportRecords.run(records, importId);
    },
  };
}
