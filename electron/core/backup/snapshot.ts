// A backup through SQLite's online backup API, consistent while the app keeps writing.
// It runs on a connection of its own that holds one read transaction for the whole copy: in
// WAL mode that pins a snapshot, so every page copied belongs to the same moment, and writes
// by the app's connection (an import landing) neither block it nor restart it. What the backup
// holds is summarized in the same transaction, so the summary is exactly the backup's content.
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { bookedSql } from '../ledger/booked.ts';
import type { Db } from '../ledger/open.ts';

export interface LedgerSummary {
  calls: number;
  messages: number;
  /** Booked call cost per currency (exact where known, else the estimate), nano-units. */
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
    // Booked (ledger/booked.ts), in its own currency: like the overview.
    bookedCalls: sums(`SELECT currency, SUM(nanos) AS nanos FROM (
        SELECT ${B.currency} AS currency, ${B.nanos} AS nanos FROM calls WHERE ${B.nanos} IS NOT NULL)
      GROUP BY currency ORDER BY currency`),
    messagesCost: sums('SELECT currency, SUM(cost_nanos) AS nanos FROM messages WHERE cost_nanos IS NOT NULL GROUP BY currency ORDER BY currency'),
    schemaVersion: one('SELECT COALESCE(MAX(version), 0) FROM schema_migrations'),
  };
}

/**
 * Copies the ledger at `ledgerFile` into `target` (which must not exist) and returns what the
 * copy holds. The copy is written beside the target as .partial and renamed when complete.
 */
export async function snapshotLedger(ledgerFile: string, target: string): Promise<LedgerSummary> {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const src = new Database(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    src.pragma('busy_timeout = 10000');
    src.exec('BEGIN');
    // The first read starts the snapshot; everything below sees this moment only.
    const summary = summarizeLedger(src);
    await src.backup(partial);
    src.exec('COMMIT');
    if (existsSync(target)) throw new Error(`${target} already exists`);
    renameSync(partial, target);
    return summary;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    if (src.inTransaction) src.exec('ROLLBACK');
    src.close();
  }
}
