// Contract schemas for the user's own data: backups and restores (Settings → Data). Kept out
// of contract.ts so that file only gains the method lines.
import { z } from 'zod';
import { MoneyValue } from './domain.ts';

const Ms = z.number().int().min(0).max(8.64e15);
const AbsolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'An absolute path to a file');

export const BackupFile = z.object({
  file: z.string(),
  name: z.string(),
  bytes: z.number().int().min(0),
  at: Ms,
  /** Made by the daily automatic backup (pruned to the newest N) rather than by hand. */
  auto: z.boolean(),
});
export type BackupFile = z.infer<typeof BackupFile>;

export const BackupSettings = z
  .object({
    autoDaily: z.boolean(),
    keep: z.number({ error: 'Keep 1–365 daily backups' }).int('Keep 1–365 daily backups').min(1, 'Keep 1–365 daily backups').max(365, 'Keep 1–365 daily backups'),
  })
  .strict();
export type BackupSettings = z.infer<typeof BackupSettings>;

export const DataStatus = z.object({
  dataDir: z.string(),
  ledgerFile: z.string(),
  backupsDir: z.string(),
  backups: z.array(BackupFile),
  settings: BackupSettings,
  /** The host can open a folder in the OS file manager (the desktop app); else it shows the path. */
  canOpenFolder: z.boolean(),
});
export type DataStatus = z.infer<typeof DataStatus>;

/** What a ledger (or a backup of it) holds, read in the backup's own snapshot. */
export const LedgerContents = z.object({
  calls: z.number().int(),
  messages: z.number().int(),
  bookedCalls: z.array(MoneyValue),
  messagesCost: z.array(MoneyValue),
  schemaVersion: z.number().int(),
});
export type LedgerContents = z.infer<typeof LedgerContents>;

export const BackupRequest = z.object({ out: AbsolutePath.optional() }).strict();
export const BackupOutcome = BackupFile.extend({ contents: LedgerContents });

export const RestoreRequest = z.object({ file: AbsolutePath }).strict();
export const RestoreOutcome = z.object({
  restoredFrom: z.string(),
  /** Where the ledger that was replaced is kept (null when there was none). */
  previousLedger: z.string().nullable(),
  contents: LedgerContents,
});

export const OpenFolderOutcome = z.object({ opened: z.boolean(), path: z.string() });
