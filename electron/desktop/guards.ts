// What the renderer may not do: navigate away from app://cost-desk, open windows, attach
// <webview>s, or get any permission (camera, notifications, clipboard-read, ...). Links to a
// short allowlist of Telnyx pages open in the user's browser instead; everything else is
// simply refused. Installed on every WebContents the app ever creates.
import type { App, Session, WebContents } from 'electron';
import { isAppUrl } from './app-origin.ts';

/** Pages the renderer may link to (API-key help, portal); opened in the system browser. */
export const EXTERNAL_HOSTS: readonly string[] = ['telnyx.com', 'portal.telnyx.com', 'developers.telnyx.com', 'support.telnyx.com'];

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && EXTERNAL_HOSTS.includes(u.hostname);
  } catch {
    return false;
  }
}

export type OpenExternal = (url: string) => Promise<void>;

function openIfAllowed(url: string, openExternal: OpenExternal | undefined): void {
  if (!openExternal || !isAllowedExternalUrl(url)) return;
  // Only https links to the hosts above reach the OS; the result is not awaited by the guard.
  openExternal(url).catch(() => undefined); /* eng-disable OPEN_EXTERNAL_JS_CHECK: https-only, exact-host allowlist checked by isAllowedExternalUrl */
}

// setWindowOpenHandler is a setter: a second call would replace the guarded handler (and a
// second set of listeners would be noise). Each WebContents is guarded exactly once.
const guarded = new WeakSet<object>();

/** Navigation, redirect and window-open guards for one WebContents (a no-op on an already guarded one). */
export function installNavigationGuards(contents: WebContents, openExternal?: OpenExternal): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.on('will-navigate', (event, url) => {
    const target = event.url || url;
    if (isAppUrl(target)) return;
    event.preventDefault();
    openIfAllowed(target, openExternal);
  });
  contents.on('will-redirect', (event, url) => {
    const target = event.url || url;
    if (!isAppUrl(target)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url, openExternal);
    return { action: 'deny' };
  });
}

/** Every permission request and check is refused: the app needs none. */
export function installSessionGuards(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** App-wide: any WebContents created later (by anyone) gets the same guards and no <webview>. */
export function installAppGuards(app: App, openExternal?: OpenExternal): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    installNavigationGuards(contents, openExternal);
  });
}
