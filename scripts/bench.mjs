// `npm run bench`: every benchmark in test/bench, one after another (they compete for the
// same two cores otherwise). Each prints its own figures and the comparison it names.
// `npm run bench -- import` runs only benchmarks whose file name contains "import"; further
// arguments go to each of them (`npm run bench -- import-engine --big`).
import './require-node.mjs';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const ORDER = [
  'sqlite-raw',
  'index-levers',
  'ledger-writes',
  'simulator-throughput',
  'import',
  'import-engine',
  'reconcile',
  'queries',
  'export',
  'first-paint',
];
const files = readdirSync('test/bench')
  .filter((f) => f.endsWith('.ts') && f.includes(filter))
  .sort((a, b) => ((ORDER.indexOf(a.replace('.ts', '')) + 99) % 100) - ((ORDER.indexOf(b.replace('.ts', '')) + 99) % 100) || a.localeCompare(b));
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n######## ${f}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join('test/bench', f), ...process.argv.slice(3)], {
    stdio: 'inherit',
    env: { ...process.env, COST_DESK_LOG_LEVEL: 'silent' },
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
