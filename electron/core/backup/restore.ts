// Restoring replaces the ledger file with a checked copy of a backup, keeping the previous
// ledger beside it (ledger.before-restore-20260115-093000.db). Order matters for a process
// killed at any moment: the backup is first copied next to the ledger (.restoring), the old
// ledger copied aside, and only then is the copy renamed over the ledger (one atomic rename),
// so the ledger file is always either the old one or the restored one, never missing or half.
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppFailure } from '../api/types.ts';
import { ledgerStem } from './files.ts';

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** Runs with the ledger closed by this process; returns where the previous ledger was kept. */
export function swapInBackup(backupFile: string, ledgerFile: string, now: number): string | null {
  // Closing the last connection checkpoints and removes the WAL; one still there means
  // another process (a CLI cron, a second app) has the ledger open.
  const wal = `${ledgerFile}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new AppFailure(
      'conflict',
      'Another Cost Desk process has the ledger open; nothing was restored.',
      'Close it (or stop the cron job) and restore again.',
    );
  }
  const restoring = `${ledgerFile}.restoring`;
  copyFileSync(backupFile, restoring);
  let kept: string | null = null;
  if (existsSync(ledgerFile)) {
    kept = join(dirname(ledgerFile), `${ledgerStem(ledgerFile)}.before-restore-${stamp(now)}.db`);
    for (let n = 2; existsSync(kept); n++) kept = kept.replace(/(-\d+)?\.db$/, `-${n}.db`);
    copyFileSync(ledgerFile, kept);
  }
  rmSync(wal, { force: true });
  rmSync(`${ledgerFile}-shm`, { force: true });
  renameSync(restoring, ledgerFile);
  return kept;
}
