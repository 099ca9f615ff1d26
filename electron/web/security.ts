// The browser host's gatekeeping. Anything on this machine (other users' processes, any web
// page the user visits) can reach a loopback port, so:
//  - the API needs a per-run random token (compared in constant time);
//  - the Host header must name our loopback address and port (DNS rebinding: a hostile
//    domain re-pointed at 127.0.0.1 still sends its own name as Host);
//  - an Origin header, when sent, must be our own origin (cross-site fetch/XHR/forms);
//  - Sec-Fetch-Site, when sent, must say the request is same-origin or user-initiated.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-cost-desk-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality that also hides the length of the expected token. */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

export interface OriginPolicy {
  /** Host header values we answer to, e.g. "127.0.0.1:51234" and "localhost:51234". */
  hosts: ReadonlySet<string>;
  /** Origins we accept, e.g. "http://127.0.0.1:51234". */
  origins: ReadonlySet<string>;
}

export function originPolicy(bindHost: string, port: number): OriginPolicy {
  const names = bindHost === '::1' ? ['[::1]', 'localhost'] : [bindHost, 'localhost'];
  const hosts = new Set(names.map((n) => `${n}:${port}`));
  return { hosts, origins: new Set([...hosts].map((h) => `http://${h}`)) };
}

/** Null when the request may proceed, else why it is refused (answered with 403). */
export function requestRefusal(req: IncomingMessage, policy: OriginPolicy, forApi: boolean): string | null {
  const host = req.headers.host?.toLowerCase();
  if (!host || !policy.hosts.has(host)) return 'unexpected Host header';
  const origin = req.headers.origin;
  if (origin !== undefined && !policy.origins.has(origin.toLowerCase())) return 'cross-origin request';
  if (forApi) {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site request';
  }
  return null;
}
