// What the installers will contain, checked on the real files: package.json's dependencies are
// exactly what the built main.cjs still requires at run time (everything else is bundled, so
// electron-builder copies nothing else into the asar), the icon is a 512x512 PNG, deb is the
// first Linux target, and signing/notarization follow the environment (off without credentials).
import assert from 'node:assert/strict';
import { builtinModules, createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { signingPlan } from '../../scripts/dist.mjs';
import { ICON_SIZE, iconPng } from '../../scripts/make-icon.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; engines: { node: string } };

test('dependencies = what the built main process requires besides Node and Electron', async () => {
  const main = join(ROOT, 'dist', 'electron', 'main.cjs');
  if (!existsSync(main)) {
    const { buildElectron } = await import('../../scripts/build-electron.mjs');
    await buildElectron({ quiet: true });
  }
  const required = new Set([...readFileSync(main, 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  // Anything under node: is Node's own (node:sqlite is scheme-only and missing from Node 22's builtinModules).
  const packages = [...required].filter((r) => !builtins.has(r) && !r.startsWith('node:') && r !== 'electron').sort();
  // pdfkit reads its font files at run time, so it stays a package (statements' PDFs).
  assert.deepEqual(packages, ['better-sqlite3', 'pdfkit']);
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), packages);
  assert.match(pkg.engines.node, /^>=22\.12\.0$/, "Electron 45's tooling (and better-sqlite3 13) need Node >= 22.12");
});

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
