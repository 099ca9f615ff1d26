// The main window's options, checked on what createMainWindow really passes to the
// BrowserWindow constructor (a recording stand-in: no Electron binary runs here).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, showWhenReady, windowOptions } from '../../electron/desktop/window.ts';

test('every hardening switch is set, with the preload path', () => {
  const o = windowOptions('/app/dist/electron/preload.cjs');
  const wp = o.webPreferences!;
  assert.equal(wp.preload, '/app/dist/electron/preload.cjs');
  assert.equal(wp.contextIsolation, true);
  assert.equal(wp.sandbox, true);
  assert.equal(wp.nodeIntegration, false);
  assert.equal(wp.nodeIntegrationInWorker, false);
  assert.equal(wp.nodeIntegrationInSubFrames, false);
  assert.equal(wp.webSecurity, true);
  assert.equal(wp.allowRunningInsecureContent, false);
  assert.equal(wp.webviewTag, false);
  assert.equal(wp.spellcheck, false);
  assert.equal(wp.experimentalFeatures, false);
  assert.equal(o.show, false, 'hidden until ready-to-show');
  assert.equal('enableBlinkFeatures' in wp, false);
  assert.equal(wp.devTools, false, 'no DevTools unless asked (packaged builds)');
  assert.equal(windowOptions('/p.cjs', { devTools: true }).webPreferences!.devTools, true);
});

test('remembered bounds place the window', () => {
  const o = windowOptions('/p.cjs', { bounds: { x: 40, y: 30, width: 1000, height: 700 } });
  assert.deepEqual([o.x, o.y, o.width, o.height], [40, 30, 1000, 700]);
  const fresh = windowOptions('/p.cjs');
  assert.deepEqual([fresh.x, fresh.y, fresh.width, fresh.height], [undefined, undefined, 1280, 820]);
});

test('createMainWindow hands those options to the constructor', () => {
  let seen: BrowserWindowConstructorOptions | undefined;
  class FakeWindow {
    constructor(o: BrowserWindowConstructorOptions) {
      seen = o;
    }
  }
  const win = createMainWindow(FakeWindow, '/p.cjs');
  assert.ok(win instanceof FakeWindow);
  assert.deepEqual(seen, windowOptions('/p.cjs'));
});

test('the window is shown only after ready-to-show', () => {
  const win = Object.assign(new EventEmitter(), {
    shown: 0,
    show() {
      this.shown++;
    },
  });
  showWhenReady(win);
  assert.equal(win.shown, 0);
  win.emit('ready-to-show');
  win.emit('ready-to-show');
  assert.equal(win.shown, 1);
});
