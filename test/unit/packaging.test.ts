// What the installers will contain, checked on the real files: package.json's dependencies are
// exactly what the built main.cjs still requires at run time (everything else is bundled, so
// electron-builder copies nothing else into the asar), the icon is a 512x512 PNG, deb is the
// first Linux target, and signing/notarization follow the environment (off without credentials).
// The import's write and fetch workers are built beside main.cjs, where main.cjs's resolvers
// look for them, run from there as worker threads, and are in what electron-builder packages
// (that main.cjs really starts them: desktop-main.test.ts).
import assert from 'node:assert/strict';
import { builtinModules, createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { writeWorkerEntry } from '../../electron/core/ingest/write-worker.ts';
import { fetchWorkerEntry } from '../../electron/core/ingest/fetch-worker.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { tempLedgerPath } from '../helpers/temp.ts';
import { signingPlan } from '../../scripts/dist.mjs';
import { ICON_SIZE, iconPng } from '../../scripts/make-icon.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; engines: { node: string } };

const MAIN = join(ROOT, 'dist', 'electron', 'main.cjs');
const WORKER = join(ROOT, 'dist', 'electron', 'write-worker-main.cjs');
const FETCHER = join(ROOT, 'dist', 'electron', 'fetch-worker-main.cjs');

async function built(): Promise<void> {
  if (existsSync(MAIN) && existsSync(WORKER) && existsSync(FETCHER)) return;
  const { buildElectron } = await import('../../scripts/build-electron.mjs');
  await buildElectron({ quiet: true });
}

test('dependencies = what the built main process requires besides Node and Electron', async () => {
  const main = MAIN;
  await built();
  const required = new Set([...readFileSync(main, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  // Anything under node: is Node's own (node:sqlite is scheme-only and missing from Node 22's builtinModules).
  const packages = [...required].filter((r) => !builtins.has(r) && !r.startsWith('node:') && r !== 'electron').sort();
  // pdfkit reads its font files at run time, so it stays a package (statements' PDFs).
  assert.deepEqual(packages, ['better-sqlite3', 'pdfkit']);
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), packages);
  assert.match(pkg.engines.node, /^>=22\.12\.0$/, "Electron 45's tooling (and better-sqlite3 13) need Node >= 22.12");
});

test("the write worker's bundle: beside main.cjs where its resolver looks, only better-sqlite3 besides Node, runs as a worker thread, packaged", async () => {
  await built();
  // main.cjs's import.meta.url is its own file URL (build-electron.mjs's define).
  assert.equal(fileURLToPath(writeWorkerEntry(pathToFileURL(MAIN).href)), WORKER);
  assert.match(readFileSync(MAIN, 'utf8'), /write-worker-main\./, 'main.cjs holds the resolver');
  const required = new Set([...readFileSync(WORKER, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  assert.deepEqual(
    [...required].filter((r) => !r.startsWith('node:') && !builtinModules.includes(r)),
    ['better-sqlite3'],
  );
  // Started as main.cjs starts it: it opens the ledger, says so, and exits when told to close.
  const file = tempLedgerPath();
  openLedgerFile(file).close();
  const worker = new Worker(WORKER, { workerData: { file, cacheMb: 32 } });
  const first = await new Promise<unknown>((ok, fail) => worker.once('message', ok).once('error', fail));
  assert.deepEqual(first, { ready: true });
  const exit = new Promise<number>((ok) => worker.once('exit', ok));
  worker.postMessage({ close: true });
  assert.equal(await exit, 0);
  packaged('dist/electron/write-worker-main.cjs');
});

test("the fetch worker's bundle: beside main.cjs where its resolver looks, nothing but Node's own required, runs as a worker thread, packaged", async () => {
  await built();
  assert.equal(fileURLToPath(fetchWorkerEntry(pathToFileURL(MAIN).href)), FETCHER);
  assert.match(readFileSync(MAIN, 'utf8'), /fetch-worker-main\./, 'main.cjs holds the resolver');
  const required = new Set([...readFileSync(FETCHER, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  assert.deepEqual(
    [...required].filter((r) => !r.startsWith('node:') && !builtinModules.includes(r)),
    [],
  );
  // Started as main.cjs starts it: its client made, it says so, and exits when told to close.
  const worker = new Worker(FETCHER, { workerData: { baseUrl: 'http://127.0.0.1:9', apiKey: 'KEY_test' } });
  const first = await new Promise<unknown>((ok, fail) => worker.once('message', ok).once('error', fail));
  assert.deepEqual(first, { ready: true });
  const exit = new Promise<number>((ok) => worker.once('exit', ok));
  worker.postMessage({ close: true });
  assert.equal(await exit, 0);
  packaged('dist/electron/fetch-worker-main.cjs');
});

/** electron-builder's `files`: some pattern takes `path`, no exclusion drops it (its own minimatch). */
function packaged(path: string): void {
  const require = createRequire(join(ROOT, 'node_modules', 'app-builder-lib', 'package.json'));
  const { minimatch } = require('minimatch') as { minimatch(path: string, pattern: string): boolean };
  const yaml = require('js-yaml') as { load(text: string): { files: string[] } };
  const files = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')).files;
  assert.ok(
    files.some((p) => !p.startsWith('!') && minimatch(path, p)),
    `a files pattern takes ${path}`,
  );
  assert.deepEqual(
    files.filter((p) => p.startsWith('!') && minimatch(path, p.slice(1))),
    [],
    `no exclusion drops ${path}`,
  );
}

test('build/icon.png is the icon the script draws, 512x512 RGBA', () => {
  const png = readFileSync(join(ROOT, 'build', 'icon.png'));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [ICON_SIZE, ICON_SIZE, 8, 6]);
  assert.ok(ICON_SIZE >= 512, 'macOS needs at least 512x512');
  assert.ok(iconPng().equals(png), 'regenerate with npm run icon');
});

test("electron-builder.yml passes electron-builder's own schema; deb is the first Linux target", async () => {
  const require = createRequire(join(ROOT, 'node_modules', 'app-builder-lib', 'package.json'));
  const yaml = require('js-yaml') as { load(text: string): Record<string, unknown> };
  const { validateConfiguration } = require('./out/util/config/config') as { validateConfiguration(c: object, log: object): Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => object };
  const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
    linux: { target: string[] };
    directories: { buildResources: string };
    dependencies?: unknown;
  };
  await validateConfiguration(config, new DebugLogger(false));
  await assert.rejects(
    validateConfiguration({ ...config, linux: { tagret: ['deb'] } }, new DebugLogger(false)),
    /does not match the API schema/,
    'the validator does catch a typo',
  );
  assert.deepEqual(config.linux.target, ['deb', 'AppImage']);
  assert.equal(config.directories.buildResources, 'build');
});

test('signing and notarization: off without credentials, on with them, refused when half given', () => {
  const none = signingPlan({}, 'darwin');
  assert.equal(none.error, null);
  assert.equal(none.env.CSC_IDENTITY_AUTO_DISCOVERY, 'false', 'no keychain identity is picked up silently');
  assert.deepEqual(none.notes, ['macOS: NOT signed (no CSC_LINK or CSC_NAME); Gatekeeper will warn', 'macOS: NOT notarized (no APPLE_* credentials)']);
  const full = signingPlan({ CSC_LINK: 'cert.p12', CSC_KEY_PASSWORD: 'pw', APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'id', APPLE_API_ISSUER: 'iss' }, 'darwin');
  assert.equal(full.error, null);
  assert.deepEqual(full.env, {});
  assert.match(full.notes.join('\n'), /signed with the CSC_LINK.*\n.*notarized \(APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER\)/);
  assert.match(signingPlan({ CSC_LINK: 'c', CSC_KEY_PASSWORD: 'p', APPLE_ID: 'a@b' }, 'darwin').error!, /missing: APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID/);
  assert.match(signingPlan({ APPLE_KEYCHAIN: 'k', APPLE_KEYCHAIN_PROFILE: 'p' }, 'darwin').error!, /nothing signs the app/);
  assert.match(signingPlan({ CSC_LINK: 'c' }, 'win32').error!, /CSC_KEY_PASSWORD is not/);
  assert.deepEqual(signingPlan({}, 'win32').notes, ['Windows: NOT signed (no WIN_CSC_LINK or CSC_LINK); SmartScreen will warn']);
  assert.deepEqual(signingPlan({ WIN_CSC_LINK: 'c.pfx' }, 'win32').notes, ['Windows: signed with WIN_CSC_LINK / CSC_LINK']);
});
