// Bundles the Electron host: electron/main.ts -> dist/electron/main.cjs (Node, CommonJS:
// everything inlined except electron and the native better-sqlite3), the import's write
// and fetch workers beside it (dist/electron/write-worker-main.cjs and fetch-worker-main.cjs:
// main.cjs starts them as worker_threads Workers, ingest/write-worker.ts writeWorkerEntry and
// ingest/fetch-worker.ts fetchWorkerEntry) and electron/preload.ts
// -> dist/electron/preload.cjs (a sandboxed preload cannot load ESM or resolve our modules,
// so it must be one self-contained CommonJS file; platform "browser" makes any accidental
// Node import a build error, since a sandboxed preload has no Node).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './electron-binary.mjs';

const OUT = join(ROOT, 'dist', 'electron');
const CONTRACT = join(ROOT, 'shared', 'contract.ts');
/** The write worker's bundle, beside main.cjs: dist/electron/write-worker-main.cjs. */
export const WRITE_WORKER = 'write-worker-main';
/** The fetch worker's bundle, beside main.cjs: dist/electron/fetch-worker-main.cjs. */
export const FETCH_WORKER = 'fetch-worker-main';

/**
 * The preload needs only the contract's method and event NAMES, but importing
 * shared/contract.ts would pull all of zod (~750 kB, its locales included) into every window.
 * This plugin evaluates the real contract once at build time and hands the preload a module
 * with just the two name lists, so they can never drift from the contract.
 */
async function contractNamesPlugin() {
  const bundled = await build({ entryPoints: [CONTRACT], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'error' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', bundled.outputFiles[0].text)(mod, mod.exports, createRequire(CONTRACT));
  const { METHODS, EVENT_NAMES } = mod.exports;
  if (!Array.isArray(METHODS) || METHODS.length === 0 || !Array.isArray(EVENT_NAMES)) throw new Error('shared/contract.ts exports no METHODS/EVENT_NAMES');
  const source = `export const METHODS = ${JSON.stringify(METHODS)};\nexport const EVENT_NAMES = ${JSON.stringify(EVENT_NAMES)};\n`;
  return {
    name: 'contract-names',
    setup(b) {
      b.onResolve({ filter: /shared\/contract\.ts$/ }, (args) =>
        resolve(args.resolveDir, args.path) === CONTRACT ? { path: CONTRACT, namespace: 'contract-names' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'contract-names' }, () => ({ contents: source, loader: 'js' }));
    },
  };
}

export async function buildElectron({ quiet = false } = {}) {
  rmSync(OUT, { recursive: true, force: true });
  const common = { bundle: true, format: 'cjs', sourcemap: 'linked', logLevel: quiet ? 'error' : 'warning', legalComments: 'none' };
  // electron/NAME.ts to dist/electron/NAME.cjs.
  const bundle = (name, options) => build({ ...common, entryPoints: [join(ROOT, 'electron', `${name}.ts`)], outfile: join(OUT, `${name}.cjs`), ...options });
  await bundle('main', {
    platform: 'node',
    target: 'node22', // at or below Electron 45's Node
    // pdfkit loads its standard fonts' metrics at run time through its package.json "imports"
    // (a require esbuild cannot follow): it stays a package, shipped with the dependencies.
    external: ['electron', 'better-sqlite3', 'pdfkit'],
    // ESM code that reads import.meta.url keeps working once it is CommonJS.
    define: { 'import.meta.url': '__costDeskImportMetaUrl' },
    banner: { js: 'const __costDeskImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  // The workers' entries, named as writeWorkerEntry and fetchWorkerEntry resolve them from
  // main.cjs's URL (beside it, with its extension). A worker_threads script loads from inside
  // app.asar (Electron's spec/asar-spec.ts 'should start worker thread from asar file'): no unpacking.
  for (const name of [WRITE_WORKER, FETCH_WORKER])
    await build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'core', 'ingest', `${name}.ts`)],
      outfile: join(OUT, `${name}.cjs`),
      platform: 'node',
      target: 'node22',
      external: ['better-sqlite3'],
      define: { 'import.meta.url': '__costDeskImportMetaUrl' },
      banner: { js: 'const __costDeskImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    });
  await bundle('preload', {
    platform: 'browser',
    target: 'chrome140', // at or below Electron 45's Chromium
    external: ['electron'],
    plugins: [await contractNamesPlugin()],
  });
  if (!quiet)
    console.log(
      `built ${join('dist', 'electron', 'main.cjs')}, ${join('dist', 'electron', `${WRITE_WORKER}.cjs`)}, ${join('dist', 'electron', `${FETCH_WORKER}.cjs`)} and ${join('dist', 'electron', 'preload.cjs')}`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildElectron().catch((err) => {
    console.error(`build-electron failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
