// The user's data, kept safe: back up now, restore a backup, the daily automatic backup, and
// what the Data section of Settings shows. Works on the runtime's current ledger (live or demo).
import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { AppFailure } from '../api/types.ts';
import type { CoreRuntime } from '../runtime/runtime.ts';
import { backupsDir, freeBackupPath, listBackups, pruneAutoBackups, type BackupFileInfo } from './files.ts';
import { checkBackupFile } from './verify.ts';
import { snapshotLedger, type LedgerSummary } from './snapshot.ts';
import { swapInBackup } from './restore.ts';
import { readBackupSettings, writeBackupSettings, type BackupSettings } from './settings.ts';

export const DAY_MS = 86_400_000;

export interface BackupResult extends BackupFileInfo {
  summary: LedgerSummary;
}

export function backupService(rt: CoreRuntime) {
  const dir = () => backupsDir(rt.o.dataDir);
  const ledgerFile = () => rt.session().ledgerFile;

  async function backupTo(target: string, at: number, auto: boolean): Promise<BackupResult> {
    const summary = await snapshotLedger(ledgerFile(), target);
    return { file: target, name: basename(target), bytes: statSync(target).size, at, auto, summary };
  }

  return {
    list: () => listBackups(dir(), ledgerFile()),
    settings: () => readBackupSettings(rt.session().ledger),
    setSettings(next: BackupSettings): BackupSettings {
      const saved = writeBackupSettings(rt.session().ledger, next, rt.o.clock.now());
      pruneAutoBackups(dir(), ledgerFile(), saved.keep);
      return saved;
    },

    /** Into the backups folder, or to `out` (an absolute path that must not exist yet). */
    async backupNow(out?: string): Promise<BackupResult> {
      const at = rt.o.clock.now();
      if (out === undefined) return backupTo(freeBackupPath(dir(), ledgerFile(), at, false), at, false);
      if (!isAbsolute(out)) throw new AppFailure('invalid_input', `the backup file must be an absolute path, not "${out}"`);
      if (existsSync(out)) throw new AppFailure('conflict', `${out} already exists; a backup never overwrites a file`, 'Choose a new file name.');
      return backupTo(out, at, false);
    },

    /** The daily backup when the newest automatic one is a day old (or there is none). */
    async autoBackupIfDue(): Promise<BackupResult | null> {
      const s = readBackupSettings(rt.session().ledger);
      if (!s.autoDaily) return null;
      const now = rt.o.clock.now();
      const last = listBackups(dir(), ledgerFile()).find((b) => b.auto);
      if (last && now - last.at < DAY_MS) return null;
      const made = await backupTo(freeBackupPath(dir(), ledgerFile(), now, true), now, true);
      pruneAutoBackups(dir(), ledgerFile(), s.keep);
      return made;
    },

    /** Checks `file`, then swaps it in for the current ledger and reopens the session on it. */
    async restore(file: string): Promise<{ restoredFrom: string; previousLedger: string | null; summary: LedgerSummary }> {
      if (!isAbsolute(file)) throw new AppFailure('invalid_input', `the backup file must be an absolute path, not "${file}"`);
      const summary = checkBackupFile(file);
      const previousLedger = await rt.reopenWith((ledger) => swapInBackup(file, ledger, rt.o.clock.now()));
      return { restoredFrom: file, previousLedger, summary };
    },
  };
}
export type BackupService = ReturnType<typeof backupService>;

/** Checks once an hour (on the injected clock) whether the daily backup is due. */
export function startAutoBackup(service: BackupService, rt: CoreRuntime, signal: AbortSignal): void {
  void (async () => {
    while (!signal.aborted) {
      await service.autoBackupIfDue().catch((err) => rt.o.logger.warn({ err: String(err) }, 'automatic backup failed'));
      await rt.o.clock.sleep(3600_000, signal).catch(() => {});
    }
  })();
}
