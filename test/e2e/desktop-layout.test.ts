// main.cjs finds its renderer and preload beside itself, whatever app.getAppPath() says: here it
// runs from a copy laid out as electron-builder packs app.asar (package.json + dist/), with
// app.getAppPath() answering dist/electron — what `electron dist/electron/main.cjs` once gave,
// which used to resolve dist/electron/dist/... (no bridge, a 503 page).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM, ROOT, tempDir } from './support/app.ts';
import { startDesktop } from './support/desktop.ts';

test(
  'a packaged-style copy resolves the renderer and preload from main.cjs, not the app path',
  { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`, timeout: 60_000 },
  async () => {
    const app = join(tempDir('cost-desk-asar-like-'), 'app');
    mkdirSync(join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(app, 'package.json'));
    cpSync(join(ROOT, 'dist', 'electron'), join(app, 'dist', 'electron'), { recursive: true });
    cpSync(join(ROOT, 'dist', 'renderer'), join(app, 'dist', 'renderer'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules')); // better-sqlite3, as the asar carries it
    const d = await startDesktop({ bundle: join(app, 'dist', 'electron', 'main.cjs'), appPath: join(app, 'dist', 'electron') });
    await d.page.getByTestId('mode-badge').waitFor();
    assert.equal(d.window.options.webPreferences!.preload, join(app, 'dist', 'electron', 'preload.cjs'));
    assert.ok(d.electron.session.log.some((l) => l.url === 'app://cost-desk/' && l.outcome === '200'));
    assert.equal(await d.page.evaluate(() => typeof (window as unknown as { costDesk?: object }).costDesk), 'object');
  },
);
