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

export function importsRepo(db: Db) {
  const create = db.prepare(
    `INSERT INTO imports (from_ts, to_ts, record_types, status, owner, heartbeat_at, started_at)
     VALUES (?, ?, ?, 'running', ?, ?, ?)`,
  );
  const byId = db.prepare('SELECT * FROM imports WHERE id = ?');
  const unfinishedSame = db.prepare(
    `SELECT * FROM imports WHERE from_ts = ? AND to_ts = ? AND record_types = ?
       AND status IN ('running','interrupted','failed','cancelled') ORDER BY id DESC LIMIT 1`,
  );
  const recent = db.prepare('SELECT * FROM imports ORDER BY id DESC LIMIT ?');
  const claim = db.prepare(
    `UPDATE imports SET status = 'running', owner = ?, heartbeat_at = ?, error = NULL, finished_at = NULL WHERE id = ?`,
  );
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
  const donePages = db.prepare('SELECT page_number FROM import_pages WHERE import_id = ? AND record_type = ?').pluck();
  const markInterrupted = db.prepare(
    `UPDATE imports SET status = 'interrupted', owner = NULL, error = 'the process running it stopped'
     WHERE status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < ?)`,
  );

  return {
    create(fromTs: number, toTs: number, types: RecordType[], owner: string, now: number): number {
      return Number(create.run(fromTs, toTs, JSON.stringify([...types].sort()), owner, now, now).lastInsertRowid);
    },
    get(id: number): ImportRow | undefined {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? mapImport(r) : undefined;
    },
    /** The latest unfinished import of exactly this range and types, to resume instead of restarting. */
    findResumable(fromTs: number, toTs: number, types: RecordType[]): ImportRow | undefined {
      const r = unfinishedSame.get(fromTs, toTs, JSON.stringify([...types].sort())) as Record<string, unknown> | undefined;
      return r ? mapImport(r) : undefined;
    },
    recent(limit: number): ImportRow[] {
      return (recent.all(limit) as Record<string, unknown>[]).map(mapImport);
    },
    claim(id: number, owner: string, now: number): void {
      claim.run(owner, now, id);
    },
    heartbeat(id: number, owner: string, now: number): void {
      heartbeat.run(now, id, owner);
    },
    finish(id: number, status: ImportStatus, error: string | null, now: number): void {
      finish.run(status, error, now, id);
    },
    setTotals(id: number, type: RecordType, totalPages: number, totalResults: number): void {
      setTotals.run(id, type, totalPages, totalResults);
    },
    totals(id: number): { recordType: RecordType; totalPages: number | null; totalResults: number | null }[] {
      return (totals.all(id) as Record<string, unknown>[]).map((r) => ({
        recordType: r.record_type as RecordType,
        totalPages: toInt(r.total_pages),
        totalResults: toInt(r.total_results),
      }));
    },
    /** Must run inside the transaction that stored the page's records. */
    markPageDone(id: number, type: RecordType, page: number, records: number, now: number): void {
      if (pageDone.run(id, type, page, records, now).changes === 1) bump.run(records, id);
    },
    donePages(id: number, type: RecordType): Set<number> {
      return new Set((donePages.all(id, type) as number[]).map(Number));
    },
    /** Imports whose owner stopped heart-beating are marked interrupted (resumable). */
    markStale(olderThan: number): number {
      return markInterrupted.run(olderThan).changes;
    },
  };
}
export type ImportsRepo = ReturnType<typeof importsRepo>;
