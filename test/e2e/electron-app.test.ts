// The desktop app for real: Playwright launches Electron on the app folder (as npm start does) with a
// fresh data dir and checks the window, the bridge and the hardening from inside. Needs an
// Electron binary (node_modules/electron/dist or ELECTRON_OVERRIDE_DIST_PATH) and the built
// renderer and bundles; this machine cannot download Electron, so here it is skipped.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { linuxSandboxProblem } from '../../scripts/electron-install.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');

test('the Electron app opens a hardened window that talks to the core', { timeout: 180_000 }, async (t) => {
  const electron = findElectronBinary(ROOT);
  if (!electron.path) {
    return t.skip(`no Electron binary on this machine: ${electron.reason}. Install one (npx install-electron) or set ELECTRON_OVERRIDE_DIST_PATH.`);
  }
  const sandbox = linuxSandboxProblem(electron.path);
  if (sandbox) return t.skip(sandbox);
  const main = join(ROOT, 'dist', 'electron', 'main.cjs');
  if (!existsSync(main) || !existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    const { buildElectron } = await import('../../scripts/build-electron.mjs');
    await buildElectron({ quiet: true });
    assert.ok(existsSync(join(ROOT, 'dist', 'renderer', 'index.html')), 'run npm run build:renderer before this test');
  }

  const { _electron } = await import('playwright');
  const dataDir = await mkdtemp(join(tmpdir(), 'cost-desk-e2e-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  env.COST_DESK_DATA_DIR = dataDir;
  const app = await _electron.launch({ executablePath: electron.path, args: [ROOT, '--password-store=basic'], env, cwd: ROOT });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    assert.equal(new URL(page.url()).origin, 'app://cost-desk');

    // The page sees the bridge and nothing of Node.
    const probe = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown> & { costDesk?: Record<string, unknown> };
      return {
        keys: Object.keys(w.costDesk ?? {}).sort(),
        platform: w.costDesk?.platform,
        require: typeof w.require,
        process: typeof w.process,
      };
    });
    assert.deepEqual(probe, { keys: ['invoke', 'platform', 'subscribe'], platform: 'electron', require: 'undefined', process: 'undefined' });

    type Bridge = { costDesk: { invoke(m: string, i: unknown): Promise<unknown> } };
    const info = (await page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('app.info', {}))) as {
      ok: boolean;
      value: { host: string; mode: string };
    };
    assert.equal(info.ok, true);
    assert.equal(info.value.host, 'electron');
    assert.equal(info.value.mode, 'unconfigured', 'no API key yet: first-run mode');
    const unknown = (await page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('nope', {}))) as { ok: boolean };
    assert.equal(unknown.ok, false);
    // --password-store=basic: Chromium's built-in key, so the key store must say it only obfuscates.
    const settings = (await page.evaluate(() => (window as unknown as Bridge).costDesk.invoke('settings.get', {}))) as {
      value: { keyStorage: string; keyStorageWarning: string | null };
    };
    assert.ok(['basic-text', 'host-encrypted'].includes(settings.value.keyStorage), settings.value.keyStorage);
    assert.ok(settings.value.keyStorageWarning, 'a warning says the key is not protected by an OS keyring');

    // Navigation away and new windows are refused.
    await page.evaluate(() => {
      window.open('https://example.com/', '_blank');
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    assert.equal(new URL(page.url()).origin, 'app://cost-desk');
    assert.equal(app.windows().length, 1);

    // The permission check handler refuses everything.
    const notifications = await page.evaluate(() => navigator.permissions.query({ name: 'notifications' }).then((s) => s.state));
    assert.equal(notifications, 'denied');
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
