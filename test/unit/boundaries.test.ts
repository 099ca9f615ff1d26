// Architecture rule 3 over the real import graph: renderer -> shared <- core <- hosts, and
// nothing product-side imports test/. Reads every source file's import specifiers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT, walkSourceFiles } from '../helpers/source-files.ts';

const root = REPO_ROOT;

const files = (dir: string): string[] => walkSourceFiles(dir, /\.(ts|tsx|mts|mjs)$/);

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = new Set<string>();
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
    specs.add((m[1] ?? m[2] ?? m[3])!);
  }
  return [...specs];
}

/** Resolves a relative specifier to a repo-relative path; bare specifiers stay as they are. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)) : spec;
}

function violations(dir: string, forbidden: (t: string) => string | null): string[] {
  const bad: string[] = [];
  for (const f of files(dir)) {
    for (const spec of imports(f)) {
      const why = forbidden(target(f, spec));
      if (why) bad.push(`${f} imports ${spec}: ${why}`);
    }
  }
  return bad;
}

const isHost = (t: string) => /^electron\/(web|cli|desktop|hosts|secrets)\//.test(t) || /^electron\/(main|preload)\.ts$/.test(t);

test('the core imports neither electron, react, a host, nor test/', () => {
  assert.deepEqual(
    violations('electron/core', (t) =>
      t === 'electron' || t.startsWith('react')
        ? 'host library'
        : isHost(t)
          ? 'a host'
          : t.startsWith('test/')
            ? 'test code'
            : t.startsWith('renderer/')
              ? 'the renderer'
              : null,
    ),
    [],
  );
});

test('the renderer imports only shared/ and itself (no Node, no electron/)', () => {
  assert.deepEqual(
    violations('renderer', (t) =>
      t.startsWith('electron/') || t === 'electron'
        ? 'electron side'
        : t.startsWith('node:')
          ? 'Node built-in'
          : t.startsWith('test/')
            ? 'test code'
            : ['better-sqlite3', 'undici', 'pino'].includes(t)
              ? 'Node library'
              : null,
    ),
    [],
  );
});

test('shared/ is browser-safe: only zod and itself', () => {
  assert.deepEqual(
    violations('shared', (t) => (t === 'zod' || t.startsWith('shared/') ? null : 'shared/ may depend only on zod')),
    [],
  );
});

test('hosts never import test/ or the renderer source', () => {
  const bad = ['electron/web', 'electron/cli', 'electron/desktop', 'electron/hosts', 'electron/secrets'].flatMap((d) =>
    violations(d, (t) => (t.startsWith('test/') ? 'test code' : t.startsWith('renderer/') ? 'renderer source' : null)),
  );
  assert.deepEqual(bad, []);
});

test('folders by process: the browser host and the CLI never load Electron or the desktop app; shared host code depends on no one host', () => {
  const electronOnly = (t: string) =>
    t === 'electron' || t.startsWith('electron/desktop/') || /^electron\/(main|preload)\.ts$/.test(t) ? 'Electron-only code' : null;
  const bad = [
    ...violations('electron/web', (t) => electronOnly(t) ?? (t.startsWith('electron/cli/') ? 'the CLI' : null)),
    ...violations('electron/cli', (t) => electronOnly(t) ?? (t.startsWith('electron/web/') ? 'the browser host' : null)),
    ...['electron/hosts', 'electron/secrets'].flatMap((d) => violations(d, (t) => electronOnly(t) ?? (/^electron\/(web|cli)\//.test(t) ? 'one host' : null))),
    ...violations('electron/desktop', (t) => (/^electron\/(web|cli)\//.test(t) ? 'another host' : null)),
  ];
  assert.deepEqual(bad, []);
});

test('the graph check sees real imports (it is not vacuous)', () => {
  const coreImports = files('electron/core').flatMap((f) => imports(f).map((s) => target(f, s)));
  assert.ok(coreImports.includes('better-sqlite3'));
  assert.ok(coreImports.some((t) => t.startsWith('shared/')));
});

test('the CLI is a host of the contract: of the core it imports the factory alone (electron/core/index.ts)', () => {
  // Every command is a contract call through dispatch, which the factory's module hands out;
  // anything else of the core (the ledger, SQL, the importer) is reached through the contract.
  const allowed = (t: string) =>
    t === 'electron/core/index.ts' ||
    t.startsWith('shared/') ||
    /^electron\/(cli|hosts|secrets)\//.test(t) ||
    t.startsWith('node:') ||
    ['commander', 'cli-progress', 'zod'].includes(t);
  const bad = violations('electron/cli', (t) =>
    allowed(t) ? null : t.startsWith('electron/core/') ? 'a core module other than the factory' : 'not the factory, the contract or a host module',
  );
  assert.deepEqual(bad, []);
  // Not vacuous: the CLI does import the factory and the contract.
  const cliImports = files('electron/cli').flatMap((f) => imports(f).map((s) => target(f, s)));
  assert.ok(cliImports.includes('electron/core/index.ts'));
  assert.ok(cliImports.includes('shared/contract.ts'));
});
