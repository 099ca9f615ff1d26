// Date-range imports: one row per import, its per-type page totals, and every page committed.
// A page is marked done in the same transaction as its records, so after a crash the set of
// done pages is exactly what is in the ledger, and a resume fetches only the rest.
import type { ImportStatus, RecordType } from '../../../shared/domain.ts';
import type { Db } from './open.ts';
import { toInt, toText } from './rows.ts';

export interface ImportRow {
  id: number;
  fromTs: number;
  toTs: number;
  recordTypes: RecordType[];
  status: ImportStatus;
  owner: string | null;
  heartbeatAt: number | null;
  records: number;
  pages: number;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

function mapImport(r: Record<string, unknown>): ImportRow {
  return {
    id: toInt(r.id)!,
    fromTs: toInt(r.from_ts)!,
    toTs: toInt(r.to_ts)!,
    recordTypes: JSON.parse(String(r.record_types)) as RecordType[],
    status: r.status as ImportStatus,
    owner: toText(r.owner),
    heartbeatAt: toInt(r.heartbeat_at),
    records: toInt(r.records) ?? 0,
    pages: toInt(r.pages) ?? 0,
    error: toText(r.error),
    startedAt: toInt(r.started_at)!,
    finishedAt: toInt(r.finished_at),
  };
}

export interface ImportProblem {
  importId: number;
  recordType: RecordType;
  page: number;
  index: number;
  reason: string;
  /** The row as received (JSON text). */
  raw: string;
  seenAt: number;
}

function rawText(raw: unknown): string {
  try {
    return JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  } catch {
    return JSON.stringify(String(raw));
  }
}

/** The named statements over imports, their types, pages and problems. */
function importStatements(db: Db) {
  const create = db.prepare(
    `INSERT INTO imports (from_ts, to_ts, record_types, status, owner, heartbeat_at, started_at)
     VALUES (?, ?, ?, 'running', ?, ?, ?)`,
  );
  const byId = db.prepare('SELECT * FROM imports WHERE id = ?');
  const unfinishedSame = db.prepare(
    `SELECT * FROM imports WHERE from_ts = ? AND to_ts = ? AND record_types = ?
       AND status IN ('running','interrupted','failed','cancelled','completed_with_problems') ORDER BY id DESC LIMIT 1`,
  );
  const recent = db.prepare('SELECT * FROM imports ORDER BY id DESC LIMIT ?');
  const claim = db.prepare(`UPDATE imports SET status = 'running', owner = ?, heartbeat_at = ?, error = NULL, finished_at = NULL WHERE id = ?`);
  const heartbeat = db.prepare('UPDATE imports SET heartbeat_at = ? WHERE id = ? AND owner = ?');
  const finish = db.prepare('UPDATE imports SET status = ?, error = ?, finished_at = ?, owner = NULL WHERE id = ?');
  const setTotals = db.prepare(
    `INSERT INTO import_types (import_id, record_type, total_pages, total_results) VALUES (?, ?, ?, ?)
     ON CONFLICT(import_id, record_type) DO UPDATE SET total_pages = excluded.total_pages, total_results = excluded.total_results`,
  );
  const totals = db.prepare('SELECT record_type, total_pages, total_results FROM import_types WHERE import_id = ?');
  const pageDone = db.prepare(
    `INSERT INTO import_pages (import_id, record_type, page_number, records, done_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const bump = db.prepare('UPDATE imports SET records = records + ?, pages = pages + 1 WHERE id = ?');
  // A page done before (with problems) and read again: its record count becomes the new one.
  const pageRecords = db.prepare('SELECT records FROM import_pages WHERE import_id = ? AND record_type = ? AND page_number = ?').pluck();
  const recount = db.prepare('UPDATE import_pages SET records = ?, done_at = ? WHERE import_id = ? AND record_type = ? AND page_number = ?');
  const addRecords = db.prepare('UPDATE imports SET records = records + ? WHERE id = ?');
  // Pages whose rows were all read; a page with problems is read again by the next run.
  const donePages = db
    .prepare(
      `SELECT page_number FROM import_pages p WHERE import_id = ? AND record_type = ?
         AND NOT EXISTS (SELECT 1 FROM import_problems q WHERE q.import_id = p.import_id AND q.record_type = p.record_type AND q.page_number = p.page_number)`,
    )
    .pluck();
  const clearProblems = db.prepare('DELETE FROM import_problems WHERE import_id = ? AND record_type = ? AND page_number = ?');
  const addProblem = db.prepare(
    `INSERT INTO import_problems (import_id, record_type, page_number, row_index, reason, raw, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET reason = excluded.reason, raw = excluded.raw, seen_at = excluded.seen_at`,
  );
  const problemCount = db.prepare('SELECT COUNT(*) FROM import_problems WHERE import_id = ?').pluck();
  const problemList = db.prepare(
    `SELECT import_id, record_type, page_number, row_index, reason, raw, seen_at FROM import_problems
      WHERE (? IS NULL OR import_id = ?) ORDER BY import_id DESC, record_type, page_number, row_index LIMIT ? OFFSET ?`,
  );
  const problemTotal = db.prepare('SELECT COUNT(*) FROM import_problems WHERE (? IS NULL OR import_id = ?)').pluck();
  const markInterrupted = db.prepare(
    `UPDATE imports SET status = 'interrupted', owner = NULL, error = 'the process running it stopped'
     WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?)`,
  );

  const runningOwners = db.prepare(`SELECT id, owner FROM imports WHERE status = 'running' AND owner IS NOT NULL`);
  const interruptOne = db.prepare(
    `UPDATE imports SET status = 'interrupted', owner = NULL, error = 'the process running it stopped'
     WHERE id = ? AND status = 'running' AND owner = ?`,
  );
  return {
    create,
    byId,
    unfinishedSame,
    recent,
    claim,
    heartbeat,
    finish,
    setTotals,
    totals,
    pageDone,
    bump,
    pageRecords,
    recount,
    addRecords,
    donePages,
    clearProblems,
    addProblem,
    problemCount,
    problemList,
    problemTotal,
    markInterrupted,
    runningOwners,
    interruptOne,
  };
}

export function importsRepo(db: Db) {
  const st = importStatements(db);
  return {
    create(fromTs: number, toTs: number, types: RecordType[], owner: string, now: number): number {
      return Number(st.create.run(fromTs, toTs, JSON.stringify([...types].sort()), owner, now, now).lastInsertRowid);
    },
    get(id: number): ImportRow | undefined {
      const r = st.byId.get(id) as Record<string, unknown> | undefined;
      return r ? mapImport(r) : undefined;
    },
    /** The latest unfinished import of exactly this range and types, to resume instead of restarting. */
    findResumable(fromTs: number, toTs: number, types: RecordType[]): ImportRow | undefined {
      const r = st.unfinishedSame.get(fromTs, toTs, JSON.stringify([...types].sort())) as Record<string, unknown> | undefined;
      return r ? mapImport(r) : undefined;
    },
    recent(limit: number): ImportRow[] {
      return (st.recent.all(limit) as Record<string, unknown>[]).map(mapImport);
    },
    claim(id: number, owner: string, now: number): void {
      st.claim.run(owner, now, id);
    },
    heartbeat(id: number, owner: string, now: number): void {
      st.heartbeat.run(now, id, owner);
    },
    finish(id: number, status: ImportStatus, error: string | null, now: number): void {
      st.finish.run(status, error, now, id);
    },
    setTotals(id: number, type: RecordType, totalPages: number, totalResults: number): void {
      st.setTotals.run(id, type, totalPages, totalResults);
    },
    totals(id: number): { recordType: RecordType; totalPages: number | null; totalResults: number | null }[] {
      return (st.totals.all(id) as Record<string, unknown>[]).map((r) => ({
        recordType: r.record_type as RecordType,
        totalPages: toInt(r.total_pages),
        totalResults: toInt(r.total_results),
      }));
    },
    /** Must run inside the transaction that stored the page's records. */
    markPageDone(id: number, type: RecordType, page: number, records: number, now: number): void {
      if (st.pageDone.run(id, type, page, records, now).changes === 1) {
        st.bump.run(records, id);
        return;
      }
      const before = Number(st.pageRecords.get(id, type, page) ?? 0);
      if (before !== records) {
        st.recount.run(records, now, id, type, page);
        st.addRecords.run(records - before, id);
      }
    },
    /** The rows of a page that could not be read (none: the page read cleanly). In the page's transaction. */
    setProblems(id: number, type: RecordType, page: number, rows: readonly { index: number; reason: string; raw: unknown }[], now: number): void {
      st.clearProblems.run(id, type, page);
      for (const r of rows) st.addProblem.run(id, type, page, r.index, r.reason, rawText(r.raw), now);
    },
    problemCount(id: number): number {
      return Number(st.problemCount.get(id));
    },
    /** Unreadable rows kept as received, newest import first. */
    problems(importId: number | null, limit: number, offset: number): { rows: ImportProblem[]; total: number } {
      const rows = (st.problemList.all(importId, importId, limit, offset) as Record<string, unknown>[]).map((r) => ({
        importId: toInt(r.import_id)!,
        recordType: r.record_type as RecordType,
        page: toInt(r.page_number)!,
        index: toInt(r.row_index)!,
        reason: String(r.reason),
        raw: String(r.raw),
        seenAt: toInt(r.seen_at)!,
      }));
      return { rows, total: Number(st.problemTotal.get(importId, importId)) };
    },
    donePages(id: number, type: RecordType): Set<number> {
      return new Set((st.donePages.all(id, type) as number[]).map(Number));
    },
    /** Running imports and who runs them. */
    running(): { id: number; owner: string }[] {
      return (st.runningOwners.all() as { id: number | bigint; owner: string }[]).map((r) => ({ id: Number(r.id), owner: r.owner }));
    },
    /** Marks one running import interrupted, if `owner` still holds it. */
    interrupt(id: number, owner: string): boolean {
      return st.interruptOne.run(id, owner).changes === 1;
    },
    /** Imports whose owner stopped heart-beating are marked interrupted (resumable). */
    markStale(olderThan: number): number {
      return st.markInterrupted.run(olderThan).changes;
    },
  };
}
export type ImportsRepo = ReturnType<typeof importsRepo>;
