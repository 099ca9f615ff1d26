// A backup is checked before it replaces anything: it must be a SQLite file that passes
// integrity_check, carry our schema_migrations table, and hold no migration this build does
// not know or one that differs from ours (a ledger from a newer or an edited build would be
// refused on open, after the good ledger was already gone).
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { AppFailure } from '../api/types.ts';
import { MIGRATIONS } from '../ledger/migrations.ts';
import { migrationHash } from '../ledger/open.ts';
import { appliedMigrations, integrityCheck, summarizeLedger, tableNames, type LedgerSummary } from '../ledger/backup-file.ts';

const REQUIRED_TABLES = ['calls', 'messages', 'cost_history', 'settings'];

function refuse(file: string, why: string): AppFailure {
  return new AppFailure(
    'invalid_input',
    `${file} cannot be restored: ${why}. Nothing was changed.`,
    'Pick a backup made by Cost Desk (Settings → Data lists them).',
  );
}

/** Throws an AppFailure saying why `file` is not a backup this build can restore. */
export function checkBackupFile(file: string): LedgerSummary {
  if (!existsSync(file) || !statSync(file).isFile()) throw refuse(file, 'there is no such file');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw refuse(file, `it could not be opened (${(err as Error).message})`);
  }
  try {
    let text: string[];
    try {
      text = integrityCheck(db);
    } catch (err) {
      throw refuse(file, `it is not a SQLite database (${(err as Error).message})`);
    }
    if (text.length !== 1 || text[0] !== 'ok') throw refuse(file, `integrity_check found ${text.slice(0, 3).join('; ')}`);
    const tables = tableNames(db);
    if (!tables.has('schema_migrations')) throw refuse(file, 'it is not a Cost Desk ledger (no schema_migrations table)');
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw refuse(file, `it is not a Cost Desk ledger (no ${missing.join(', ')} table)`);
    checkMigrations(file, db);
    return summarizeLedger(db);
  } finally {
    db.close();
  }
}

function checkMigrations(file: string, db: Database.Database): void {
  const known = new Map(MIGRATIONS.map((m) => [m.version, m]));
  const applied = appliedMigrations(db);
  if (applied.length === 0) throw refuse(file, 'its schema_migrations table is empty');
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) throw refuse(file, `it was written by a newer Cost Desk (schema version ${row.version} is unknown to this build)`);
    if (migrationHash(m) !== row.sha256) throw refuse(file, `its migration ${row.version} (${row.name}) differs from this build's`);
  }
}
