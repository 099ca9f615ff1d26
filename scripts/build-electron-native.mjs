// Builds better-sqlite3 for the installed Electron's ABI into native/electron/better_sqlite3.node.
// node_modules/better-sqlite3/build stays the Node build the tests use: we work on a copy of
// the package in a temp dir. First try the prebuilt binary (prebuild-install --runtime
// electron), then compile against Electron's headers (node-gyp --dist-url electronjs.org).
// Both need the internet; without it this fails with a message saying so.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const OUT_DIR = join(ROOT, 'native', 'electron');
const OUT_FILE = join(OUT_DIR, 'better_sqlite3.node');
const HEADERS_URL = 'https://electronjs.org/headers';

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function run(label, command, args, cwd, env) {
  console.log(`> ${label}: ${[command, ...args].map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a)).join(' ')}`);
  const r = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) return `${label} could not start: ${r.error.message}`;
  return r.status === 0 ? null : `${label} exited with code ${r.status}`;
}

function main() {
  const electronVersion = readJson(join(ROOT, 'node_modules', 'electron', 'package.json')).version;
  const sqliteDir = join(ROOT, 'node_modules', 'better-sqlite3');
  const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version;
  const arch = process.env.npm_config_arch || process.arch;
  console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch})`);

  const work = mkdtempSync(join(tmpdir(), 'cost-desk-native-'));
  const pkg = join(work, 'better-sqlite3');
  try {
    // The copy leaves out the Node build so nothing can be mistaken for the Electron one.
    cpSync(sqliteDir, pkg, { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });
    // A user-level nodedir (Node's headers) must not leak in: that would build for Node's ABI.
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)) delete env[k];

    const failures = [];
    const prebuild = require.resolve('prebuild-install/bin.js');
    const viaPrebuild = run(
      'prebuild-install',
      process.execPath,
      [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', process.platform, '--verbose'],
      pkg,
      env,
    );
    const built = join(pkg, 'build', 'Release', 'better_sqlite3.node');
    if (viaPrebuild || !existsSync(built)) {
      failures.push(viaPrebuild ?? 'prebuild-install produced no binary');
      const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
      const viaGyp = run(
        'node-gyp',
        process.execPath,
        [nodeGyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${HEADERS_URL}`, '--runtime=electron'],
        pkg,
        env,
      );
      if (viaGyp || !existsSync(built)) failures.push(viaGyp ?? 'node-gyp produced no binary');
    }
    if (!existsSync(built)) {
      throw new Error(
        [
          `Could not build better-sqlite3 for Electron ${electronVersion}:`,
          ...failures.map((f) => `  - ${f}`),
          'Both ways need internet access: prebuild-install downloads a prebuilt binary from GitHub releases,',
          `and node-gyp downloads Electron's headers from ${HEADERS_URL} (and needs a C++ toolchain).`,
          'Run this on a machine with internet access (npm run build:native-electron).',
          'node_modules/better-sqlite3 (the Node build used by the tests and the browser host) was not changed.',
        ].join('\n'),
      );
    }
    mkdirSync(OUT_DIR, { recursive: true });
    copyFileSync(built, OUT_FILE);
    writeFileSync(
      join(OUT_DIR, 'better_sqlite3.json'),
      `${JSON.stringify({ betterSqlite3: sqliteVersion, electron: electronVersion, platform: process.platform, arch }, null, 2)}\n`,
    );
    console.log(`wrote ${relative(ROOT, OUT_FILE)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(`\nbuild-electron-native: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
