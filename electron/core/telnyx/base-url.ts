// Where the API key may be sent. The key goes in an Authorization header on every request,
// so a base URL decides who receives it: only https, or a loopback address (the simulator,
// tests, a local proxy on this machine). Anything else is refused before a request is made.
import { isIP } from 'node:net';

export class UnsafeBaseUrl extends Error {
  override name = 'UnsafeBaseUrl';
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Parses a base URL the key may be sent to; throws UnsafeBaseUrl (saying why) otherwise. */
export function checkBaseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UnsafeBaseUrl(`not a URL: ${JSON.stringify(url.slice(0, 100))}`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UnsafeBaseUrl(`the Telnyx API base URL must be https, got ${u.protocol}`);
  if (u.username || u.password) throw new UnsafeBaseUrl('the Telnyx API base URL must not carry a user name or password');
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new UnsafeBaseUrl(
      `refusing to send the API key in clear to ${u.host}: a remote Telnyx API base URL must use https (http only for loopback addresses such as 127.0.0.1)`,
    );
  }
  return u;
}

/** The host the key is sent to (what a change of base URL must be checked against). */
export function baseUrlHost(url: string): string {
  return new URL(url).host.toLowerCase();
}
