// DEV mock of the data.* methods (backups, restore): an in-memory list of backup files.
import type { BackupFile, BackupSettings } from '../../shared/data.ts';
import type { ParsedInput } from '../../shared/contract.ts';

const ok = (value: unknown) => ({ ok: true, value });
const DIR = '/home/user/.local/share/telnyx-cost-desk';
let settings: BackupSettings = { autoDaily: true, keep: 7 };
const backups: BackupFile[] = [
  { file: `${DIR}/backups/ledger-20260114-000000-auto.db`, name: 'ledger-20260114-000000-auto.db', bytes: 8_388_608, at: Date.UTC(2026, 0, 14), auto: true },
];
const contents = { calls: 1234, messages: 321, bookedCalls: [{ amount: '12.34', currency: 'USD' }], messagesCost: [], schemaVersion: 4 };
const status = () => ({ dataDir: DIR, ledgerFile: `${DIR}/ledger.db`, backupsDir: `${DIR}/backups`, backups: [...backups], settings, canOpenFolder: false });

export const dataHandlers = {
  'data.status': () => ok(status()),
  'data.backup': () => {
    const at = Date.now();
    const name = `ledger-${new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}.db`;
    const b = { file: `${DIR}/backups/${name}`, name, bytes: 8_400_000, at, auto: false };
    backups.unshift(b);
    return ok({ ...b, contents });
  },
  'data.restore': ({ file }: ParsedInput<'data.restore'>) => ok({ restoredFrom: file, previousLedger: `${DIR}/ledger.before-restore.db`, contents }),
  'data.setBackupSettings': (next: ParsedInput<'data.setBackupSettings'>) => ((settings = next), ok(status())),
  'data.openFolder': () => ok({ opened: false, path: DIR }),
};
