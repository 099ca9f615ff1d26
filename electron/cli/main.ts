// The command-line host: the same core as the desktop app, for cron jobs and terminals.
//   cost-desk sync [--watch]             poll stored webhook events once (or forever)
//   cost-desk import --from D [--to D]   import detail records for a date range
//   cost-desk status                     counts per status and per number
//   cost-desk reconcile [--watch]        run due cost-fetch jobs (the old cron endpoint)
//   cost-desk refetch <call id>          fetch one call's exact cost now
//   cost-desk export <report> --from D   write a CSV report (calls, messages, summary, history)
//   cost-desk backup [--out FILE]        back up the ledger now; cost-desk restore FILE puts one back
//   cost-desk statement --month YYYY-MM [--number N | --billing-group G] --out FILE.xlsx|.pdf
//   cost-desk alerts [--all] [--json]    spend alerts that fired; exit 1 when any is unacknowledged
//   cost-desk doctor / verify --month M  the account's setup / the month against Telnyx's totals
//   cost-desk config get [key] / set key value   settings (never the API key)
// Every command is a contract call through dispatch (host.ts): this folder parses arguments,
// draws progress and streams files, nothing more.
// Exit codes: 0 ok, 1 failure, 2 bad usage, 3 no or rejected API key.
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALL_RECORD_TYPES, RecordType } from '../../shared/domain.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { ReportKind, type DoctorReport, type ImportProgress, type VerifyReport } from '../../shared/contract.ts';
import { CliUsageError, parseRange } from './dates.ts';
import { CliFailure, cliFailure, withCore, type CliHost } from './host.ts';
import { importProgress } from './progress.ts';
import { statusText } from './status.ts';
import { registerDataCommands } from './data.ts';
import { registerConfigCommands } from './config.ts';

/** A command that ran but did not fully succeed sets this; main() returns it. */
let exitCode = 0;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export function parseTypes(list: string | undefined): RecordType[] {
  if (list === undefined) return [...ALL_RECORD_TYPES];
  const parts = list
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new CliUsageError(`--types: no record type in "${list}" (use one or more of ${ALL_RECORD_TYPES.join(', ')}, comma-separated)`);
  for (const p of parts) {
    if (!RecordType.safeParse(p).success) throw new CliUsageError(`--types: "${p}" is not one of ${ALL_RECORD_TYPES.join(', ')}`);
  }
  return parts as RecordType[];
}

export function buildProgram(): Command {
  const program = new Command('cost-desk')
    .description('Telnyx Cost Desk: what every call and SMS really cost')
    .option('--data-dir <dir>', "where the ledger lives (default: the app's data folder, or $COST_DESK_DATA_DIR)")
    .option('--demo', 'use the demo account (built-in simulator) and its separate ledger')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    .showHelpAfterError();

  const g = () => program.opts<{ dataDir?: string; demo?: boolean; json?: boolean }>();
  const run: Run = (fn) => withCore(g(), fn);

  registerIngestCommands(program, run);
  registerLedgerCommands(program, run);
  registerConfigCommands(program, run, out);
  registerDataCommands(program, run, out, (code) => (exitCode = code));
  return program;
}

type Run = <T>(fn: (host: CliHost) => Promise<T>) => Promise<T>;
const json = (program: Command) => program.opts<{ json?: boolean }>().json === true;

/** sync and import: what reads Telnyx into the ledger. */
function registerIngestCommands(program: Command, run: Run): void {
  const g = () => ({ json: json(program) });
  program
    .command('sync')
    .description('poll Telnyx stored webhook events into the ledger')
    .option('--watch', 'keep polling')
    .addOption(new Option('--interval <seconds>', 'seconds between polls with --watch').default('30').argParser(positiveInt))
    .action(async (o: { watch?: boolean; interval: number }) => {
      await run(async (host) => {
        do {
          const r = await host.call('sync.now', {});
          // The shape `sync --json` has always printed (the poll's counts, applied ones nested).
          const counts = { deliveries: r.events, newEvents: r.newEvents, rejected: r.rejected, applied: { applied: r.applied, waiting: r.waiting } };
          out(
            g().json
              ? JSON.stringify(counts)
              : `${new Date().toISOString()} sync: ${r.events} deliveries, ${r.newEvents} new events, ${r.applied} applied, ${r.waiting} waiting`,
          );
          if (r.rejected > 0) {
            process.stderr.write(
              `error: ${r.rejected} webhook deliveries could not be read after retries; the sync cursor did not move past them, so the next sync reads them again\n`,
            );
            exitCode = 1;
          }
          if (o.watch) await sleep(o.interval * 1000);
        } while (o.watch);
      });
    });

  program
    .command('import')
    .description('import detail records created in a date range (resumes an interrupted import of the same range)')
    .requiredOption('--from <date>', 'start: YYYY-MM-DD (UTC day) or ISO datetime')
    .option('--to <date>', 'end: YYYY-MM-DD (that day included) or ISO datetime (default: now)')
    .option('--types <list>', `comma-separated: ${ALL_RECORD_TYPES.join(',')}`)
    .action(async (o: { from: string; to?: string; types?: string }) => {
      const range = parseRange(o.from, o.to, Date.now());
      const recordTypes = parseTypes(o.types);
      await run(async (host) => {
        const final = await importWatched(host, range, recordTypes);
        out(
          g().json
            ? JSON.stringify(final)
            : `import ${final.importId} ${final.status.replace(/_/g, ' ')}: ${final.pagesDone} pages, ${final.records} records, ${final.rejected} rejected rows`,
        );
        if (final.status !== 'completed') exitCode = 1;
        if (final.error) process.stderr.write(`error: ${final.error} (\`cost-desk status\` lists them)\n`);
      });
    });
}

/** doctor, verify, status, reconcile, refetch, export: the account and the ledger. */
function registerLedgerCommands(program: Command, run: Run): void {
  const g = () => ({ json: json(program) });
  program
    .command('doctor')
    .description(
      'check the Telnyx account setup: key, detail records, stored webhook events, applications, connections, messaging profiles (exit 1 on any problem)',
    )
    .action(async () => {
      await run(async (host) => {
        // The same contract call as the app's own "Check my Telnyx setup".
        const report = await host.call('doctor.run', {});
        out(g().json ? JSON.stringify(report, null, 2) : doctorText(report));
        if (report.problems > 0) exitCode = 1;
      });
    });

  program
    .command('verify')
    .description("compare a month's exact totals with Telnyx's usage report, per product and currency (exit 1 on any difference)")
    .requiredOption('--month <YYYY-MM>', 'the UTC month')
    .option('--csv', "write the comparison as CSV (the reports' format)")
    .action(async (o: { month: string; csv?: boolean }) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) throw new CliUsageError(`--month must be YYYY-MM, not "${o.month}"`);
      await run(async (host) => {
        const report = await host.call('verify.month', { month: o.month, ...(o.csv ? { csv: true } : {}) });
        if (o.csv) process.stdout.write(report.csv ?? '');
        else out(g().json ? JSON.stringify(report, null, 2) : verifyText(report));
        if (!report.matches) exitCode = 1;
      });
    });

  program
    .command('status')
    .description('calls and messages per cost status and per number; jobs per status')
    .action(async () => {
      await run(async (host) => {
        const summary = await host.call('status.summary', {});
        out(g().json ? JSON.stringify(summary, null, 2) : statusText(summary));
      });
    });

  program
    .command('reconcile')
    .description('fetch exact costs for calls whose cost-fetch jobs are due')
    .option('--watch', 'keep running')
    .action(async (o: { watch?: boolean }) => {
      await run(async (host) => {
        do {
          const c = await host.call('jobs.processNow', {});
          out(
            g().json
              ? JSON.stringify(c)
              : `${new Date(c.at).toISOString()} reconcile: processed ${c.processed}, succeeded ${c.succeeded}, failed ${c.failed}, retried ${c.retried}, not billable ${c.notBillable}, ${c.requests} requests`,
          );
          if (o.watch) await sleep(5000);
        } while (o.watch);
      });
    });

  program
    .command('refetch')
    .description("fetch one call's exact cost now (local id, call_leg_id, call_session_id or call_control_id)")
    .argument('<call>', 'the call')
    .action(async (ref: string) => {
      await run(async (host) => {
        const { id } = await host.call('calls.find', { ref });
        const outcome = await host.call('calls.refetch', { id });
        // No key, or a key Telnyx refuses: said like every other command's (exit 3).
        if (outcome.kind === 'error' && (outcome.error.code === 'no_key' || outcome.error.code === 'auth')) throw cliFailure(outcome.error);
        out(JSON.stringify(outcome));
        if (outcome.kind === 'error') exitCode = 1;
      });
    });

  program
    .command('export')
    .description('write a CSV report')
    .argument('<report>', ReportKind.options.join(' | '))
    .requiredOption('--from <date>', 'start: YYYY-MM-DD or ISO datetime')
    .option('--to <date>', 'end (default: now)')
    .option('--number <e164>', 'only this number of ours')
    .option('--out <file>', 'write here instead of standard output')
    .option('--time-zone <iana>', "write times in this zone, e.g. UTC or Europe/Berlin (default: this machine's)")
    .action(async (reportArg: string, o: { from: string; to?: string; number?: string; out?: string; timeZone?: string }) => {
      const parsed = ReportKind.safeParse(reportArg);
      if (!parsed.success) throw new CliUsageError(`report must be one of ${ReportKind.options.join(', ')}, not "${reportArg}"`);
      const range = parseRange(o.from, o.to, Date.now());
      await run(async (host) => {
        // Without --out the CLI's export.run streams to standard output (host.ts).
        const r = await host.call('export.run', {
          report: parsed.data,
          range,
          ...(o.number ? { number: o.number } : {}),
          ...(o.timeZone ? { timeZone: o.timeZone } : {}),
          ...(o.out ? { out: resolve(o.out) } : {}),
        });
        if (o.out) process.stderr.write(`wrote ${r.rows} rows to ${o.out}\n`);
      });
    });
}

/** import.start, its progress from the core's events, import.cancel on Ctrl-C, import.wait for its end. */
async function importWatched(host: CliHost, range: { from: number; to: number }, recordTypes: RecordType[]): Promise<ImportProgress> {
  const progress = importProgress();
  let importId: number | null = null;
  const off = host.on('import.progress', (p) => {
    if (p.importId === importId && p.status === 'running') progress.update(p);
  });
  const onSignal = () => {
    if (importId !== null) host.call('import.cancel', { importId }).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  try {
    importId = (await host.call('import.start', { range, recordTypes })).importId;
    const final = await host.call('import.wait', { importId });
    progress.done(final);
    return final;
  } finally {
    off();
    process.off('SIGINT', onSignal);
  }
}

function verifyText(r: VerifyReport): string {
  const lines = ['product,currency,ledger,telnyx,difference,matches'];
  for (const row of r.rows) lines.push(`${row.product},${row.currency},${row.ledger},${row.telnyx},${row.difference},${row.matches ? 'yes' : 'NO'}`);
  const e = r.explain;
  lines.push(
    `${r.matches ? 'every total matches' : 'totals differ'}; in the ledger for ${r.month}: ${e.callsEstimated} calls still estimated, ${e.callsNoRecord} without a record, ` +
      `${e.callsOpen} open, ${e.callsPartial} partial, ${e.messagesWithoutCost} messages without an exact cost`,
  );
  return lines.join('\n');
}

function doctorText(report: DoctorReport): string {
  const mark = { ok: 'ok     ', warning: 'warning', problem: 'PROBLEM' } as const;
  const lines = report.checks.flatMap((c) => [
    `${mark[c.status]}  ${c.title}: ${c.detail}`,
    ...(c.meaning ? [`         means: ${c.meaning}`] : []),
    ...(c.fix ? [`         fix:   ${c.fix}`] : []),
  ]);
  lines.push(`${report.problems} problem(s), ${report.warnings} warning(s)`);
  return lines.join('\n');
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliUsageError(`expected a positive whole number, got "${v}"`);
  return n;
}

/** What went wrong, from a failed contract call or the factory's own failure (an AppFailure or any error). */
function failureOf(err: unknown): { code: string; message: string; action?: string } {
  if (err instanceof CliFailure) return err.error;
  const e = err as { code?: unknown; message?: unknown; action?: unknown };
  const code = typeof e?.code === 'string' && (ERROR_CODES as readonly string[]).includes(e.code) ? e.code : 'internal';
  const action = typeof e?.action === 'string' ? e.action : undefined;
  return { code, message: err instanceof Error ? err.message : String(err), ...(action ? { action } : {}) };
}

export async function main(argv: string[]): Promise<number> {
  exitCode = 0;
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliUsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    const f = failureOf(err);
    process.stderr.write(`error: ${f.message}${f.action ? `\n  ${f.action}` : ''}\n`);
    return f.code === 'no_key' || f.code === 'auth' ? 3 : 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('electron/cli/main.ts')) {
  // A reader that went away (EPIPE) is reported by the command that was writing; without a
  // listener it would be an uncaught exception instead.
  process.stdout.on('error', () => {});
  // Exit once everything written to standard output was handed over (a pipe may still hold it).
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  });
}
