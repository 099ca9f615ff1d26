// `npm test`: the whole check, in the order that fails fastest.
//   1. type-check (tsc, strict)        2. lint (eslint, process boundaries)
//   3. build the renderer and the Electron bundles (the e2e tests drive the built app)
//   4. every test file under node's test runner (unit, integration, e2e)
// Flags: --no-static skips 1-2, --only <substring> runs matching test files only.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const staticChecks = !args.includes('--no-static');
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

if (staticChecks) {
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
  step('lint', bin('eslint'), ['.']);
}
step('build renderer', bin('vite'), ['build', '--logLevel', 'warn']);
step('build electron bundles', process.execPath, ['scripts/build-electron.mjs']);

const suites = ['test/unit', 'test/integration', 'test/e2e'];
const files = suites
  .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f)))
  .filter((f) => !only || f.includes(only));
mkdirSync('test-results', { recursive: true });
const tap = join('test-results', 'tests.tap');
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, COST_DESK_LOG_LEVEL: process.env.COST_DESK_LOG_LEVEL ?? 'silent' } },
);
// The TAP file's closing lines carry the counts; repeat them as one plain line.
const text = readFileSync(tap, 'utf8');
const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
const skipped = count('skipped');
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
