// `npm start`: build the renderer and the Electron bundles, then launch Electron — or, when
// this machine has no Electron binary (it could not be downloaded), the browser host, so the
// app still runs. Extra arguments are passed on (e.g. npm start -- --demo for the browser host).
import './require-node.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildElectron } from './build-electron.mjs';
import { ROOT, findElectronBinary } from './electron-binary.mjs';

// `node scripts/start.mjs -- --demo` passes the separator through; npm strips it.
const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));

function buildRenderer() {
  const require = createRequire(join(ROOT, 'package.json'));
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [viteBin, 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit code ${r.status ?? r.error?.message})`);
}

function runChild(command, childArgs, env = process.env) {
  const child = spawn(command, childArgs, { cwd: ROOT, stdio: 'inherit', env });
  // Ctrl+C reaches the child through the terminal; just wait for it to finish.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  console.log('Building the renderer...');
  buildRenderer();
  console.log('Building the Electron bundles...');
  await buildElectron();

  const electron = findElectronBinary();
  if (electron.path) {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
    runChild(electron.path, ['.', ...args], env);
    return;
  }
  console.log(`\nNo Electron binary on this machine (it could not be downloaded): ${electron.reason}.`);
  console.log('Starting the browser host instead (npm run web).\n');
  runChild(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'web', 'main.ts'), ...args]);
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
