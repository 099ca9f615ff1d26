// Backup settings, kept in the ledger's settings table like the other settings (the demo
// ledger has its own): the daily automatic backup on or off, and how many of them to keep.
import type { Ledger } from '../ledger/index.ts';

export interface BackupSettings {
  autoDaily: boolean;
  keep: number;
}

export const DEFAULT_BACKUP_SETTINGS: BackupSettings = { autoDaily: true, keep: 7 };
const KEY = 'backup.settings';

export function readBackupSettings(ledger: Ledger): BackupSettings {
  return { ...DEFAULT_BACKUP_SETTINGS, ...(ledger.settings.get<Partial<BackupSettings>>(KEY) ?? {}) };
}

export function writeBackupSettings(ledger: Ledger, next: BackupSettings, now: number): BackupSettings {
  ledger.settings.set(KEY, next, now);
  return next;
}
