// What each poll, import and reconcile pass did, so a person can look back (and the UI can
// show "last sync 12:03, 41 new events").
import type { Db } from './open.ts';

export function runsRepo(db: Db) {
  const start = db.prepare(`INSERT INTO runs (kind, started_at, status) VALUES (?, ?, 'running')`);
  const finish = db.prepare('UPDATE runs SET finished_at = ?, status = ?, summary = ?, error = ? WHERE id = ?');
  const last = db.prepare(`SELECT id, kind, started_at, finished_at, status, summary, error FROM runs WHERE kind = ? ORDER BY id DESC LIMIT 1`);
  return {
    start: (kind: string, now: number) => Number(start.run(kind, now).lastInsertRowid),
    finish(id: number, status: 'ok' | 'error' | 'cancelled', summary: unknown, error: string | null, now: number): void {
      finish.run(now, status, summary === undefined ? null : JSON.stringify(summary), error, id);
    },
    last(kind: string) {
      const r = last.get(kind) as Record<string, unknown> | undefined;
      if (!r) return undefined;
      return {
        id: Number(r.id),
        startedAt: Number(r.started_at),
        finishedAt: r.finished_at === null ? null : Number(r.finished_at),
        status: String(r.status),
        summary: r.summary ? (JSON.parse(String(r.summary)) as Record<string, unknown>) : null,
        error: r.error === null ? null : String(r.error),
      };
    },
  };
}
export type RunsRepo = ReturnType<typeof runsRepo>;
