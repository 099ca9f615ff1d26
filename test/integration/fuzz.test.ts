// Fuzzing the two doors a person (or a script) can push anything through: the browser host's
// HTTP API, over real HTTP in front of the real core, and the CLI's arguments, in this
// process for the bulk (the parsers the CLI runs) and as real child processes for a sample.
// Every input gets a correct answer or a clear error: no crash, no 500, no "internal" error,
// and a rejected call changes nothing in the ledger.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { METHODS } from '../../shared/contract.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { createHostEncryptedSecretStore } from '../../electron/secrets/index.ts';
import { startWebHost, type WebHost } from '../../electron/web/server.ts';
import { CliUsageError, parseDateArg, parseRange } from '../../electron/cli/dates.ts';
import { parseTypes, positiveInt } from '../../electron/cli/main.ts';
import { ALL_RECORD_TYPES, RecordType } from '../../shared/domain.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

export const figures = { http: 0, httpRejected: 0, cliInProcess: 0, cliChildren: 0 };

// Methods that would leave the machine (a key check against Telnyx) or start the demo's
// simulator: covered by their own tests, not sprayed with random input here.
const SKIP = new Set(['settings.setApiKey', 'demo.start', 'demo.stop']);
const FUZZED = METHODS.filter((m) => !SKIP.has(m));

describe('fuzz: the browser host API over HTTP', () => {
  let root: string;
  let core: Core;
  let host: WebHost;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'cost-desk-fuzz-'));
    const dataDir = join(root, 'data');
    core = await createCore({ dataDir, secrets: createHostEncryptedSecretStore({ dir: dataDir }), host: 'web', autoStart: false, logger: silentLogger() });
    host = await startWebHost({ core: { api: core.api, events: core.events, exportReport: core.exportReport }, rendererDir: root, heartbeatMs: 1000 });
  });
  after(async () => {
    await host.close();
    await core.close();
    rmSync(root, { recursive: true, force: true });
  });

  const post = (path: string, body: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path,
          headers: { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json', 'x-cost-desk-token': host.token },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  /** The core's own connection counts every row it changes. */
  const changes = () => Number(core.runtime.session().ledger.db.prepare('SELECT total_changes()').pluck().get());

  // Near-valid inputs find more than noise: the fields the contract knows, with hostile values.
  const value = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(-1, 0, 1, 2 ** 31, 2 ** 53, 8.64e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 1e308),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      '\n',
      'null',
      '2026-02-30',
      '9999-12-31',
      '+15550001',
      'call-control',
      'calls',
      'desc',
      '0.015',
      '1e400',
      '-0',
      '9223372036.854775808',
    ),
  );
  const knownKeys = [
    'range',
    'from',
    'to',
    'recordTypes',
    'id',
    'importId',
    'offset',
    'limit',
    'status',
    'number',
    'search',
    'sort',
    'dir',
    'report',
    'badge',
    'apiBaseUrl',
    'rates',
    'pollingEnabled',
    'pollingIntervalSec',
    'retryScheduleMs',
    'settleWindowMs',
  ];
  const input = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.dictionary(fc.constantFrom(...knownKeys), value, { maxKeys: 5 }),
    fc.record({ range: fc.record({ from: value, to: value }), recordTypes: fc.array(value, { maxLength: 4 }) }, { requiredKeys: [] }),
  );

  it('every method answers any JSON input with a result or a clear error; a rejected call changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FUZZED), input, async (method, body) => {
        const before = changes();
        const r = await post(`/api/call/${method}`, JSON.stringify(body) ?? 'null');
        figures.http++;
        assert.notEqual(r.status, 500, r.body);
        assert.ok(r.status === 200 || r.status === 400 || r.status === 413, `${method}: HTTP ${r.status}`);
        const reply = JSON.parse(r.body) as { ok: boolean; error?: { code: string; message: string } };
        assert.equal(typeof reply.ok, 'boolean');
        if (!reply.ok) {
          figures.httpRejected++;
          assert.notEqual(reply.error?.code, 'internal', `${method} ${JSON.stringify(body)}: ${reply.error?.message}`);
          assert.ok((reply.error?.message ?? '').length > 0);
          assert.equal(changes(), before, `${method}: a rejected call changed the ledger`);
        }
      }),
      { numRuns: 1500, seed: 1104 },
    );
  });

  it('any bytes as a body, and any method name, get a clear refusal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 200 }), async (name, bytes) => {
        const before = changes();
        const r = await post(`/api/call/${encodeURIComponent(name)}`, Buffer.from(bytes).toString('latin1'));
        figures.http++;
        assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `HTTP ${r.status}`);
        const reply = JSON.parse(r.body) as { ok: boolean; error?: { code: string } };
        if (!reply.ok) {
          figures.httpRejected++;
          assert.notEqual(reply.error?.code, 'internal');
          assert.equal(changes(), before);
        }
      }),
      { numRuns: 500, seed: 1105 },
    );
  });

  it('import.start refuses a range out of the sane span (as the CLI does) without touching the ledger', async () => {
    const before = changes();
    for (const range of [
      { from: Date.UTC(2026, 0, 1), to: Date.UTC(9999, 11, 31) },
      { from: 0, to: Date.UTC(2026, 0, 1) },
    ]) {
      const r = JSON.parse((await post('/api/call/import.start', JSON.stringify({ range, recordTypes: ['messaging'] }))).body) as {
        ok: boolean;
        error: { code: string; message: string };
      };
      assert.equal(r.ok, false);
      assert.equal(r.error.code, 'invalid_input');
      assert.match(r.error.message, /the range (starts before 2010-01-01|ends more than a year from now)/);
    }
    assert.equal(changes(), before);
  });
});

describe('fuzz: the CLI arguments', () => {
  const NOW = Date.UTC(2026, 11, 1);
  const dateText = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc
      .tuple(fc.integer({ min: 0, max: 12000 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc
      .tuple(
        fc.integer({ min: 1990, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 25 }),
        fc.constantFrom('Z', '+02:00', '-05:30', ''),
      )
      .map(([y, m, d, h, z]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00${z}`),
  );

  it('dates and ranges: a real range inside the sane span, or a CliUsageError (exit 2), never anything else', () => {
    fc.assert(
      fc.property(dateText, fc.option(dateText, { nil: undefined }), (from, to) => {
        figures.cliInProcess++;
        try {
          const r = parseRange(from, to, NOW);
          assert.ok(Number.isInteger(r.from) && Number.isInteger(r.to) && r.from < r.to);
          assert.ok(r.from >= Date.UTC(2010, 0, 1) && r.to <= NOW + 366 * 86_400_000 && r.from <= NOW);
          // A day that parses is that very day (no roll-over into the next month).
          const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(from);
          if (day) assert.equal(new Date(parseDateArg('--from', from, false)).getUTCDate() === Number(day[3]) || /[+-]\d{2}:\d{2}$/.test(from), true, from);
        } catch (err) {
          assert.ok(err instanceof CliUsageError, `${from} .. ${to}: ${String(err)}`);
          assert.match(err.message, /^--(from|to)/);
        }
      }),
      { numRuns: 3000, seed: 1106 },
    );
  });

  it('--types and --interval: a non-empty list of known types / a positive whole number, or a CliUsageError', () => {
    const typeList = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(fc.constantFrom(...ALL_RECORD_TYPES, '', ' ', 'voice', 'CALL-CONTROL', ',,'), { maxLength: 5 }).map((a) => a.join(',')),
    );
    fc.assert(
      fc.property(typeList, fc.string({ maxLength: 12 }), (list, interval) => {
        figures.cliInProcess += 2;
        try {
          const t = parseTypes(list);
          assert.ok(t.length > 0 && t.every((x) => RecordType.options.includes(x)), list);
        } catch (err) {
          assert.ok(err instanceof CliUsageError, String(err));
        }
        try {
          const n = positiveInt(interval);
          assert.ok(Number.isInteger(n) && n > 0);
        } catch (err) {
          assert.ok(err instanceof CliUsageError, String(err));
        }
      }),
      { numRuns: 2000, seed: 1107 },
    );
  });

  it('a sample of random command lines, run as real children: exit 0-3 with a message, no crash, no stack trace', async () => {
    const token = fc.oneof(
      fc.constantFrom(
        'sync',
        'import',
        'status',
        'reconcile',
        'refetch',
        'export',
        'calls',
        'summary',
        'history',
        'messages',
        '--from',
        '--to',
        '--types',
        '--json',
        '--watch',
        '--interval',
        '--number',
        '--out',
        '--demo',
        '--help',
        '-x',
        '--',
        '',
      ),
      fc.constantFrom('2026-01-01', '2026-02-30T00:00:00Z', '9999-12-31', ',,,', 'messaging', '0', '-1', '1e3'),
      fc.string({ maxLength: 12 }),
    );
    const dir = tempDir();
    const samples = fc.sample(fc.array(token, { minLength: 1, maxLength: 6 }), { numRuns: 12, seed: 1108 });
    for (const argv of samples) {
      // No key: nothing can reach the network (and --watch stops at "no key").
      const full = argv.includes('--out') ? argv.filter((a) => a !== '--out') : argv;
      const r = await runCli([...full, '--data-dir', dir], { TELNYX_API_KEY: undefined });
      figures.cliChildren++;
      assert.equal(r.signal, null, `${JSON.stringify(full)}: killed by ${r.signal}`);
      assert.ok(r.code !== null && r.code >= 0 && r.code <= 3, `${JSON.stringify(full)}: exit ${r.code}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `${JSON.stringify(full)}: a stack trace\n${r.stderr}`);
      if (r.code !== 0) assert.ok(r.stderr.trim().length > 0, `${JSON.stringify(full)}: exit ${r.code} without a message`);
    }
  });

  after(() => {
    process.stdout.write(
      `# fuzz: ${figures.http} HTTP calls (${figures.httpRejected} rejected, none changed the ledger), ${figures.cliInProcess} CLI argument cases in process, ${figures.cliChildren} CLI children\n`,
    );
  });
});
