// The app:// protocol: how the desktop window gets its HTML, JS and CSS. Registered as
// standard + secure before the app is ready, then handled by serving files from
// dist/renderer with the same traversal guard and CSP as the browser host. Requests for
// any other host, any method but GET/HEAD, or a path outside the folder get no file.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';
import { SECURITY_HEADERS, cacheControlFor, contentTypeFor, rendererMissingPage, resolveStaticPath } from '../hosts/static-files.ts';

/** For protocol.registerSchemesAsPrivileged, which must run before app 'ready'. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true, // a real origin: relative URLs, 'self' in CSP, localStorage
    secure: true, // treated like https (secure context)
    supportFetchAPI: true,
    corsEnabled: false,
    bypassCSP: false, // never: our CSP must apply to our own pages
    allowServiceWorkers: false,
    stream: false,
    codeCache: false,
  },
};

function respond(status: number, body: string | Uint8Array | null, headers: Record<string, string> = {}): Response {
  return new Response(body as ConstructorParameters<typeof Response>[0], { status, headers: { ...SECURITY_HEADERS, ...headers } });
}

/** The handler for protocol.handle('app', ...): a fetch-style function, testable in Node. */
export function createAppProtocolHandler(options: { rendererDir: string }): (request: Request) => Promise<Response> {
  const { rendererDir } = options;
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'bad request', { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
      return respond(404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return respond(405, 'method not allowed', { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
    }
    if (!existsSync(join(rendererDir, 'index.html'))) {
      return respond(503, rendererMissingPage(rendererDir), { 'Content-Type': 'text/html; charset=utf-8' });
    }
    // request.url is already normalised by the URL parser ("/../x" -> "/x"); the resolver
    // also refuses encoded traversal ("%2e%2e/", "..%2f") that survives that step.
    const resolved = await resolveStaticPath(rendererDir, url.pathname);
    if (resolved.kind === 'forbidden') return respond(403, 'forbidden', { 'Content-Type': 'text/plain; charset=utf-8' });
    if (resolved.kind === 'not_found') return respond(404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8' });
    const headers = {
      'Content-Type': contentTypeFor(resolved.file),
      'Content-Length': String(resolved.size),
      'Cache-Control': cacheControlFor(rendererDir, resolved.file),
    };
    if (request.method === 'HEAD') return respond(200, null, headers);
    return respond(200, await readFile(resolved.file), headers);
  };
}
