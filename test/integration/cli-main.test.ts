// The command-line host as cron runs it: a real child process each time (real stdio, real
// exit codes 0 ok, 1 failure, 2 bad usage, 3 no or rejected API key), with a message a
// person can act on.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { updateSettings } from '../../electron/core/settings/settings.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { parseDateArg, parseRange, CliUsageError } from '../../electron/cli/dates.ts';
import { runCli } from '../helpers/cli.ts';
import { simulatorForSuite, testClient } from '../helpers/simulator.ts';
import { HOST_ENCRYPTED_FILES, createHostEncryptedSecretStore } from '../../electron/secrets/host-encrypted.ts';
import { tempDir } from '../helpers/temp.ts';
import { assertLedgerMatchesTruth, importWith } from '../helpers/ingest.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpFile, openTestLedger } from '../helpers/ledger.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';

/** A data dir whose ledger points the Telnyx client at the simulator. */
function dataDirFor(sim: RunningSimulator): string {
  const dir = tempDir();
  const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
  updateSettings(ledger, { apiBaseUrl: sim.baseUrl }, Date.now());
  ledger.close();
  return dir;
}

describe('cli', () => {
  const sim = simulatorForSuite({ seed: 'cli', calls: 300, messages: 100 });

  // Each case is its own process: run them side by side.
  describe('bad usage exits 2 with a clear message', { concurrency: 2 }, () => {
    const cases: Array<{ argv: string[]; message: RegExp }> = [
      { argv: ['frobnicate'], message: /unknown command 'frobnicate'/ },
      { argv: ['import'], message: /required option '--from <date>' not specified/ },
      { argv: ['import', '--from', '2026-01-10', '--to', '2026-01-02'], message: /--from \(2026-01-10T00:00:00.000Z\) must be before --to/ },
      { argv: ['import', '--from', 'last tuesday'], message: /--from: cannot read "last tuesday" as a date/ },
      { argv: ['import', '--from', '2026-02-30'], message: /--from: 2026-02-30 is not a real date/ },
      { argv: ['import', '--from', '2026-01-01', '--to', '2026-13-01'], message: /--to: 2026-13-01 is not a real date/ },
      {
        argv: ['import', '--from', '2026-01-01', '--types', 'call-control,voice'],
        message: /--types: "voice" is not one of call-control, sip-trunking, webrtc, messaging/,
      },
      { argv: ['import', '--from', '2099-01-01'], message: /--from .* must be before --to|--from is in the future/ },
      // A datetime on a day that does not exist is refused like the day itself (not moved to March 2).
      { argv: ['import', '--from', '2026-02-30T00:00:00Z'], message: /--from: 2026-02-30T00:00:00Z is not a real date/ },
      { argv: ['export', 'calls', '--from', '2026-02-29T10:00'], message: /--from: 2026-02-29T10:00 is not a real date/ },
      // Out of any sane span: refused up front, never sent to Telnyx.
      {
        argv: ['import', '--from', '2026-01-01', '--to', '9999-12-31'],
        message: /^error: --to 9999-12-31: the range ends more than a year from now: check the end date\n$/,
      },
      {
        argv: ['import', '--from', '1970-01-01', '--to', '2026-01-01'],
        message: /^error: --from 1970-01-01: the range starts before 2010-01-01: Telnyx has no records that old\n$/,
      },
      {
        argv: ['import', '--from', '2026-01-01', '--types', ',,,'],
        message: /--types: no record type in ",,," \(use one or more of call-control, sip-trunking, webrtc, messaging/,
      },
      { argv: ['import', '--from', '2026-01-01', '--types', ''], message: /--types: no record type in ""/ },
      { argv: ['sync', '--watch', '--interval', '0'], message: /expected a positive whole number, got "0"/ },
      { argv: ['export', 'invoices', '--from', '2026-01-01'], message: /report must be one of calls, messages, summary, history, not "invoices"/ },
    ];
    for (const c of cases) {
      it(c.argv.join(' '), async () => {
        const dir = tempDir();
        const r = await runCli([...c.argv, '--data-dir', dir], { TELNYX_API_KEY: undefined });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, c.message);
        assert.equal(r.stdout, '');
      });
    }
  });

  it('dates: a day is a whole UTC day, datetimes are taken as given', () => {
    assert.equal(parseDateArg('--from', '2026-01-15', false), Date.UTC(2026, 0, 15));
    assert.equal(parseDateArg('--to', '2026-01-15', true), Date.UTC(2026, 0, 16));
    assert.equal(parseDateArg('--from', '2026-01-15T08:00:00Z', false), Date.UTC(2026, 0, 15, 8));
    assert.equal(parseDateArg('--from', '2026-01-15T08:00:00+02:00', false), Date.UTC(2026, 0, 15, 6));
    assert.equal(parseDateArg('--from', '2026-01-15T08:00', false), Date.UTC(2026, 0, 15, 8), 'no zone: UTC');
    assert.equal(parseDateArg('--from', '2024-02-29', false), Date.UTC(2024, 1, 29));
    assert.throws(() => parseDateArg('--from', '2025-02-29', false), CliUsageError);
    assert.throws(() => parseDateArg('--from', '2026-01-15T25:00:00Z', false), CliUsageError);
    assert.deepEqual(parseRange('2026-01-01', '2026-01-01', Date.UTC(2026, 5, 1)), { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) });
    assert.deepEqual(parseRange('2026-01-01', undefined, Date.UTC(2026, 5, 1)), { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 5, 1) });
    assert.throws(() => parseRange('2026-07-01', undefined, Date.UTC(2026, 5, 1)), CliUsageError);
  });

  it('no API key exits 3 and says how to set one', async () => {
    const dir = tempDir();
    for (const argv of [['import', '--from', '2026-01-01'], ['sync'], ['reconcile']]) {
      const r = await runCli([...argv, '--data-dir', dir], { TELNYX_API_KEY: undefined });
      assert.equal(r.code, 3, `${argv[0]}: ${r.stderr}`);
      assert.match(r.stderr, /No Telnyx API key is set/);
      assert.match(r.stderr, /TELNYX_API_KEY/);
    }
  });

  it('a key Telnyx rejects exits 3, never prints the key, and stores nothing', async () => {
    const dir = dataDirFor(sim);
    const wrong = 'KEY_definitely_not_the_right_one_0123456789';
    const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-01-14', '--data-dir', dir], { TELNYX_API_KEY: wrong });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /Telnyx rejected the API key \(401, code 10009\)/);
    assert.doesNotMatch(r.stderr + r.stdout, new RegExp(wrong));
    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    assert.equal(ledger.records.count(), 0);
    assert.equal(ledger.imports.recent(1)[0]?.status, 'failed');
    ledger.close();

    const sync = await runCli(['sync', '--data-dir', dir], { TELNYX_API_KEY: wrong });
    assert.equal(sync.code, 3, sync.stderr);
    assert.match(sync.stderr, /rejected the API key/);
  });

  it('imports a range and reports status, exit 0', async () => {
    const dir = dataDirFor(sim);
    const env = { TELNYX_API_KEY: sim.apiKey };
    const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^import 1 completed: \d+ pages, \d+ records, 0 rejected rows\n$/);
    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    assertLedgerMatchesTruth(ledger, sim.account, { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 2) });
    const calls = ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get() as number;
    ledger.close();

    const status = await runCli(['status', '--data-dir', dir], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`calls: +exact ${calls}`));
    assert.match(status.stdout, /number +currency +calls/);
    for (const n of sim.account.numbers) assert.match(status.stdout, new RegExp(`\\${n.e164} +${n.currency}`));

    const json = await runCli(['status', '--json', '--data-dir', dir], env);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.stdout) as { calls: { status: string; n: number }[]; numbers: { currency: string }[] };
    assert.deepEqual(parsed.calls, [{ status: 'exact', n: calls }]);
    assert.deepEqual([...new Set(parsed.numbers.map((n) => n.currency))].sort(), ['EUR', 'USD']);

    // The same import again resumes nothing (it completed) and changes nothing.
    const again = await runCli(['import', '--from', '2026-01-01', '--to', '2026-02-01', '--json', '--data-dir', dir], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { status: string }).status, 'completed');
  });

  it('import commits its pages on the write worker (the info log says so) and leaves the ledger a main-thread import of the range leaves', async () => {
    const dir = dataDirFor(sim);
    const env = { TELNYX_API_KEY: sim.apiKey };
    // Pages only (a month would otherwise come from a batch report, whose rows commit on the main thread).
    assert.equal((await runCli(['config', 'set', 'reportImportMinDays', '0', '--data-dir', dir], env)).code, 0);
    const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], { ...env, COST_DESK_LOG_LEVEL: 'info' });
    assert.equal(r.code, 0, r.stderr);
    const logged = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; writer?: string });
    assert.deepEqual(
      logged.filter((l) => l.writer).map((l) => l.writer),
      ['write worker'],
      r.stderr,
    );
    assert.deepEqual(
      logged.filter((l) => l.level >= 40),
      [],
      'no fallback warning',
    );
    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    const done = ledger.imports.recent(1)[0]!;
    ledger.close();
    // The same range on the main thread, with the comparison rates the CLI's core used (the defaults).
    const reference = openTestLedger();
    const main = await importWith({
      ledger: reference,
      client: testClient(sim),
      from: done.fromTs,
      to: done.toTs,
      types: done.recordTypes,
      compare: comparisonEstimator(DEFAULT_SETTINGS.rates),
    });
    assert.equal(main.status, 'completed');
    reference.close();
    const same = { excludeTables: [...BOOKKEEPING_TABLES, 'settings'], excludeColumns: WRITE_TIME_COLUMNS };
    const cli = dumpFile(join(dir, LIVE_LEDGER), same);
    assert.ok(cli.calls!.length > 200, `${cli.calls!.length} calls compared`);
    assertSameLedger(cli, dumpFile(reference.file, same), 'CLI import (write worker) vs main thread');
  });

  it('rows unreadable after retries: import exits 1 "completed with problems", status shows them; the next import completes', async () => {
    const dir = dataDirFor(sim);
    const env = { TELNYX_API_KEY: sim.apiKey };
    const argv = ['import', '--from', '2026-01-01', '--to', '2026-02-01', '--types', 'messaging', '--data-dir', dir];
    // A month would be read from a batch report, whose CSV this fault does not touch: this test
    // is about pages that cannot be read, so reports are off.
    assert.equal((await runCli(['config', 'set', 'reportImportMinDays', '0', '--data-dir', dir], env)).code, 0);
    sim.setFaults({ kind: 'renamed' });
    let r;
    try {
      r = await runCli(argv, env);
    } finally {
      sim.clearFaults();
    }
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^import 1 completed with problems: \d+ pages, 0 records, (\d+) rejected rows\n$/);
    const rows = Number(/(\d+) rejected rows/.exec(r.stdout)![1]);
    assert.ok(rows >= 100);
    assert.match(r.stderr, new RegExp(`^error: ${rows} rows could not be read after retries; they are kept as received`, 'm'));
    const status = await runCli(['status', '--data-dir', dir], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`problem: +import 1 could not read ${rows} rows after retries`));
    const again = await runCli(argv, env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^import 1 completed: \d+ pages, \d+ records, 0 rejected rows\n$/);
    const after = await runCli(['status', '--data-dir', dir], env);
    assert.doesNotMatch(after.stdout, /problem:/);
  });

  it('a tampered key file is reported as such, with the file, not as "no key"', async () => {
    const dir = tempDir();
    await createHostEncryptedSecretStore({ dir }).set('KEY_stored_in_the_data_folder_0123');
    const file = join(dir, HOST_ENCRYPTED_FILES.cipher);
    const blob = readFileSync(file);
    blob[blob.length - 1]! ^= 0xff;
    writeFileSync(file, blob);
    const r = await runCli(['sync', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(
      r.stderr,
      `error: The Telnyx API key cannot be used: the stored API key in ${file} failed its integrity check (the file or its key file was modified or corrupted).\n  Clear the API key in Settings and enter it again.\n`,
    );
  });

  it('a key with a line break in TELNYX_API_KEY is named as such', async () => {
    const r = await runCli(['import', '--from', '2026-01-01', '--data-dir', tempDir()], { TELNYX_API_KEY: 'KEY0123456789\nabcdef' });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(
      r.stderr,
      'error: The Telnyx API key cannot be used: TELNYX_API_KEY has a space or line break at character 14.\n  Set TELNYX_API_KEY to the key alone, on one line (Telnyx Portal > API Keys).\n',
    );
  });

  it('a damaged ledger is named, with the way out', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LIVE_LEDGER), 'this is not a SQLite database, it was overwritten');
    for (const argv of [['status'], ['export', 'calls', '--from', '2026-01-01']]) {
      const r = await runCli([...argv, '--data-dir', dir]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        new RegExp(
          `^error: The ledger ${join(dir, LIVE_LEDGER).replace(/[.]/g, '\\.')} is damaged \\(file is not a database\\)\\. Keep a copy of it, then move it away: the next run starts a new ledger, and importing your date ranges again \\(cost-desk import --from \\.\\.\\. --to \\.\\.\\.\\) rebuilds it from Telnyx\\.\\n$`,
        ),
      );
    }
  });

  it('--data-dir naming a file: exit 1 with what is wrong and how to fix it', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await runCli(['status', '--data-dir', file]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: The data folder ${file} is a file, not a folder.\n  Point --data-dir (or COST_DESK_DATA_DIR) at a folder; it is created if missing.\n`,
    );
  });

  it('the data folder is made 0700 and the ledger files 0600, whoever made them', async () => {
    const dir = join(tempDir(), 'made-by-someone-else');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const r = await runCli(['status', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir).filter((f) => f.endsWith('.db') || f.endsWith('.db-wal') || f.endsWith('.db-shm'));
    assert.ok(files.includes(LIVE_LEDGER), files.join(', '));
    for (const f of files) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  });

  it('status works without a key (the ledger is local)', async () => {
    const r = await runCli(['status', '--data-dir', tempDir()], { TELNYX_API_KEY: undefined });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /calls: +none/);
  });

  describe('every command as cron runs it', () => {
    let dir: string;
    const env = () => ({ TELNYX_API_KEY: sim.apiKey });
    before(async () => {
      dir = dataDirFor(sim);
      const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env());
      assert.equal(r.code, 0, r.stderr);
    });
    const callCount = () => {
      const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
      try {
        return ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get() as number;
      } finally {
        ledger.close();
      }
    };

    it('export to a pipe: the whole CSV, exit 0, nothing on stderr', async () => {
      const r = await runCli(['export', 'calls', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env());
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const lines = r.stdout.split('\r\n');
      assert.match(lines[0]!, /^Row,Ledger id,Started,/);
      assert.equal(lines.at(-1), '', 'the last record ends with CRLF');
      // One Call row per call, then the Total rows (one per currency).
      const calls = lines.filter((l) => l.startsWith('Call,')).length;
      assert.equal(calls, callCount());
      assert.ok(lines.slice(1 + calls, -1).every((l) => l.startsWith('Total,')) && lines.length - 2 > calls);
    });

    it('export redirected to a file: the same bytes, exit 0', async () => {
      const piped = await runCli(['export', 'summary', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env());
      const filed = await runCli(['export', 'summary', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env(), { stdout: 'file' });
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal(filed.code, 0, filed.stderr);
      assert.ok(filed.stdout.length > 100);
      assert.equal(filed.stdout, piped.stdout);
    });

    it('an empty report is a header and exit 0, through a pipe and a file', async () => {
      const empty = tempDir();
      for (const stdout of ['pipe', 'file'] as const) {
        const r = await runCli(['export', 'messages', '--from', '2026-01-01', '--data-dir', empty], { TELNYX_API_KEY: undefined }, { stdout });
        assert.equal(r.code, 0, `${stdout}: ${r.stderr}`);
        assert.match(r.stdout, /^Row,Message id,[^\n]*\r\n$/);
      }
    });

    it('export --out writes the file and says how many rows', async () => {
      const file = join(tempDir(), 'calls.csv');
      const r = await runCli(['export', 'calls', '--from', '2026-01-01', '--to', '2026-02-01', '--out', file, '--data-dir', dir], env());
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `wrote ${callCount()} rows to ${file}\n`);
      assert.equal(
        readFileSync(file, 'utf8')
          .split('\r\n')
          .filter((l) => l.startsWith('Call,')).length,
        callCount(),
      );
    });

    it('a reader that stops early (| head -c 10) ends the export with exit 1 and says why', async () => {
      // The calls report (~100 KB) is larger than a pipe's buffer (64 KB): the writer must
      // still be writing when the reader goes away.
      const r = await runCli(['export', 'calls', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env(), { closeStdoutAfter: 10 });
      assert.equal(r.signal, null, 'no crash by signal');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: standard output was closed after \d+ bytes, before the report was complete \(EPIPE/);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
      assert.equal(r.stdout, 'Row,Ledger');
    });

    it('sync polls once and prints its counts', async () => {
      const r = await runCli(['sync', '--data-dir', dir], env());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\S+ sync: \d+ deliveries, \d+ new events, \d+ applied, \d+ waiting\n$/);
      const json = await runCli(['sync', '--json', '--data-dir', dir], env());
      assert.equal(json.code, 0, json.stderr);
      assert.equal(typeof (JSON.parse(json.stdout) as { deliveries: number }).deliveries, 'number');
    });

    it('reconcile runs due jobs and prints its counts', async () => {
      const r = await runCli(['reconcile', '--data-dir', dir], env());
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\S+ reconcile: processed \d+, succeeded \d+, failed \d+, retried \d+, not billable \d+, \d+ requests\n$/);
    });

    it('refetch: a known call exits 0 with its outcome, an unknown one exits 1', async () => {
      const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
      const leg = ledger.db.prepare("SELECT call_leg_id FROM calls WHERE cost_status = 'exact' AND call_leg_id IS NOT NULL LIMIT 1").pluck().get() as string;
      ledger.close();
      const r = await runCli(['refetch', leg, '--data-dir', dir], env());
      assert.equal(r.code, 0, r.stderr);
      assert.notEqual((JSON.parse(r.stdout) as { kind: string }).kind, 'error');
      const unknown = await runCli(['refetch', 'no-such-call', '--data-dir', dir], env());
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no call with id no-such-call/);
    });

    it('--help prints usage on stdout and exits 0', async () => {
      const r = await runCli(['--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Usage: cost-desk/);
      for (const c of ['sync', 'import', 'status', 'reconcile', 'refetch', 'export']) assert.match(r.stdout, new RegExp(`\\n  ${c}\\b`));
    });
  });
});
