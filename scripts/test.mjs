// `npm test`: the whole check, in the order that fails fastest.
//   1. type-check (tsc, strict)        2. lint (eslint, process boundaries; prettier --check)
//   3. build the renderer and the Electron bundles (the e2e tests drive the built app)
//   4. every test file under node's test runner (unit, integration, e2e)
// Flags: --no-static skips 1-2, --no-build skips 3, --suites unit,integration runs only those folders,
// --only <substring>[,<substring>...] runs matching test files only.
// Every test process (and every Node process a test spawns, through NODE_OPTIONS) loads
// test/support/no-network.mjs: a connection to anything but loopback fails the test loudly.
import './require-node.mjs';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const only = flag('--only')?.split(',').filter(Boolean) ?? null;
const suites = (flag('--suites') ?? 'unit,integration,e2e').split(',').map((s) => join('test', s));
const staticChecks = !args.includes('--no-static');
const build = !args.includes('--no-build');
const bin = (name) => join('node_modules', '.bin', name);

function step(title, cmd, cmdArgs, env = {}) {
  const started = Date.now();
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`== ${title}: FAILED after ${secs}s\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`== ${title}: ok (${secs}s)\n`);
}

process.stdout.write(`Node ${process.version} (${process.execPath})\n`);
if (staticChecks) {
  // The core and hosts without the DOM, the renderer without Node, then tests with both.
  for (const config of ['tsconfig.node.json', 'tsconfig.renderer.json', 'tsconfig.json']) step(`typecheck ${config}`, bin('tsc'), ['-p', config]);
  step('lint', bin('eslint'), ['.']);
  step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
}
if (build) {
  step('build renderer', bin('vite'), ['build', '--logLevel', 'warn']);
  step('build electron bundles', process.execPath, ['scripts/build-electron.mjs']);
}

const files = suites
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts'))
      .sort()
      .map((f) => join(dir, f)),
  )
  .filter((f) => !only || only.some((o) => f.includes(o)));
if (files.length === 0) {
  // node --test with no file would fall back to its own discovery (every file under test/,
  // the benchmarks included): a filter that matches nothing is an error instead.
  process.stderr.write(`no test file under ${suites.join(', ')} matches ${JSON.stringify(only)}\n`);
  process.exit(2);
}
mkdirSync('test-results', { recursive: true });
const tap = join('test-results', 'tests.tap');
const noNetwork = pathToFileURL(resolve('test/support/no-network.mjs')).href;
const run = spawnSync(
  process.execPath,
  [
    '--import',
    noNetwork,
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${noNetwork}`.trim(),
      COST_DESK_LOG_LEVEL: process.env.COST_DESK_LOG_LEVEL ?? 'silent',
    },
  },
);
// The TAP file's closing lines carry the counts; repeat them as one plain line.
const text = readFileSync(tap, 'utf8');
const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
const skipped = count('skipped');
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
