// `npm start`: build the renderer and the Electron bundles, then launch Electron on the app
// folder. When this machine has no Electron binary yet, Electron's own installer downloads it
// first (its progress shown); only when that fails does the browser host start instead, and
// the reason is printed. Extra arguments are passed on (e.g. npm start -- --demo for the
// browser host). `npm start -- --no-build` launches what was built last.
import './require-node.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildElectron } from './build-electron.mjs';
import { ROOT, findElectronBinary } from './electron-binary.mjs';
import { electronInstaller, linuxSandboxProblem, runElectronInstaller } from './electron-install.mjs';

// `node scripts/start.mjs -- --demo` passes the separator through; npm strips it.
const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const noBuild = argv.includes('--no-build');
const args = argv.filter((a) => a !== '--no-build');

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
  child.on('error', (err) => {
    console.error(`Could not run ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** The Electron executable, installing it with Electron's installer when it is missing. */
async function electronBinary() {
  const found = findElectronBinary(ROOT);
  if (found.path) return found;
  // An explicit ELECTRON_OVERRIDE_DIST_PATH names the binary to use; never download over it.
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return found;
  const installer = electronInstaller(ROOT);
  if (!installer.path) return { path: null, reason: installer.reason };
  console.log(`\nThe Electron binary is not installed yet (${found.reason}).`);
  console.log(`Downloading Electron ${installer.version} with its installer (npx install-electron)...`);
  const failed = await runElectronInstaller(installer.path, { cwd: ROOT });
  if (failed) return { path: null, reason: failed };
  const after = findElectronBinary(ROOT);
  return after.path ? after : { path: null, reason: `Electron's installer finished, but ${after.reason}` };
}

async function main() {
  if (!noBuild) {
    console.log('Building the renderer...');
    buildRenderer();
    console.log('Building the Electron bundles...');
    await buildElectron();
  }

  const electron = await electronBinary();
  const sandbox = electron.path && process.env.COST_DESK_SANDBOX_CHECK !== 'off' ? linuxSandboxProblem(electron.path) : null;
  if (electron.path && !sandbox) {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE; // would turn Electron into plain Node
    // The app folder, not dist/electron/main.cjs: app.getAppPath() is the project root, as
    // in a packaged app (whose app.asar holds package.json and dist/).
    runChild(electron.path, [ROOT, ...args], env);
    return;
  }
  if (sandbox) console.log(`\n${sandbox}`);
  else console.log(`\nElectron could not be installed on this machine: ${electron.reason}.`);
  console.log('Starting the browser host instead (npm run web).\n');
  runChild(process.execPath, ['--import', 'tsx', join(ROOT, 'electron', 'web', 'main.ts'), ...args]);
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
