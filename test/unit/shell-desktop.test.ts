// Desktop conventions as plain functions: the menus per platform, remembered window bounds,
// the rotating log file and the error page. (desktop-main.test.ts checks them wired into the
// built main.cjs.)
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate, contextMenuTemplate } from '../../electron/desktop/desktop-menu.ts';
import { errorPageHtml, startupFixes } from '../../electron/desktop/error-page.ts';
import { openRotatingLog } from '../../electron/desktop/log-file.ts';
import { WINDOW_STATE_FILE, loadWindowState, saveWindowState } from '../../electron/desktop/window-state.ts';
import { MenuStandIn } from '../electron-standin/menu.ts';
import { tempDir } from '../helpers/temp.ts';

const actions = (platform: NodeJS.Platform, isPackaged: boolean) => ({
  platform,
  appName: 'Telnyx Cost Desk',
  isPackaged,
  reloadApp() {},
  openLogsFolder() {},
});
const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...(i.label ? [i.label] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);

describe('application menu', () => {
  test('macOS has the app menu first; Windows and Linux do not', () => {
    const mac = appMenuTemplate(actions('darwin', true));
    assert.equal(mac[0]!.label, 'Telnyx Cost Desk');
    assert.ok(roles([mac[0]!]).includes('quit'));
    for (const p of ['win32', 'linux'] as const) assert.equal(appMenuTemplate(actions(p, true))[0]!.label, 'File');
  });

  test('Edit, View zoom and Open Logs Folder everywhere; DevTools only unpackaged; every role one Electron knows', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const isPackaged of [true, false]) {
        const t = appMenuTemplate(actions(platform, isPackaged));
        const all = roles(t);
        for (const r of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'zoomIn', 'zoomOut', 'resetZoom', 'Open Logs Folder', 'Reload'])
          assert.ok(all.includes(r), `${platform}: ${r}`);
        assert.equal(all.includes('toggleDevTools'), !isPackaged);
        assert.equal(all.includes('forceReload') || all.includes('reload'), false, 'Reload is ours (loads the app page, also from the error page)');
        MenuStandIn.buildFromTemplate(t as unknown as Record<string, unknown>[]); // throws on an unknown role
      }
    }
  });

  test('context menu: edit actions in a field, Copy on a selection, nothing elsewhere', () => {
    const flags = { canUndo: false, canRedo: false, canCut: false, canCopy: true, canPaste: true, canDelete: false, canSelectAll: true, canEditRichly: false };
    const field = contextMenuTemplate({ isEditable: true, selectionText: '', editFlags: flags });
    assert.deepEqual(
      field.filter((i) => i.role).map((i) => `${i.role}:${i.enabled}`),
      ['undo:false', 'redo:false', 'cut:false', 'copy:true', 'paste:true', 'selectAll:true'],
    );
    assert.deepEqual(
      contextMenuTemplate({ isEditable: false, selectionText: 'abc', editFlags: flags }).map((i) => i.role),
      ['copy'],
    );
    assert.deepEqual(contextMenuTemplate({ isEditable: false, selectionText: ' ', editFlags: flags }), []);
  });
});

describe('window bounds', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  test('saved bounds come back; off-screen, malformed or missing state gives none', () => {
    const dir = tempDir();
    assert.equal(loadWindowState(dir, screens), null);
    saveWindowState(dir, { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true });
    assert.deepEqual(loadWindowState(dir, screens), { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true });
    saveWindowState(dir, { bounds: { x: 3000, y: 80, width: 1200, height: 800 }, maximized: false });
    assert.equal(loadWindowState(dir, screens), null, 'a monitor that is gone');
    assert.deepEqual(loadWindowState(dir, [...screens, { x: 1920, y: 0, width: 2560, height: 1400 }])?.bounds.x, 3000, 'still there');
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"bounds":{"x":1.5,"y":0,"width":-3,"height":9}}');
    assert.equal(loadWindowState(dir, screens), null);
    writeFileSync(join(dir, WINDOW_STATE_FILE), 'not json');
    assert.equal(loadWindowState(dir, screens), null);
  });
});

describe('rotating log file', () => {
  test('rotates by size, keeps the newest files, never splits or loses a line of the kept ones', () => {
    const dir = tempDir();
    const log = openRotatingLog(dir, { maxBytes: 100, keep: 2 });
    const lines = Array.from({ length: 20 }, (_, i) => `{"n":${String(i).padStart(2, '0')},"msg":"x"}\n`); // 21 bytes each
    for (const l of lines) log.write(l);
    log.close();
    assert.deepEqual(readdirSync(dir).sort(), ['main.1.log', 'main.2.log', 'main.log']);
    const kept = ['main.2.log', 'main.1.log', 'main.log'].map((f) => readFileSync(join(dir, f), 'utf8'));
    for (const k of kept) assert.ok(Buffer.byteLength(k) <= 100);
    assert.equal(kept.join(''), lines.slice(-kept.join('').split('\n').length + 1).join(''), 'the newest lines, in order, whole');
    // Reopening appends to the current file.
    const again = openRotatingLog(dir, { maxBytes: 100, keep: 2 });
    again.write('{"n":"again"}\n');
    again.close();
    assert.ok(readFileSync(join(dir, 'main.log'), 'utf8').endsWith('{"n":"again"}\n'));
  });
});

describe('error page', () => {
  test('names the addon fix for a native-module failure and escapes what it shows', () => {
    const fixes = startupFixes("The module '/x/better_sqlite3.node' was compiled against a different Node.js version (NODE_MODULE_VERSION 137)", 'linux');
    assert.match(fixes[0]!, /SQLite addon \(better-sqlite3\) could not be loaded/);
    assert.match(fixes.at(-1)!, /File → Quit/);
    assert.match(startupFixes('x', 'darwin').at(-1)!, /Cmd\+Q/);
    const html = errorPageHtml({ title: 'T', message: '<script>alert(1)</script>', fixes, logsDir: '/logs' });
    assert.ok(!html.includes('<script>'));
    assert.match(html, /default-src 'none'/);
    assert.match(html, /\/logs/);
  });
});
