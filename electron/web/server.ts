// The browser host: the same renderer and the same core as the desktop app, over loopback
// HTTP. Routes:
//   GET  /, /assets/...            the built renderer (no token: static files hold no data)
//   POST /api/call/<method>        JSON body -> dispatch() -> JSON Result   (header token)
//   GET  /api/events?token=        Server-Sent Events from the core's EventBus
//   GET  /api/download/<id>?token= a one-time CSV download registered by export.run
// Every request must carry our Host (and, if any, our Origin); see security.ts.
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ExportRequest, Output, Result } from '../../shared/contract.ts';
import { dispatch } from '../core/api/dispatch.ts';
import { reportFileName, withHostMethods, type HostCore } from '../hosts/host-core.ts';
import { SECURITY_HEADERS, cacheControlFor, contentTypeFor, rendererMissingPage, resolveStaticPath } from '../hosts/static-files.ts';
import { DownloadRegistry } from './downloads.ts';
import { TOKEN_HEADER, newToken, originPolicy, requestRefusal, tokenMatches } from './security.ts';
import { openEventStream } from './sse.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Loopback only: the browser host must never be reachable from another machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1']);

export interface WebHostOptions {
  core: Pick<HostCore, 'api' | 'events' | 'exportReport'>;
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Normally generated per run; tests may pass one. */
  token?: string;
  heartbeatMs?: number;
  downloadTtlMs?: number;
  onInternalError?: (err: unknown, where: string) => void;
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=TOKEN — what the user opens. */
  url: string;
  origin: string;
  port: number;
  host: string;
  token: string;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`the browser host only listens on loopback (127.0.0.1 or ::1), not ${JSON.stringify(host)}`);
  }
  const token = options.token ?? newToken();
  if (token.length < 16) throw new Error('the access token must be at least 16 characters');
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const downloads = new DownloadRegistry(options.downloadTtlMs);
  const streams = new Set<() => void>();
  const { core, rendererDir } = options;
  const onInternalError = options.onInternalError;

  const api = withHostMethods(core.api, {
    // The browser cannot be handed a file path: register a one-time download instead.
    'export.run': async (request: ExportRequest): Promise<Output<'export.run'>> => {
      const id = downloads.register(request);
      return {
        savedTo: null,
        downloadUrl: `/api/download/${id}?token=${encodeURIComponent(token)}`,
        rows: null,
        cancelled: false,
      };
    },
  });

  let policy = originPolicy(host, 0);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      onInternalError?.(err, 'web host');
      if (!res.headersSent) sendJson(res, 500, failure('internal', 'the browser host failed to answer this request'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    if (!rawUrl.startsWith('/')) return sendText(res, 400, 'bad request');
    const rawPath = rawUrl.split('?')[0] ?? '/';
    const query = new URLSearchParams(rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '');
    const isApi = rawPath === '/api' || rawPath.startsWith('/api/');

    const refusal = requestRefusal(req, policy, isApi);
    if (refusal) return isApi ? sendJson(res, 403, failure('invalid_input', `forbidden: ${refusal}`)) : sendText(res, 403, `forbidden: ${refusal}`);

    if (isApi) {
      // Calls carry the token in a header (never in a URL); EventSource and download links
      // cannot set headers, so those GETs take it from the query string.
      const given = req.method === 'GET' ? (req.headers[TOKEN_HEADER] ?? query.get('token')) : req.headers[TOKEN_HEADER];
      if (!tokenMatches(token, given)) {
        req.resume(); // drain the body; nothing from it is read
        return sendJson(
          res,
          401,
          failure('invalid_input', 'missing or wrong access token', 'Open the address printed by `npm run web` (it includes ?token=...).'),
        );
      }
      return routeApi(req, res, rawPath);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    return serveStatic(req, res, rawPath);
  }

  async function routeApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path.startsWith('/api/call/')) {
      if (req.method !== 'POST') return sendJson(res, 405, failure('invalid_input', 'use POST for /api/call'), { Allow: 'POST' });
      let method: string;
      try {
        method = decodeURIComponent(path.slice('/api/call/'.length));
      } catch {
        return sendJson(res, 400, failure('invalid_input', 'malformed method name'));
      }
      const body = await readJsonBody(req);
      if (!body.ok) return sendJson(res, body.status, failure('invalid_input', body.message));
      const started = performance.now();
      const result = await dispatch(api, method, body.value, (err, m) => onInternalError?.(err, m));
      // How long the core took, for the page's own timing (Resource Timing's serverTiming;
      // the first-paint benchmark reports it). Same-origin only: no Timing-Allow-Origin.
      const serverTiming = `core;dur=${(performance.now() - started).toFixed(1)}`;
      return sendJson(res, 200, result, { 'Server-Timing': serverTiming });
    }
    if (path === '/api/events') {
      if (req.method !== 'GET') return sendJson(res, 405, failure('invalid_input', 'use GET for /api/events'), { Allow: 'GET' });
      const close = openEventStream(req, res, core.events, SECURITY_HEADERS, heartbeatMs);
      streams.add(close);
      req.on('close', () => streams.delete(close));
      return;
    }
    if (path.startsWith('/api/download/')) {
      if (req.method !== 'GET') return sendJson(res, 405, failure('invalid_input', 'use GET for downloads'), { Allow: 'GET' });
      const request = downloads.take(path.slice('/api/download/'.length));
      if (!request) return sendJson(res, 404, failure('not_found', 'this download link was already used or has expired', 'Export again.'));
      return streamDownload(req, res, request);
    }
    return sendJson(res, 404, failure('not_found', `no such endpoint ${path.slice(0, 80)}`));
  }

  async function streamDownload(req: IncomingMessage, res: ServerResponse, request: ExportRequest): Promise<void> {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${reportFileName(request)}"`,
      'Cache-Control': 'no-store',
    });
    const abort = new AbortController();
    req.on('close', () => {
      if (!res.writableFinished) abort.abort(new Error('the download was closed by the browser'));
    });
    try {
      await core.exportReport(request, res, abort.signal);
      if (!res.writableEnded) res.end();
    } catch (err) {
      // Headers are gone: the only honest signal left is a broken transfer.
      if (!abort.signal.aborted) onInternalError?.(err, 'export download');
      res.destroy();
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    if (!existsSync(join(rendererDir, 'index.html'))) {
      return send(res, 503, rendererMissingPage(rendererDir), { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    }
    const resolved = await resolveStaticPath(rendererDir, rawPath);
    if (resolved.kind === 'forbidden') return sendText(res, 403, 'forbidden');
    if (resolved.kind === 'not_found') return sendText(res, 404, 'not found');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeFor(resolved.file),
      'Content-Length': String(resolved.size),
      'Cache-Control': cacheControlFor(rendererDir, resolved.file),
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(resolved.file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  policy = originPolicy(host, address.port);
  const origin = `http://${host === '::1' ? '[::1]' : host}:${address.port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port: address.port,
    host,
    token,
    async close() {
      for (const close of streams) close();
      streams.clear();
      downloads.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

// ---------- small helpers ----------

function failure(code: 'invalid_input' | 'not_found' | 'internal', message: string, action?: string): Result<never> {
  return { ok: false, error: action ? { code, message, action } : { code, message } };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  send(res, status, body, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; message: string };

/** Reads at most MAX_BODY_BYTES of JSON; an empty body is "no input" ({}). */
function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const tooLarge: BodyResult = { ok: false, status: 413, message: `request body too large (limit ${MAX_BODY_BYTES} bytes)` };
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit we keep draining (without keeping bytes) so the 413 can still be sent.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return resolve(tooLarge);
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') return resolve({ ok: true, value: {} });
      try {
        resolve({ ok: true, value: JSON.parse(text) as unknown });
      } catch {
        resolve({ ok: false, status: 400, message: 'the request body is not valid JSON' });
      }
    });
  });
}
