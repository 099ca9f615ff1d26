// cost-desk backup [--out FILE] / restore FILE / statement --month M --out F / alerts [--json]:
// the same contract calls as Settings → Data and Statements, through dispatch (validated input
// and output, typed failures).
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { CliUsageError } from './dates.ts';
import type { CliHost } from './host.ts';

type Run = <T>(fn: (host: CliHost) => Promise<T>) => Promise<T>;

const totals = (m: Array<{ amount: string; currency: string }>) => (m.length ? m.map((x) => `${x.amount} ${x.currency}`).join(', ') : 'none');

export function registerDataCommands(program: Command, withCore: Run, out: (text: string) => void, setExit: (code: number) => void): void {
  /** A command's answer: as JSON with --json, else in words. */
  const say = <T>(answer: T, words: (a: T) => string) => out(program.opts().json ? JSON.stringify(answer) : words(answer));

  program
    .command('alerts')
    .description('spend alerts that fired; exits 1 when any is not acknowledged yet (for cron and scripts)')
    .option('--all', 'acknowledged ones too')
    .action(async (o: { all?: boolean }) => {
      await withCore(async (host) => {
        const r = await host.call('alerts.list', { unacknowledgedOnly: !o.all });
        if (program.opts().json) out(JSON.stringify(r));
        else if (r.firings.length === 0) out('no alerts');
        else out(r.firings.map((f) => `${new Date(f.firedAt).toISOString()} ${f.acknowledgedAt === null ? 'NEW ' : 'ack '} #${f.id} ${f.summary}`).join('\n'));
        if (r.unacknowledged > 0) setExit(1);
      });
    });

  program
    .command('statement')
    .description('write a monthly statement (.xlsx or .pdf, from the file name) per number, per billing group, or for every number')
    .requiredOption('--month <YYYY-MM>', 'the calendar month (UTC)')
    .option('--number <e164>', 'only this number of ours')
    .option('--billing-group <id>', 'only this billing group')
    .requiredOption('--out <file>', 'the new file to write: .xlsx or .pdf')
    .option('--check', "also compare the exact totals with Telnyx's usage report for the month")
    .action(async (o: { month: string; number?: string; billingGroup?: string; out: string; check?: boolean }) => {
      const file = resolve(o.out);
      const format = file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : file.toLowerCase().endsWith('.pdf') ? 'pdf' : null;
      if (!format) throw new CliUsageError(`--out must end in .xlsx or .pdf, not "${o.out}"`);
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) throw new CliUsageError(`--month must be YYYY-MM (e.g. 2026-01), not "${o.month}"`);
      if (o.number && o.billingGroup) throw new CliUsageError('--number and --billing-group: one or the other');
      await withCore(async (host) => {
        const r = await host.call('statements.export', {
          month: o.month,
          format,
          out: file,
          ...(o.check ? { checkWithTelnyx: true } : {}),
          ...(o.number ? { number: o.number } : {}),
          ...(o.billingGroup ? { billingGroup: o.billingGroup } : {}),
        });
        if (program.opts().json) out(JSON.stringify(r));
        else {
          const totals = r.statement.sections.map((s) => `${s.total} ${s.currency}`).join(', ') || 'nothing priced';
          out(`statement ${r.statement.scopeLabel}, ${r.statement.periodLabel}: ${totals}; wrote ${r.file} (${r.bytes} bytes)`);
          const c = r.statement.telnyxCheck;
          if (c)
            out(
              c.status === 'not_checked'
                ? `not checked against Telnyx: ${c.reason}`
                : `against Telnyx's usage report: ${c.rows.map((x) => `${x.currency} ${x.matches ? 'agrees' : `differs by ${x.difference}`}`).join(', ')}`,
            );
        }
        // Like verify --month: a statement that disagrees with Telnyx is exit 1 for scripts.
        if (r.statement.telnyxCheck?.status === 'differs') setExit(1);
      });
    });

  program
    .command('backup')
    .description('back up the ledger now (SQLite online backup, consistent while the app writes)')
    .option('--out <file>', 'write the backup here (a new file) instead of the backups folder')
    .action(async (o: { out?: string }) => {
      await withCore(async (host) =>
        say(
          await host.call('data.backup', o.out ? { out: resolve(o.out) } : {}),
          (b) => `backup ${b.file}: ${b.bytes} bytes, ${b.contents.calls} calls (booked ${totals(b.contents.bookedCalls)}), ${b.contents.messages} messages`,
        ),
      );
    });

  program
    .command('restore')
    .description('replace the ledger with a backup (checked first; the previous ledger is kept beside it)')
    .argument('<file>', 'a backup file made by Cost Desk')
    .action(async (file: string) => {
      await withCore(async (host) =>
        say(
          await host.call('data.restore', { file: resolve(file) }),
          (r) =>
            `restored ${r.restoredFrom}: ${r.contents.calls} calls, ${r.contents.messages} messages${r.previousLedger ? `; the previous ledger is kept at ${r.previousLedger}` : ''}`,
        ),
      );
    });

  program
    .command('move-data')
    .description('move the data folder (ledgers, backups, statements) to a new empty folder: copied, checked, then used; the old copy is kept')
    .argument('<dir>', 'the new folder (created when missing; must be empty)')
    .action(async (dir: string) => {
      await withCore(async (host) =>
        say(
          await host.call('data.move', { to: resolve(dir) }),
          (r) =>
            `moved the data folder to ${r.to}: ${r.ledgers.map((l) => `${l.file} (${l.contents.calls} calls, ${l.contents.messages} messages)`).join(', ') || 'no ledger yet'}, ${r.backups} backups; the old copy is kept in ${r.from}`,
        ),
      );
    });
}
