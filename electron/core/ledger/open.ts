// Opens (and migrates) a ledger file. One place decides the pragmas so every host gets
// the same durability: WAL for concurrent readers (the app and a CLI cron on one file),
// synchronous=NORMAL (a crash loses at most the last transactions, never consistency),
// foreign keys on, and a busy timeout so two processes wait for each other instead of failing.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { accessSync, chmodSync, closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { unsupportedNodeMessage } from '../util/node-version.ts';

export type Db = Database.Database;

export class LedgerError extends Error {
  override name = 'LedgerError';
}

export interface OpenLedgerOptions {
  readonly?: boolean;
  migrations?: readonly Migration[];
  /** SQLite's page cache in MiB (default 64; the import's write worker may be given another). */
  cacheMb?: number;
}

export function openLedger(file: string, options: OpenLedgerOptions = {}): Db {
  const tooOld = unsupportedNodeMessage(process.versions.node);
  if (tooOld) throw new LedgerError(tooOld);
  if (!options.readonly) keepPrivate(file);
  // A ledger file made read-only (a copy to inspect, an archive) is still read: status and
  // reports work, and whatever tries to write is told why it cannot.
  const readonly = options.readonly || (existsSync(file) && !canWrite(file));
  try {
    return openAs(file, readonly, options);
  } catch (err) {
    // A folder SQLite cannot create the ledger's -wal/-shm files in (read-only mount, an
    // immutable folder), or a file refused some other way than its mode: still read it.
    const code = (err as { code?: string })?.code ?? '';
    if (!existsSync(file) || !/^SQLITE_(CANTOPEN|READONLY)/.test(code)) throw err;
    if (!readonly) {
      try {
        return openAs(file, true, options);
      } catch (again) {
        if (!/^SQLITE_CANTOPEN/.test((again as { code?: string })?.code ?? '')) throw again;
      }
    }
    // Even a reader of a WAL ledger needs its -shm file beside it, and SQLite cannot create it.
    throw new LedgerError(
      `The ledger ${file} cannot be opened: its folder ${dirname(file)} does not let SQLite create the ledger's -wal/-shm files beside it ` +
        '(a read-only mount or disk, an immutable folder, or no write permission). Nothing was changed. Make the folder writable, ' +
        'or copy the ledger file into a writable folder and point --data-dir (or COST_DESK_DATA_DIR) there to read it.',
    );
  }
}

function openAs(file: string, readonly: boolean, options: OpenLedgerOptions): Db {
  const db = new Database(file, readonly ? { readonly: true } : {});
  try {
    db.pragma('busy_timeout = 10000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = ${-Math.round((options.cacheMb ?? 64) * 1024)}`); // in KiB when negative: 64 MiB by default
    // Checkpoint the WAL every ~64 MiB instead of every 4 MiB: an import dirties index pages
    // all over the file, and rarer checkpoints write each hot page once, not many times.
    if (!readonly) db.pragma('wal_autocheckpoint = 16384');
    db.pragma('temp_store = MEMORY');
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    const damaged = damagedLedger(err, file);
    if (damaged) throw damaged;
    throw err;
  }
}

function canWrite(file: string): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** SQLite's word for a damaged file, made into what happened to which file and the way out. */
export function damagedLedger(err: unknown, file: string): LedgerError | null {
  const code = (err as { code?: string })?.code ?? '';
  if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') return null;
  return new LedgerError(
    `The ledger ${file} is damaged (${(err as Error).message}). Keep a copy of it, then move it away: ` +
      'the next run starts a new ledger, and importing your date ranges again (cost-desk import --from ... --to ...) rebuilds it from Telnyx.',
  );
}

/**
 * What a write to a read-only ledger gets: which file, why it cannot be written, that nothing
 * was written (the transaction rolled back) and that reading still works. A file whose own
 * mode forbids writing is a chmod away; one whose mode allows it is refused by something
 * else (an immutable attribute, a read-only mount, a folder SQLite cannot add its -wal file
 * to), which chmod does not change.
 */
export function readOnlyLedger(err: unknown, file: string): LedgerError | null {
  if (err instanceof LedgerError) return null;
  const code = (err as { code?: string })?.code ?? '';
  if (!code.startsWith('SQLITE_READONLY')) return null;
  const head = `The ledger ${file} is read-only: nothing was written, and status and export can still read it.`;
  let modeAllowsWrite = false;
  try {
    modeAllowsWrite = (statSync(file).mode & 0o200) !== 0;
  } catch {
    // Gone or unreadable: the generic advice below still applies.
  }
  return new LedgerError(
    modeAllowsWrite
      ? `${head} Its permissions allow writing, so the file or its folder is protected another way (an immutable attribute: lsattr/chattr -i; a read-only mount or disk; a folder this user cannot create files in). Make the file and its folder writable to go on.`
      : `${head} Make it writable (chmod u+w ${file}) to go on.`,
  );
}

/**
 * The ledger holds what every call cost: only its owner may read it. A new file is created
 * 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database file's
 * mode); an existing one, and its -wal/-shm, are set to 0600 whoever created them.
 */
function keepPrivate(file: string): void {
  if (process.platform === 'win32' || file === ':memory:' || file === '') return;
  try {
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      // Group and others lose every right; the owner's own (read-only, say) stay as they are.
      const mode = existsSync(f) ? statSync(f).mode & 0o777 : null;
      if (mode !== null && (mode & 0o077) !== 0) chmodSync(f, mode & 0o700);
    }
  } catch {
    // Not ours to change (a read-only folder, another owner): SQLite's own error says more.
  }
}

export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

/** Applies pending migrations in one transaction each; refuses edited applied ones. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  if (db.readonly) {
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]).map(Number));
    const pending = migrations.filter((m) => !applied.has(m.version));
    if (pending.length > 0)
      throw new LedgerError(
        `the ledger is read-only and needs an update to schema version ${pending.at(-1)!.version} first: make it writable once (chmod u+w) and run any command`,
      );
    return;
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    sha256: string;
  }[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new LedgerError(`ledger was written by a newer Cost Desk (schema version ${row.version} is unknown to this build)`);
    }
    if (migrationHash(m) !== row.sha256) {
      throw new LedgerError(`migration ${row.version} (${row.name}) was edited after it was applied; refusing to open the ledger`);
    }
  }
  const done = new Set(applied.map((r) => r.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      if (m.editsSchemaText) editSchemaText(db, m);
      else db.exec(m.sql);
      record.run(m.version, m.name, migrationHash(m), Date.now());
    }).immediate();
  }
}

/**
 * Runs a migration that rewrites table definitions in sqlite_schema, as SQLite's ALTER TABLE
 * documentation describes for changes that leave the stored content as it is: writable_schema
 * on (which better-sqlite3's defensive mode refuses, hence unsafeMode for these statements
 * only), the schema version bumped so every connection reloads the definitions, then each
 * changed table checked inside the same transaction (quick_check of that table alone: the
 * definitions parse, and its rows pass its constraints), so a rewrite that fails rolls back.
 */
function editSchemaText(db: Db, m: Migration): void {
  const definitions = () =>
    new Map((db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[]).map((t) => [t.name, t.sql]));
  const before = definitions();
  const version = Number(db.pragma('schema_version', { simple: true }));
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.exec(m.sql);
    db.pragma(`schema_version = ${version + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
  for (const [table, sql] of definitions()) {
    if (before.get(table) === sql) continue;
    const result = (
      db
        .prepare(`PRAGMA quick_check("${table.replaceAll('"', '""')}")`)
        .pluck()
        .all() as string[]
    ).join('; ');
    if (result !== 'ok') throw new LedgerError(`migration ${m.version} (${m.name}) would damage the ledger's ${table} table: ${result}`);
  }
}
