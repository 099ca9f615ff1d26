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
// Exit codes: 0 ok, 1 failure, 2 bad usage, 3 no or rejected API key.
import { comparisonEstimator } from '../core/costs/comparison.ts';
import { Command, CommanderError, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { ALL_RECORD_TYPES, RecordType } from '../../shared/domain.ts';
import { ReportKind } from '../../shared/contract.ts';
import { createCore, envApiBaseUrl, type Core } from '../core/index.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { DoctorReport, VerifyReport } from '../../shared/contract.ts';
import { AppFailure } from '../core/api/types.ts';
import { runImport } from '../core/ingest/importer.ts';
import { clientRecordSource } from '../core/ingest/sources.ts';
import { toAppFailure } from '../core/runtime/errors.ts';
import { createLogger } from '../core/util/logger.ts';
import { systemClock } from '../core/util/clock.ts';
import { createNodeSecretStore } from '../secrets/index.ts';
import { resolveDataDir } from '../hosts/data-dir.ts';
import { join } from 'node:path';
import { damagedLedger, readOnlyLedger } from '../core/ledger/index.ts';
import { DEMO_LEDGER, LIVE_LEDGER } from '../core/runtime/session.ts';
import { CliUsageError, parseRange } from './dates.ts';
import { importProgress } from './progress.ts';
import { statusReport } from './status.ts';
import { stdoutSink } from './stdout.ts';
import { registerDataCommands } from './data.ts';

interface GlobalOptions {
  dataDir?: string;
  demo?: boolean;
  json?: boolean;
}

/** A command that ran but did not fully succeed sets this; main() returns it. */
let exitCode = 0;

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

async function withCore<T>(g: GlobalOptions, fn: (core: Core) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(g.dataDir);
  const logger = createLogger({ level: process.env.COST_DESK_LOG_LEVEL ?? 'warn' });
  const ledgerFile = join(dataDir, g.demo ? DEMO_LEDGER : LIVE_LEDGER);
  // A damaged or read-only ledger is named, with the way out, instead of SQLite's bare words.
  const explain = (err: unknown) => damagedLedger(err, ledgerFile) ?? readOnlyLedger(err, ledgerFile) ?? err;
  const core = await createCore({ dataDir, secrets: createNodeSecretStore(dataDir), host: 'cli', autoStart: false, logger, apiBaseUrl: envApiBaseUrl(process.env) }).catch((err: unknown) => {
    throw explain(err);
  });
  try {
    if (g.demo && core.runtime.mode !== 'demo') await core.runtime.switchTo('demo');
    if (!g.demo && core.runtime.mode === 'demo') {
      const key = await createNodeSecretStore(dataDir).get();
      await core.runtime.switchTo(key ? 'live' : 'unconfigured');
    }
    return await fn(core);
  } catch (err) {
    throw explain(err);
  } finally {
    await core.close();
  }
}

function needClient(core: Core) {
  const s = core.runtime.session();
  if (!s.client) throw core.runtime.noKey('Set TELNYX_API_KEY, save a key in the app\'s Settings, or pass --demo.');
  return s;
}

export function parseTypes(list: string | undefined): RecordType[] {
  if (list === undefined) return [...ALL_RECORD_TYPES];
  const parts = list.split(',').map((t) => t.trim()).filter(Boolean);
  if (parts.length === 0) throw new CliUsageError(`--types: no record type in "${list}" (use one or more of ${ALL_RECORD_TYPES.join(', ')}, comma-separated)`);
  for (const p of parts) {
    if (!RecordType.safeParse(p).success) throw new CliUsageError(`--types: "${p}" is not one of ${ALL_RECORD_TYPES.join(', ')}`);
  }
  return parts as RecordType[];
}

export function buildProgram(): Command {
  const program = new Command('cost-desk')
    .description('Telnyx Cost Desk: what every call and SMS really cost')
    .option('--data-dir <dir>', 'where the ledger lives (default: the app\'s data folder, or $COST_DESK_DATA_DIR)')
    .option('--demo', 'use the demo account (built-in simulator) and its separate ledger')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('sync')
    .description('poll Telnyx stored webhook events into the ledger')
    .option('--watch', 'keep polling')
    .addOption(new Option('--interval <seconds>', 'seconds between polls with --watch').default('30').argParser(positiveInt))
    .action(async (o: { watch?: boolean; interval: number }) => {
      await withCore(program.opts(), async (core) => {
        needClient(core);
        do {
          const r = await core.runtime.pollNow();
          out(program.opts().json ? JSON.stringify(r) : `${new Date().toISOString()} sync: ${r.deliveries} deliveries, ${r.newEvents} new events, ${r.applied.applied} applied, ${r.applied.waiting} waiting`);
          if (r.rejected > 0) {
            process.stderr.write(`error: ${r.rejected} webhook deliveries could not be read after retries; the sync cursor did not move past them, so the next sync reads them again\n`);
            exitCode = 1;
          }
          if (o.watch) await systemClock.sleep(o.interval * 1000);
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
      await withCore(program.opts(), async (core) => {
        const s = needClient(core);
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.once('SIGINT', onSignal);
        const progress = importProgress();
        try {
          const final = await runImport({
            ledger: s.ledger,
            source: clientRecordSource(s.client!),
            clock: systemClock,
            from: range.from,
            to: range.to,
            recordTypes,
            owner: core.runtime.owner,
            signal: controller.signal,
            onProgress: (p) => progress.update(p),
            onCallsUpdated: (ids) => s.reconciler.onCostsApplied(ids),
            compare: comparisonEstimator(s.settings().rates),
          });
          progress.done(final);
          out(program.opts().json ? JSON.stringify(final) : `import ${final.importId} ${final.status.replace(/_/g, ' ')}: ${final.pagesDone} pages, ${final.records} records, ${final.rejected} rejected rows`);
          if (final.status !== 'completed') exitCode = 1;
          if (final.error) process.stderr.write(`error: ${final.error} (\`cost-desk status\` lists them)\n`);
        } finally {
          process.off('SIGINT', onSignal);
        }
      });
    });

  program
    .command('doctor')
    .description('check the Telnyx account setup: key, detail records, stored webhook events, applications, messaging profiles (exit 1 on any problem)')
    .action(async () => {
      await withCore(program.opts(), async (core) => {
        // Through the contract, like the app's own "Check my Telnyx setup".
        const r = await dispatch(core.api, 'doctor.run', {});
        if (!r.ok) throw new AppFailure(r.error.code, r.error.message, r.error.action);
        const report = r.value as DoctorReport;
        out(program.opts().json ? JSON.stringify(report, null, 2) : doctorText(report));
        if (report.problems > 0) exitCode = 1;
      });
    });

  program
    .command('verify')
    .description("compare a month's exact totals with Telnyx's usage report, per product and currency (exit 1 on any difference)")
    .requiredOption('--month <YYYY-MM>', 'the UTC month')
    .option('--csv', 'write the comparison as CSV (the reports\' format)')
    .action(async (o: { month: string; csv?: boolean }) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) throw new CliUsageError(`--month must be YYYY-MM, not "${o.month}"`);
      await withCore(program.opts(), async (core) => {
        const r = await dispatch(core.api, 'verify.month', { month: o.month, ...(o.csv ? { csv: true } : {}) });
        if (!r.ok) throw new AppFailure(r.error.code, r.error.message, r.error.action);
        const report = r.value as VerifyReport;
        if (o.csv) process.stdout.write(report.csv ?? '');
        else out(program.opts().json ? JSON.stringify(report, null, 2) : verifyText(report));
        if (!report.matches) exitCode = 1;
      });
    });

  program
    .command('status')
    .description('calls and messages per cost status and per number; jobs per status')
    .action(async () => {
      await withCore(program.opts(), async (core) => {
        const report = statusReport(core.runtime.session().ledger.db);
        out(program.opts().json ? JSON.stringify(report, null, 2) : report.text);
      });
    });

  program
    .command('reconcile')
    .description('fetch exact costs for calls whose cost-fetch jobs are due')
    .option('--watch', 'keep running')
    .action(async (o: { watch?: boolean }) => {
      await withCore(program.opts(), async (core) => {
        const s = needClient(core);
        do {
          const c = await s.reconciler.processDue();
          out(program.opts().json ? JSON.stringify(c) : `${new Date(c.at).toISOString()} reconcile: processed ${c.processed}, succeeded ${c.succeeded}, failed ${c.failed}, retried ${c.retried}, not billable ${c.notBillable}, ${c.requests} requests`);
          if (o.watch) await systemClock.sleep(5000);
        } while (o.watch);
      });
    });

  program
    .command('refetch')
    .description('fetch one call\'s exact cost now (local id, call_leg_id, call_session_id or call_control_id)')
    .argument('<call>', 'the call')
    .action(async (id: string) => {
      await withCore(program.opts(), async (core) => {
        const s = needClient(core);
        const { callViews } = await import('../core/views/calls.ts');
        const callId = callViews(s.ledger.db).resolve(id);
        if (callId === undefined) throw new AppFailure('not_found', `no call with id ${id}`);
        const outcome = await s.reconciler.refetchCall(callId);
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
    .option('--time-zone <iana>', 'write times in this zone, e.g. UTC or Europe/Berlin (default: this machine\'s)')
    .action(async (reportArg: string, o: { from: string; to?: string; number?: string; out?: string; timeZone?: string }) => {
      const parsed = ReportKind.safeParse(reportArg);
      if (!parsed.success) throw new CliUsageError(`report must be one of ${ReportKind.options.join(', ')}, not "${reportArg}"`);
      const report = parsed.data;
      const range = parseRange(o.from, o.to, Date.now());
      await withCore(program.opts(), async (core) => {
        // exportReport ends its target and waits until it finished.
        const target = o.out ? createWriteStream(o.out) : stdoutSink();
        const { rows } = await core.exportReport({ report, range, ...(o.number ? { number: o.number } : {}), ...(o.timeZone ? { timeZone: o.timeZone } : {}) }, target);
        if (o.out) process.stderr.write(`wrote ${rows} rows to ${o.out}\n`);
      });
    });

  registerDataCommands(program, (fn) => withCore(program.opts(), fn), out, (code) => (exitCode = code));
  return program;
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
    const f = toAppFailure(err);
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
