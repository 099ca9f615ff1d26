// DEV mock of the data.* methods (backups, restore: an in-memory list of backup files) and statements.*.
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

const line = (kind: string, calls: number) => ({ kind, calls, billedSec: calls * 90, minutes: (calls * 1.5).toFixed(2), exactCalls: calls - 2, estimatedCalls: 2, exact: '10.5', estimated: '0.03', booked: '10.53', variance: '0.12', variancePct: '1.2' });
const statement = (q: { month: string; number?: string }) => ({
  month: q.month,
  periodLabel: `${q.month} (UTC)`,
  from: Date.parse(`${q.month}-01T00:00:00Z`),
  to: Date.parse(`${q.month}-28T00:00:00Z`),
  scopeLabel: q.number ?? 'all numbers',
  numbers: [q.number ?? '+15551230001'],
  sections: [{ currency: 'USD', calls: [line('Inbound calls', 40), line('Outbound calls', 60)], callsTotal: line('All calls', 100), messages: [{ kind: 'SMS outbound', messages: 30, parts: 34, cost: '0.136', carrierFees: '0.09' }], messagesTotal: { kind: 'All messages', messages: 30, parts: 34, cost: '0.136', carrierFees: '0.09' }, total: '21.196', topDestinations: [{ destination: '+15557650001', calls: 12, messages: 3, minutes: '18.00', booked: '2.10' }] }],
  unpricedCalls: 0,
  unpricedMessages: 0,
});

export const statementHandlers = {
  'statements.get': (q: ParsedInput<'statements.get'>) => ok(statement(q)),
  'statements.export': (q: ParsedInput<'statements.export'>) => ok({ file: `${DIR}/statements/cost-desk-statement-${q.month}.${q.format}`, format: q.format, bytes: 12_345, statement: statement(q) }),
};
