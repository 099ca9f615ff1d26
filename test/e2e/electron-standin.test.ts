// The stand-in itself, without the app: where Electron's documented default is permissive
// (no permission handler: granted; no window-open handler: allowed; will-navigate not
// prevented: the navigation goes ahead), so is the stand-in — which is what lets
// desktop-main.test.ts fail when main.cjs's guards are missing. And it refuses what it cannot
// model faithfully.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { createElectronStandIn, type ElectronStandIn } from '../electron-standin/index.ts';
import { CHROMIUM, onClose, tempDir, waitFor } from './support/app.ts';
import { browser } from './support/browser.ts';

let e: ElectronStandIn;
type Win = InstanceType<typeof import('../electron-standin/browser-window.ts').BrowserWindowStandIn>;
let win: Win;

describe('the electron stand-in, with no guards installed', { concurrency: false, skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, () => {
  before(async () => {
    const dir = tempDir();
    e = await createElectronStandIn({
      browser: await browser(),
      appPath: dir,
      paths: { home: dir, appData: dir, userData: dir, temp: dir, downloads: dir, logs: dir },
    });
    onClose(() => e.close());
    const m = e.module as unknown as {
      protocol: { registerSchemesAsPrivileged(s: object[]): void; handle(s: string, h: (r: Request) => Response): void };
      BrowserWindow: new (o: object) => Win;
    };
    m.protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    assert.throws(() => new m.BrowserWindow({}), /before app is ready/);
    e.ready();
    assert.throws(() => m.protocol.registerSchemesAsPrivileged([]), /before app is ready/);
    m.protocol.handle('app', () => new Response('<!doctype html><title>t</title><p>hello</p>', { headers: { 'content-type': 'text/html' } }));
    assert.throws(() => m.protocol.handle('app', () => new Response('')), /Failed to register protocol/);
    assert.throws(() => new m.BrowserWindow({ webPreferences: { sandbox: true, nodeIntegration: true } }), /only sandboxed, context-isolated/);
    win = new m.BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true } });
    await win.loadURL('app://test/');
  });

  test('permissions are granted, as Electron grants them without a handler', async () => {
    const page = await win.page();
    assert.equal(await page.evaluate(() => navigator.permissions.query({ name: 'notifications' }).then((s) => s.state)), 'granted');
  });

  test('a new window is allowed and a navigation goes ahead, after will-navigate', async () => {
    const page = await win.page();
    const seen: string[] = [];
    win.webContents.on('will-navigate', (ev: { url: string }) => seen.push(ev.url));
    await page.evaluate(() => void window.open('/other', '_blank'));
    await waitFor(() => e.records.find((r) => r.kind === 'window-open'), 'the window-open decision');
    assert.deepEqual(e.records.find((r) => r.kind === 'window-open')!.args, { url: 'app://test/other', decision: 'allow' });
    await page.evaluate(() => {
      location.href = '/next';
    });
    await waitFor(() => e.session.log.find((l) => l.url === 'app://test/next' && l.outcome === '200'), 'the navigation to load');
    assert.deepEqual(seen, ['app://test/next']);
  });

  test('ipcMain keeps one handler per channel', () => {
    e.ipcMain.handle('x', () => 1);
    assert.throws(() => e.ipcMain.handle('x', () => 2), /second handler for 'x'/);
  });

  test('touching a module the stand-in does not model throws', () => {
    assert.throws(() => (e.module as Record<string, unknown>).powerMonitor, /stand-in has no 'powerMonitor'/);
  });
});
