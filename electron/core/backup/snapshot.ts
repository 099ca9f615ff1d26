// A backup through SQLite's online backup API, consistent while the app keeps writing.
// It runs on a connection of its own that holds one read transaction for the whole copy: in
// WAL mode that pins a snapshot, so every page copied belongs to the same moment, and writes
// by the app's connection (an import landing) neither block it nor restart it. What the backup
// holds is summarized in the same transaction, so the summary is exactly the backup's content.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { backupOneSnapshot, type LedgerSummary } from '../ledger/backup-file.ts';

export { summarizeLedger, type LedgerSummary } from '../ledger/backup-file.ts';

/**
 * Copies the ledger at `ledgerFile` into `target` (which must not exist) and returns what the
 * copy holds. The copy is written beside the target as .partial and renamed when complete.
 */
export async function snapshotLedger(ledgerFile: string, target: string): Promise<LedgerSummary> {
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    const summary = await backupOneSnapshot(ledgerFile, partial);
    if (existsSync(target)) throw new Error(`${target} already exists`);
    renameSync(partial, target);
    return summary;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
