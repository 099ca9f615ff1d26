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
const status = () => ({
  dataDir: DIR,
  ledgerFile: `${DIR}/ledger.db`,
  backupsDir: `${DIR}/backups`,
  backups: [...backups],
  settings,
  canOpenFolder: false,
  movedFrom: null,
});

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
  'data.move': ({ to }: ParsedInput<'data.move'>) => ok({ from: DIR, to, ledgers: [{ file: `${to}/ledger.db`, contents }], backups: backups.length, files: 1 }),
};

const line = (kind: string, calls: number) => ({
  kind,
  calls,
  billedSec: calls * 90,
  minutes: (calls * 1.5).toFixed(2),
  exactCalls: calls - 2,
  estimatedCalls: 2,
  exact: '10.5',
  estimated: '0.03',
  booked: '10.53',
  variance: '0.12',
  variancePct: '1.2',
});
const statement = (q: { month: string; number?: string }) => ({
  month: q.month,
  periodLabel: `${q.month} (UTC)`,
  from: Date.parse(`${q.month}-01T00:00:00Z`),
  to: Date.parse(`${q.month}-28T00:00:00Z`),
  scopeLabel: q.number ?? 'all numbers',
  numbers: [q.number ?? '+15551230001'],
  sections: [
    {
      currency: 'USD',
      calls: [line('Inbound calls', 40), line('Outbound calls', 60)],
      callsTotal: line('All calls', 100),
      messages: [{ kind: 'SMS outbound', messages: 30, parts: 34, cost: '0.136', carrierFees: '0.09' }],
      messagesTotal: { kind: 'All messages', messages: 30, parts: 34, cost: '0.136', carrierFees: '0.09' },
      total: '21.196',
      topDestinations: [{ destination: '+15557650001', calls: 12, messages: 3, minutes: '18.00', booked: '2.10' }],
    },
  ],
  unpricedCalls: 0,
  unpricedMessages: 0,
  telnyxCheck: null,
});

export const statementHandlers = {
  'statements.get': (q: ParsedInput<'statements.get'>) => ok(statement(q)),
  'statements.export': (q: ParsedInput<'statements.export'>) =>
    ok({ file: `${DIR}/statements/cost-desk-statement-${q.month}.${q.format}`, format: q.format, bytes: 12_345, statement: statement(q) }),
};

const firings = [
  {
    id: 1,
    ruleId: 1,
    kind: 'daily_spend' as const,
    summary: '+15551230001 spent 31.20 USD on 2026-01-05 (threshold 25.00)',
    cause: 'day:+15551230001:2026-01-05',
    number: '+15551230001',
    period: '2026-01-05',
    callId: null,
    amount: '31.20',
    currency: 'USD',
    detail: { threshold: '25000000000' },
    firedAt: Date.UTC(2026, 0, 5, 14),
    acknowledgedAt: null as number | null,
  },
];
const rules = [
  { id: 1, kind: 'daily_spend' as const, number: null, currency: 'USD', threshold: '25.00', factor: null, enabled: true, createdAt: Date.UTC(2026, 0, 1) },
];

export const alertHandlers = {
  'alerts.list': (q: ParsedInput<'alerts.list'>) =>
    ok({
      firings: firings.filter((f) => !q.unacknowledgedOnly || f.acknowledgedAt === null),
      unacknowledged: firings.filter((f) => f.acknowledgedAt === null).length,
    }),
  'alerts.acknowledge': ({ id }: ParsedInput<'alerts.acknowledge'>) => {
    const f = firings.find((x) => x.id === id)!;
    f.acknowledgedAt ??= Date.now();
    return ok(f);
  },
  'alerts.rules': () => ok({ rules }),
  'alerts.addRule': (r: ParsedInput<'alerts.addRule'>) => {
    const rule = {
      id: rules.length + 1,
      kind: r.kind,
      number: r.number ?? null,
      currency: r.currency,
      threshold: r.threshold,
      factor: r.factor ?? null,
      enabled: r.enabled,
      createdAt: Date.now(),
    };
    rules.push(rule as (typeof rules)[number]);
    return ok(rule);
  },
  'alerts.removeRule': ({ id }: ParsedInput<'alerts.removeRule'>) => ok({ removed: id }),
};
