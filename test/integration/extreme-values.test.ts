// One extreme value must not block everything. The simulator's own records pass through a
// small loopback proxy that changes three costs on call-control page 1 (the simulator has no
// way to send them): one past what an int64 of nano-units holds ("9223372036.854775808"), and
// two at the very limit ("9223372036.854775807") on one number, whose sum passes int64.
// The out-of-range row is set aside alone (kept, counted, shown); every other row is stored;
// status and the summary report still answer, with the exact sum for that number.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { updateSettings } from '../../electron/core/settings/settings.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { formatMoney } from '../../shared/money.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

const TOO_BIG = '9223372036.854775808';
const LIMIT = '9223372036.854775807';

interface Changed {
  tooBig: string | null;
  limit: string[];
  number: string | null;
}

/** Forwards to the simulator; rewrites call-control page 1 as described above. */
function startProxy(sim: RunningSimulator, changed: Changed): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(`${sim.url}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } });
      let body = await upstream.text();
      const url = new URL(req.url ?? '/', 'http://x');
      if (
        upstream.ok &&
        url.pathname === '/v2/detail_records' &&
        url.searchParams.get('filter[record_type]') === 'call-control' &&
        url.searchParams.get('page[number]') === '1'
      ) {
        const page = JSON.parse(body) as { data: Record<string, unknown>[] };
        const ours = (r: Record<string, unknown>) => String(r.direction === 'outbound' ? r.cli : r.cld);
        const [first, ...rest] = page.data;
        first!.cost = TOO_BIG;
        changed.tooBig = String(first!.id);
        // Two more on one number (not the first row's), in the same currency.
        const pair = rest.find((r, k) => rest.some((s, j) => j > k && ours(s) === ours(r) && s.currency === r.currency && ours(r) !== ours(first!)))!;
        const second = rest.find((s) => s !== pair && ours(s) === ours(pair) && s.currency === pair.currency)!;
        for (const r of [pair, second]) r.cost = LIMIT;
        changed.limit = [String(pair.id), String(second.id)];
        changed.number = ours(pair);
        body = JSON.stringify(page);
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(body);
    })().catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}/v2` });
    }),
  );
}

describe('extreme values', () => {
  /** Detail records an import straight from the simulator stores. */
  const cleanRecordCount = async () => {
    const clean = tempDir();
    const l = openLedgerFile(join(clean, LIVE_LEDGER));
    updateSettings(l, { apiBaseUrl: sim.baseUrl }, Date.now());
    l.close();
    const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', clean], { TELNYX_API_KEY: sim.apiKey });
    assert.equal(r.code, 0, r.stderr);
    const again = openLedgerFile(join(clean, LIVE_LEDGER));
    try {
      return again.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get() as number;
    } finally {
      again.close();
    }
  };
  let sim: RunningSimulator;
  let proxy: { server: Server; baseUrl: string };
  const changed: Changed = { tooBig: null, limit: [], number: null };
  let dir: string;
  before(async () => {
    sim = await startTestSimulator({ seed: 'extreme', calls: 200, messages: 20, sipTrunkingRate: 0 });
    proxy = await startProxy(sim, changed);
    dir = tempDir();
    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    updateSettings(ledger, { apiBaseUrl: proxy.baseUrl }, Date.now());
    ledger.close();
  });
  after(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));

  it('an out-of-range cost is set aside alone, a sum past int64 is reported exactly, and status and the summary report still answer', async () => {
    const env = { TELNYX_API_KEY: sim.apiKey };
    const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^import 1 completed with problems: \d+ pages, \d+ records, 1 rejected rows\n$/);
    assert.ok(changed.tooBig && changed.number);

    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    const problems = ledger.imports.problems(1, 10, 0);
    assert.equal(problems.total, 1);
    assert.match(problems.rows[0]!.reason, /cost: .*out of range/);
    assert.ok(problems.rows[0]!.raw.includes(TOO_BIG), 'kept as received');
    const stored = ledger.db.prepare('SELECT COUNT(*) FROM detail_records').pluck().get() as number;
    assert.equal(stored, (await cleanRecordCount()) - 1, 'every other row is stored');
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM detail_records WHERE record_id = ?').pluck().get(changed.tooBig), 0);
    const atLimit = ledger.db
      .prepare(`SELECT exact_nanos FROM calls c JOIN detail_records d ON d.call_id = c.id WHERE d.record_id IN (?, ?)`)
      .safeIntegers(true)
      .pluck()
      .all(...changed.limit) as bigint[];
    assert.deepEqual(atLimit, [2n ** 63n - 1n, 2n ** 63n - 1n]);
    // What the number's calls really add up to, summed here in a bigint.
    const want = (
      ledger.db
        .prepare(`SELECT exact_nanos FROM calls WHERE our_number = ? AND currency IS NOT NULL`)
        .safeIntegers(true)
        .pluck()
        .all(changed.number) as bigint[]
    ).reduce((s, v) => s + v, 0n);
    ledger.close();
    assert.ok(want > 2n ** 63n);

    const status = await runCli(['status', '--data-dir', dir], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`\\${changed.number} .* ${formatMoney(want).replace('.', '\\.')}\\n`));
    assert.match(status.stdout, /problem: +import 1 could not read 1 rows/);

    const summary = await runCli(['export', 'summary', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env);
    assert.equal(summary.code, 0, summary.stderr);
    const rows = parse(summary.stdout, { columns: true }) as Record<string, string>[];
    const row = rows.find((x) => x.Row === 'Number' && x.Number!.endsWith(changed.number!.slice(1)))!;
    assert.ok(row, summary.stdout);
    assert.equal(toNanos(row.Exact!), want);

    const calls = await runCli(['export', 'calls', '--from', '2026-01-01', '--to', '2026-02-01', '--data-dir', dir], env);
    assert.equal(calls.code, 0, calls.stderr);
    assert.ok(calls.stdout.includes(LIMIT));
  });
});

function toNanos(text: string): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(whole!) * 10n ** 9n + BigInt(frac.padEnd(9, '0'));
}
