// Key/value settings (JSON values) and sync cursors: small, named statements.
import type { Db } from './open.ts';

export function settingsRepo(db: Db) {
  const get = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
  const put = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const getCursor = db.prepare('SELECT value FROM sync_cursors WHERE name = ?').pluck();
  const putCursor = db.prepare(
    `INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  return {
    get<T>(key: string): T | undefined {
      const raw = get.get(key) as string | undefined;
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    set(key: string, value: unknown, now: number): void {
      put.run(key, JSON.stringify(value), now);
    },
    cursor(name: string): string | undefined {
      return getCursor.get(name) as string | undefined;
    },
    setCursor(name: string, value: string, now: number): void {
      putCursor.run(name, value, now);
    },
  };
}
export type SettingsRepo = ReturnType<typeof settingsRepo>;
