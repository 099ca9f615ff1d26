// A ledger file read whole: the online backup of one snapshot, the figures a backup is
// checked by, and what a file must hold to be a ledger at all. core/backup decides what to
// do with them (file names, restore, refusals).
import Database from 'better-sqlite3';
import { bookedSql } from './booked.ts';
import type { Db } from './open.ts';

export interface LedgerSummary {
  calls: number;
  messages: number;
  /** Booked call cost per currency (ledger/booked.ts), nano-units. */
  bookedCalls: Array<{ currency: string; nanos: bigint }>;
  /** Message cost per currency, nano-units. */
  messagesCost: Array<{ currency: string; nanos: bigint }>;
  schemaVersion: number;
}

/** The figures a backup is checked by; the same query on the backup must give the same. */
export function summarizeLedger(db: Db): LedgerSummary {
  const B = bookedSql('');
  const one = (sql: string) => Number(db.prepare(sql).pluck().get());
  const sums = (sql: string) =>
    (db.prepare(sql).safeIntegers(true).all() as Array<{ currency: string; nanos: bigint }>).map((r) => ({ currency: r.currency, nanos: BigInt(r.nanos) }));
  return {
    calls: one('SELECT COUNT(*) FROM calls'),
    messages: one('SELECT COUNT(*) FROM messages'),
    // Booked, in its own currency: like the overview.
    bookedCalls: sums(`SELECT currency, SUM(nanos) AS nanos FROM (
        SELECT ${B.currency} AS currency, ${B.nanos} AS nanos FROM calls WHERE ${B.nanos} IS NOT NULL)
      GROUP BY currency ORDER BY currency`),
    messagesCost: sums('SELECT currency, SUM(cost_nanos) AS nanos FROM messages WHERE cost_nanos IS NOT NULL GROUP BY currency ORDER BY currency'),
    schemaVersion: one('SELECT COALESCE(MAX(version), 0) FROM schema_migrations'),
  };
}

/**
 * Copies the ledger at `ledgerFile` into `partial` through SQLite's online backup, on a
 * connection of its own holding one read transaction for the whole copy: in WAL mode that
 * pins a snapshot, so every page belongs to the same moment and the app's writes neither
 * block it nor restart it. Returns the summary read in that same transaction.
 */
export async function backupOneSnapshot(ledgerFile: string, partial: string): Promise<LedgerSummary> {
  const src = new Database(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    src.pragma('busy_timeout = 10000');
    src.exec('BEGIN');
    // The first read starts the snapshot; everything below sees this moment only.
    const summary = summarizeLedger(src);
    await src.backup(partial);
    src.exec('COMMIT');
    return summary;
  } finally {
    if (src.inTransaction) src.exec('ROLLBACK');
    src.close();
  }
}

/** integrity_check's lines ('ok' alone when the file is sound); throws when it is not SQLite. */
export function integrityCheck(db: Database.Database): string[] {
  return db.prepare('PRAGMA integrity_check').pluck().all() as string[];
}

export function tableNames(db: Database.Database): Set<string> {
  return new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
}

/** The migrations a ledger file says it has applied, in order. */
export function appliedMigrations(db: Database.Database): Array<{ version: number; name: string; sha256: string }> {
  return db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string; sha256: string }>;
}
