// How the Telnyx client's requests leave the process, injectable per host. The default is
// undici: a Pool per client, or — for https when HTTPS_PROXY / HTTP_PROXY is set — undici's
// EnvHttpProxyAgent, which honours NO_PROXY too (the CLI and the browser host). Plain http
// (only ever loopback: the simulator) is never proxied, so the key never crosses a proxy
// unencrypted. A host with a better network stack passes its own fetch: the desktop app gives
// Electron's net.fetch, which follows the OS proxy and PAC settings.
import { EnvHttpProxyAgent, Pool } from 'undici';

export interface TransportRequest {
  /** POST only creates a batch report (telnyx/batch-reports.ts); everything else reads. */
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** JSON text of a POST. */
  body?: string;
  signal: AbortSignal;
  headersTimeout: number;
  bodyTimeout: number;
}

export interface TransportResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: { text(): Promise<string> };
}

export interface TelnyxTransport {
  request(r: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/** A transport factory for one origin (the client builds its transport when it is created). */
export type TransportFactory = (origin: string, o: { connections: number; headersMs: number; bodyMs: number }) => TelnyxTransport;

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const;

export function proxyFromEnv(env: NodeJS.ProcessEnv): string | null {
  for (const k of PROXY_VARS) if (env[k]) return env[k]!;
  return null;
}

export function undiciTransport(env: NodeJS.ProcessEnv = process.env): TransportFactory {
  return (origin, o) => {
    const common = {
      connections: o.connections,
      pipelining: 1,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: o.headersMs,
      bodyTimeout: o.bodyMs,
      maxResponseSize: 64 * 1024 * 1024,
    };
    const proxy = origin.startsWith('https:') ? proxyFromEnv(env) : null;
    const dispatcher = proxy
      ? new EnvHttpProxyAgent({
          ...common,
          httpProxy: proxy,
          httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? proxy,
          noProxy: env.NO_PROXY ?? env.no_proxy ?? '',
        })
      : new Pool(origin, common);
    return {
      request: (r) => dispatcher.request({ ...r, origin }),
      close: () => dispatcher.close(),
      destroy: () => dispatcher.destroy(),
    };
  };
}

/**
 * Requests through a fetch function (Electron's net.fetch in the desktop app). No cookies,
 * no cache, no redirects followed (undici's Pool follows none either): the Authorization
 * header goes to the Telnyx origin and nowhere else.
 */
export function fetchTransport(fetchFn: (url: string, init: RequestInit & { cache?: 'no-store' }) => Promise<Response>): TransportFactory {
  return (origin, o) => {
    const open = new Set<AbortController>();
    // At most `connections` requests in flight, as with the Pool: a slot is held until the body is read.
    let active = 0;
    const waiting: Array<() => void> = [];
    const acquire = () => (active < o.connections ? (active++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve)));
    const release = () => {
      const next = waiting.shift();
      if (next) next();
      else active--;
    };
    return {
      async request(r) {
        await acquire();
        const ctl = new AbortController();
        const onAbort = () => ctl.abort(r.signal.reason);
        r.signal.addEventListener('abort', onAbort, { once: true });
        open.add(ctl);
        try {
          const res = await fetchFn(`${origin}${r.path}`, {
            method: r.method,
            headers: r.headers,
            body: r.body,
            signal: ctl.signal,
            redirect: 'error',
            credentials: 'omit',
            cache: 'no-store',
          });
          const headers: Record<string, string> = {};
          res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
          return {
            statusCode: res.status,
            headers,
            body: {
              text: () => res.text().finally(() => cleanup()),
            },
          };
        } catch (err) {
          cleanup();
          throw err;
        }
        function cleanup() {
          if (!open.delete(ctl)) return;
          r.signal.removeEventListener('abort', onAbort);
          release();
        }
      },
      async close() {},
      async destroy() {
        for (const c of open) c.abort();
        open.clear();
      },
    };
  };
}
