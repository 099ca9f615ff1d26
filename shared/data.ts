// Contract schemas for the user's own data: backups and restores (Settings → Data). Kept out
// of contract.ts so that file only gains the method lines.
import { z } from 'zod';
import { MoneyValue } from './domain.ts';

const Ms = z.number().int().min(0).max(8.64e15);
export const AbsolutePath = z
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
    keep: z
      .number({ error: 'Keep 1–365 daily backups' })
      .int('Keep 1–365 daily backups')
      .min(1, 'Keep 1–365 daily backups')
      .max(365, 'Keep 1–365 daily backups'),
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
  /** After a move: the folder the data was copied from, while it still exists (the user removes it). */
  movedFrom: z.string().nullable(),
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

// ---------- monthly statements ----------

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'A month as YYYY-MM, e.g. 2026-01');

export const StatementQuery = z
  .object({
    month: Month,
    number: z.string().min(3).max(32).optional(),
    billingGroup: z.string().min(1).max(200).optional(),
    /** Also compare the exact totals with Telnyx's usage report for the month (asks Telnyx). */
    checkWithTelnyx: z.boolean().optional(),
  })
  .strict()
  .refine((q) => !(q.number && q.billingGroup), 'Either a number or a billing group, not both');
export type StatementQuery = z.infer<typeof StatementQuery>;

export const StatementFormat = z.enum(['xlsx', 'pdf']);
export type StatementFormat = z.infer<typeof StatementFormat>;

const Amount = z.string().regex(/^-?\d+(\.\d+)?$/);
const CallLineView = z.object({
  kind: z.string(),
  calls: z.number().int(),
  billedSec: z.number().int(),
  minutes: z.string(),
  exactCalls: z.number().int(),
  estimatedCalls: z.number().int(),
  exact: Amount,
  estimated: Amount,
  booked: Amount,
  variance: Amount,
  variancePct: z.string().nullable(),
});
const MessageLineView = z.object({ kind: z.string(), messages: z.number().int(), parts: z.number().int(), cost: Amount, carrierFees: Amount });

export const StatementView = z.object({
  month: z.string(),
  periodLabel: z.string(),
  from: Ms,
  to: Ms,
  scopeLabel: z.string(),
  numbers: z.array(z.string()),
  sections: z.array(
    z.object({
      currency: z.string(),
      calls: z.array(CallLineView),
      callsTotal: CallLineView,
      messages: z.array(MessageLineView),
      messagesTotal: MessageLineView,
      total: Amount,
      topDestinations: z.array(z.object({ destination: z.string(), calls: z.number().int(), messages: z.number().int(), minutes: z.string(), booked: Amount })),
    }),
  ),
  unpricedCalls: z.number().int(),
  unpricedMessages: z.number().int(),
  /** The check against Telnyx's usage report, when asked for (null: not asked). */
  telnyxCheck: z
    .object({
      status: z.enum(['matches', 'differs', 'not_checked']),
      reason: z.string().nullable(),
      rows: z.array(z.object({ currency: z.string(), statement: Amount, telnyx: Amount, difference: Amount, matches: z.boolean() })),
      checkedAt: Ms,
    })
    .nullable(),
});
export type StatementView = z.infer<typeof StatementView>;

export const StatementExportRequest = z
  .object({
    month: Month,
    number: z.string().min(3).max(32).optional(),
    billingGroup: z.string().min(1).max(200).optional(),
    format: StatementFormat,
    checkWithTelnyx: z.boolean().optional(),
    /** Where to write (a new file); by default the statements folder inside the data folder. */
    out: AbsolutePath.optional(),
  })
  .strict()
  .refine((q) => !(q.number && q.billingGroup), 'Either a number or a billing group, not both');

export const StatementExportOutcome = z.object({ file: z.string(), format: StatementFormat, bytes: z.number().int(), statement: StatementView });

// ---------- moving the data folder ----------

export const MoveDataRequest = z.object({ to: AbsolutePath }).strict();
export const MoveDataOutcome = z.object({
  from: z.string(),
  to: z.string(),
  /** Each ledger copied, with what its checked copy holds. */
  ledgers: z.array(z.object({ file: z.string(), contents: LedgerContents })),
  backups: z.number().int(),
  /** Statements and other files copied. */
  files: z.number().int(),
});
export type MoveDataOutcome = z.infer<typeof MoveDataOutcome>;
