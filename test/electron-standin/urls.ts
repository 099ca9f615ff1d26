// Chromium outside Electron cannot register a custom scheme (Electron does that in its own
// build), so a page cannot be at app://cost-desk/. The stand-in carries a privileged scheme's
// URLs over https (also a standard, secure scheme): app://H/p is https://H.app-scheme.invalid/p
// inside Chromium, and every boundary the main process sees — loadURL, protocol.handle
// requests, frame URLs, navigation and window-open events — is translated back, so main.cjs
// only ever sees app:// URLs, as under Electron. `.invalid` never resolves (RFC 2606); nothing
// under it leaves the browser, every request is answered by the stand-in's routes.
const SUFFIX = '-scheme.invalid';

export function toPage(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'data:' || u.protocol === 'about:') return url;
  const scheme = u.protocol.slice(0, -1);
  return `https://${u.host}.${scheme}${SUFFIX}${u.pathname}${u.search}${u.hash}`;
}

export function fromPage(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.protocol !== 'https:' || !u.hostname.endsWith(SUFFIX)) return url;
  const head = u.hostname.slice(0, -SUFFIX.length);
  const dot = head.lastIndexOf('.');
  return `${head.slice(dot + 1)}://${head.slice(0, dot)}${u.port ? `:${u.port}` : ''}${u.pathname}${u.search}${u.hash}`;
}
