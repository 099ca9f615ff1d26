// Navigation, window-open, webview and permission guards, driven through stand-ins for
// WebContents, Session and App (Electron itself cannot run on this machine).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { App, Session, WebContents } from 'electron';
import { isAppUrl } from '../../electron/desktop/app-origin.ts';
import { installAppGuards, installNavigationGuards, installSessionGuards, isAllowedExternalUrl } from '../../electron/desktop/guards.ts';

type OpenHandler = (details: { url: string }) => { action: string };

class FakeContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(h: OpenHandler) {
    this.openHandler = h;
  }
  /** Emits like Electron: an event object with preventDefault, then the URL. */
  fire(name: string, url: string): boolean {
    let prevented = false;
    const event = { url, preventDefault: () => void (prevented = true) };
    this.emit(name, event, url);
    return prevented;
  }
}

function guarded() {
  const contents = new FakeContents();
  const opened: string[] = [];
  installNavigationGuards(contents as unknown as WebContents, async (url) => void opened.push(url));
  return { contents, opened };
}

test('isAppUrl accepts only app://cost-desk', () => {
  assert.equal(isAppUrl('app://cost-desk/'), true);
  assert.equal(isAppUrl('app://cost-desk/assets/x.js?y#z'), true);
  for (const u of ['app://evil/', 'https://cost-desk/', 'file:///etc/passwd', 'app://x@cost-desk/', 'javascript:alert(1)', '', null, undefined, 'not a url']) {
    assert.equal(isAppUrl(u), false, String(u));
  }
});

test('navigation away from the app origin is prevented; inside it is allowed', () => {
  const { contents, opened } = guarded();
  assert.equal(contents.fire('will-navigate', 'app://cost-desk/#/calls'), false);
  assert.equal(contents.fire('will-navigate', 'https://evil.example/'), true);
  assert.equal(contents.fire('will-navigate', 'file:///etc/passwd'), true);
  assert.equal(contents.fire('will-navigate', 'app://other/'), true);
  assert.equal(contents.fire('will-redirect', 'https://evil.example/'), true);
  assert.equal(contents.fire('will-redirect', 'app://cost-desk/index.html'), false);
  assert.deepEqual(opened, []);
  // An allowlisted page is kept out of the window but opened in the system browser.
  assert.equal(contents.fire('will-navigate', 'https://portal.telnyx.com/#/app/api-keys'), true);
  assert.deepEqual(opened, ['https://portal.telnyx.com/#/app/api-keys']);
});

test('window.open is always denied; only allowlisted https pages go to the system browser', () => {
  const { contents, opened } = guarded();
  const open = contents.openHandler!;
  assert.deepEqual(open({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(open({ url: 'https://developers.telnyx.com/docs' }), { action: 'deny' });
  assert.deepEqual(opened, ['https://developers.telnyx.com/docs']);
  for (const url of [
    'http://telnyx.com/',
    'https://telnyx.com.evil.example/',
    'https://user@portal.telnyx.com/',
    'https://portal.telnyx.com:8443/',
    'file:///etc/passwd',
    'smb://telnyx.com/x',
  ]) {
    assert.equal(isAllowedExternalUrl(url), false, url);
    open({ url });
  }
  assert.deepEqual(opened, ['https://developers.telnyx.com/docs']);
});

test('every permission request and check is refused', () => {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const session = {
    setPermissionRequestHandler: (h: never) => void (handlers.request = h),
    setPermissionCheckHandler: (h: never) => void (handlers.check = h),
    setDevicePermissionHandler: (h: never) => void (handlers.device = h),
  };
  installSessionGuards(session as unknown as Session);
  const granted: boolean[] = [];
  for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
    (handlers.request as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)({}, permission, (ok) => granted.push(ok));
    assert.equal((handlers.check as (wc: unknown, p: string) => boolean)({}, permission), false);
  }
  assert.deepEqual(granted, [false, false, false, false, false]);
  assert.equal((handlers.device as (d: unknown) => boolean)({}), false);
});

test('every new WebContents gets the guards, and <webview> attachment is blocked', () => {
  const app = new EventEmitter();
  installAppGuards(app as unknown as App, async () => undefined);
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  let prevented = false;
  contents.emit('will-attach-webview', { preventDefault: () => void (prevented = true) }, {}, {});
  assert.equal(prevented, true);
  assert.equal(contents.fire('will-navigate', 'https://evil.example/'), true);
  assert.deepEqual(contents.openHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
});

test('a WebContents is guarded once: a second install neither replaces the window-open handler nor adds listeners', () => {
  let sets = 0;
  const contents = Object.assign(new EventEmitter(), {
    setWindowOpenHandler() {
      sets++;
    },
  });
  installNavigationGuards(contents as unknown as WebContents, async () => undefined);
  installNavigationGuards(contents as unknown as WebContents);
  assert.equal(sets, 1);
  assert.equal(contents.listenerCount('will-navigate'), 1);
});
