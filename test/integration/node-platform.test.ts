// The Node platform the project runs on (issue: Node 22/24 and better-sqlite3 13).
// - better-sqlite3 12 aborted Node 24 when a garbage-collected statement ran its destructor
//   (`Assertion failed: (env) != nullptr` in RemoveEnvironmentCleanupHook, SIGABRT): a child
//   process prepares and drops many statements and forces collections, and must exit 0.
// - The CLI runs as a real child process (real stdio, real exit codes) on the Node running this
//   suite: `.ci/run` runs the suite on Node 24 and again on Node 22.
// - On a Node older than `engines`, npm's entry scripts stop at once with the reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { MIN_NODE, unsupportedNodeMessage } from '../../electron/core/util/node-version.ts';
import { tempDir } from '../helpers/temp.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'electron', 'cli', 'main.ts');

function spawnNode(args: string[], o: { env?: NodeJS.ProcessEnv; node?: string; cwd?: string } = {}) {
  const r = spawnSync(o.node ?? process.execPath, args, {
    cwd: o.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...o.env },
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('node platform', () => {
  it(`runs on a supported Node (this suite: ${process.version})`, () => {
    assert.equal(unsupportedNodeMessage(process.versions.node), null);
  });

  it('prepares and garbage-collects 200,000 statements without aborting the process', () => {
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t (a INTEGER, b TEXT)');
      for (let i = 0; i < 200000; i++) {
        db.prepare('SELECT a, b FROM t WHERE a = ?').all(i);
        if (i % 20000 === 0) globalThis.gc();
      }
      globalThis.gc();
      db.close();
      globalThis.gc();
      process.stdout.write('ok ' + process.version);
    `;
    const r = spawnNode(['--expose-gc', '-e', script]);
    assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `ok ${process.version}`);
  });

  it('the CLI runs as a child process: help, a usage error, status on a fresh data folder', () => {
    const dir = tempDir();
    const help = spawnNode(['--import', 'tsx', CLI, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: cost-desk/);
    const bad = spawnNode(['--import', 'tsx', CLI, 'frobnicate', '--data-dir', dir]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /unknown command 'frobnicate'/);
    const status = spawnNode(['--import', 'tsx', CLI, 'status', '--json', '--data-dir', dir], { env: { TELNYX_API_KEY: '' } });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(typeof JSON.parse(status.stdout), 'object');
  });

  it('the core refuses an unsupported Node with the reason, the floor equal to package.json engines', () => {
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    assert.equal(engines, `>=${MIN_NODE.major}.${MIN_NODE.minor}.0`);
    assert.match(unsupportedNodeMessage('20.20.2') ?? '', /needs Node\.js 22\.12 or later .* this is Node 20\.20\.2/);
    assert.notEqual(unsupportedNodeMessage('22.11.0'), null);
    assert.equal(unsupportedNodeMessage('22.12.0'), null);
    assert.equal(unsupportedNodeMessage('24.21.0'), null);
    assert.equal(unsupportedNodeMessage('25.0.0'), null);
  });

  it('a test process that reaches for a non-loopback address fails loudly, even when the error is swallowed', () => {
    assert.match(process.env.NODE_OPTIONS ?? '', /no-network\.mjs/, 'npm test loads the guard into every Node process');
    const script = `fetch('https://api.telnyx.com/v2/detail_records').catch(() => {}).finally(() => process.exit(0));`;
    const r = spawnNode(['-e', script]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /NETWORK ACCESS IN A TEST \(refused\): api\.telnyx\.com:443/);
    const local = spawnNode(['-e', `require('node:net').connect(9, '127.0.0.1').on('error', () => process.exit(0));`]);
    assert.equal(local.code, 0, local.stderr);
  });

  // The real old Node where this machine has one (Debian images here ship Node 20 on PATH).
  const oldNode = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d && !d.includes('node_modules'))
    .map((d) => join(d, 'node'))
    .find((p) => existsSync(p) && /^v(1\d|20|21)\./.test(spawnSync(p, ['--version'], { encoding: 'utf8' }).stdout ?? ''));
  it('npm start, test and bench stop at once on Node 20 with the reason', { skip: oldNode ? false : 'no Node older than 22 on PATH' }, () => {
    for (const script of ['scripts/start.mjs', 'scripts/test.mjs', 'scripts/bench.mjs']) {
      const r = spawnNode([script], { node: oldNode });
      assert.equal(r.code, 1, `${script}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /Cost Desk needs Node\.js 22\.12 or later \(22 or 24 LTS\); this is Node 20\./);
      assert.equal(r.stdout, '', `${script} did nothing else`);
    }
  });
});
