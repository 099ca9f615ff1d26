// The simulator's HTTP server (node:http, no framework), listening on 127.0.0.1 only.
//   GET  /v2/detail_records, /v2/webhook_deliveries   Telnyx-shaped, Bearer key required
//   GET  /_sim/stats | /_sim/faults | /_sim/clock | /_sim/account
//   POST /_sim/faults | /_sim/clock | /_sim/reset | /_sim/stats/reset ; DELETE /_sim/faults
// Control routes need no key but answer only loopback peers.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GeneratedAccount } from './account.ts';
import { Catalog } from './catalog.ts';
import { SimClock } from './clock.ts';
import { FaultController, renameRow, type ActiveFault, type FaultRule } from './faults.ts';
import type { AccountOptions } from './options.ts';
import { errorBody, listDetailRecords, listWebhookDeliveries, type RouteResult } from './routes.ts';
import { listCallControlApplications, listMessagingProfiles, listConnections } from './settings-routes.ts';
import { usageReport } from './usage-routes.ts';
import { parseMoney } from '../../../shared/money.ts';
import { StatsCounter, type SimStats } from './stats.ts';
import { SimReports } from './batch-reports.ts';

export const DEFAULT_API_KEY = 'KEYSIM0000000000000000000000000000_simulator';

export interface SimulatorOptions extends AccountOptions {
  /** A prebuilt account; otherwise one is generated from the account options. */
  account?: GeneratedAccount;
  apiKey?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default Date.now. */
  now?: () => number;
  /** Make filter[call_leg_id] & co. really filter (default false: ignored, as Telnyx may). */
  honorIdFilters?: boolean;
  faults?: FaultRule | FaultRule[];
  /** Build every index before listening (benchmarks), instead of on first use. */
  warm?: boolean;
}

export interface RunningSimulator {
  /** http://127.0.0.1:<port> */
  url: string;
  /** url + '/v2' */
  baseUrl: string;
  apiKey: string;
  port: number;
  account: GeneratedAccount;
  catalog: Catalog;
  setFaults(rules: FaultRule | FaultRule[]): void;
  clearFaults(): void;
  stats(): SimStats;
  resetStats(): void;
  /** Pin the simulator's clock (null: back to the `now` option plus offset). */
  setNow(ms: number | null): void;
  setClockOffset(ms: number): void;
  now(): number;
  /** Batch detail-record reports: behaviour on demand and what reached the storage URL. */
  reports: SimReports;
  close(): Promise<void>;
}

interface Ctx {
  catalog: Catalog;
  account: GeneratedAccount;
  apiKey: string;
  clock: SimClock;
  faults: FaultController;
  stats: StatsCounter;
  honorIdFilters: boolean;
  reports: SimReports;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = new SimClock(options.now ?? Date.now);
  const account = options.account ?? new GeneratedAccount({ ...options, nowMs: options.nowMs ?? clock.now() });
  const catalog = new Catalog(account);
  if (options.warm) catalog.warm();
  const ctx: Ctx = {
    catalog,
    account,
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    clock,
    faults: new FaultController(),
    stats: new StatsCounter(),
    honorIdFilters: options.honorIdFilters ?? false,
    reports: new SimReports(
      catalog,
      () => clock.now(),
      () => storageOrigin,
    ),
  };
  let storageOrigin = '';
  if (options.faults) ctx.faults.set(options.faults);

  const sockets = new Set<Socket>();
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, errorBody(500, '10007', 'Unexpected error', String((err as Error)?.message ?? err)));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (s) => {
    s.setNoDelay(true);
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // A report's CSV lives on "storage": another origin (another port), as Telnyx's links do.
  const storage = http.createServer((req, res) => ctx.reports.download((req.url ?? '/').split('?')[0]!, req, res));
  storage.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    storage.once('error', reject);
    storage.listen(0, '127.0.0.1', () => resolve());
  });
  storageOrigin = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}/v2`,
    apiKey: ctx.apiKey,
    port,
    account,
    catalog,
    setFaults: (rules) => ctx.faults.set(rules),
    clearFaults: () => ctx.faults.clear(),
    stats: () => ctx.stats.snapshot(),
    resetStats: () => ctx.stats.reset(),
    setNow: (ms) => clock.setNow(ms),
    setClockOffset: (ms) => clock.setOffset(ms),
    now: () => clock.now(),
    reports: ctx.reports,
    close: () =>
      new Promise<void>((resolve) => {
        let open = 2;
        const done = () => --open === 0 && resolve();
        server.close(done);
        storage.close(done);
        for (const s of sockets) s.destroy();
      }),
  };
}

async function handle(ctx: Ctx, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const rawUrl = req.url ?? '/';
  const qi = rawUrl.indexOf('?');
  const path = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
  if (path.startsWith('/_sim/')) return control(ctx, path, req, res);

  const fault = ctx.faults.pick(path);
  if (fault) ctx.stats.fault(fault.kind);
  if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.kind === 'drop' && fault.when === 'before-headers') {
    ctx.stats.request(path, 'dropped');
    req.socket.destroy();
    return;
  }
  const early = fault ? statusFault(fault) : null;
  if (early) {
    ctx.stats.request(path, early.status);
    return send(res, early, early.status === 429 ? rateLimitHeaders(fault!) : undefined);
  }

  let result: RouteResult;
  const auth = req.headers.authorization;
  const authorized = auth !== undefined && /^bearer\s+/i.test(auth) && auth.replace(/^bearer\s+/i, '').trim() === ctx.apiKey;
  if (ctx.reports.handlesPath(path)) {
    result = authorized
      ? ctx.reports.api(req.method ?? 'GET', path, req.method === 'POST' ? await readJson(req).catch(() => null) : null)
      : errorBody(401, '10009', 'Authentication failed', 'The required authentication headers were either invalid or not included in the request.');
    ctx.stats.request(path, result.status);
    return send(res, result, { date: new Date(ctx.clock.now()).toUTCString() });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    result = errorBody(405, '10006', 'Method not allowed', `${req.method} is not supported here`);
  } else if (auth === undefined || !/^bearer\s+/i.test(auth) || auth.replace(/^bearer\s+/i, '').trim() !== ctx.apiKey) {
    result = errorBody(401, '10009', 'Authentication failed', 'The required authentication headers were either invalid or not included in the request.');
  } else {
    const query = new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1));
    if (path === '/v2/detail_records') result = listDetailRecords(ctx.catalog, query, ctx.clock.now(), ctx.honorIdFilters);
    else if (path === '/v2/webhook_deliveries') result = listWebhookDeliveries(ctx.catalog, query, ctx.clock.now());
    else if (path === '/v2/call_control_applications') result = listCallControlApplications(ctx.account);
    else if (path === '/v2/messaging_profiles') result = listMessagingProfiles(ctx.account);
    else if (path === '/v2/connections') result = listConnections(ctx.account);
    else if (path === '/v2/usage_reports') result = usageReport(ctx.account, query, parseMoney(ctx.account.options.usageReportOffset));
    else result = errorBody(404, '10005', 'Resource not found', `No route for ${path}`);
  }

  if (fault && result.status === 200) {
    switch (fault.kind) {
      case 'malformed':
        ctx.stats.request(path, 200);
        return sendText(res, 200, '{"data": "oops"}');
      case 'truncated': {
        const text = JSON.stringify(result.body);
        ctx.stats.request(path, 200);
        // Valid headers for a body that is simply cut: the response completes, the JSON does not parse.
        return sendText(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      }
      case 'renamed':
        result = { ...result, body: { ...result.body, data: result.body.data!.map((r) => renameRow(r as Record<string, unknown>)) } };
        break;
      case 'drop': {
        // mid-body: the headers promise the whole body, half of it arrives, then the socket dies.
        ctx.stats.request(path, 'dropped');
        const buf = Buffer.from(JSON.stringify(result.body));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length });
        res.write(buf.subarray(0, buf.length >> 1), () => req.socket.destroy());
        return;
      }
    }
  }
  ctx.stats.request(path, result.status, result.status === 200 ? result.records : 0);
  // The simulator's own clock (pinned or offset in tests) is the Date it serves, as Telnyx's is.
  send(res, result, { date: new Date(ctx.clock.now()).toUTCString() });
}

function statusFault(f: ActiveFault): RouteResult | null {
  switch (f.kind) {
    case '401':
      return errorBody(401, '10009', 'Authentication failed', 'The required authentication headers were either invalid or not included in the request.');
    case '403':
      return errorBody(403, '10010', 'Authorization failed', 'You are not authorized to perform the requested action.');
    case '429':
      return errorBody(429, '10011', 'Too many requests', 'You have exceeded the maximum number of allowed requests.');
    case '500':
      return errorBody(500, '10007', 'Unexpected error', 'An unexpected error occured.');
    case '503':
      return errorBody(503, '10013', 'Service unavailable', 'The service is temporarily unavailable.');
    default:
      return null;
  }
}

function rateLimitHeaders(f: ActiveFault): Record<string, string> {
  const s = String(Math.max(0, Math.ceil(f.retryAfterSec)));
  return { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': s, 'retry-after': s };
}

function send(res: http.ServerResponse, result: RouteResult, headers?: Record<string, string>): void {
  sendText(res, result.status, JSON.stringify(result.body), headers);
}

function sendText(res: http.ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
  const buf = Buffer.from(text);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': buf.length, ...headers });
  res.end(buf);
}

// --- control routes ---------------------------------------------------------------------------

function isLoopback(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) throw new RangeError('body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}

async function control(ctx: Ctx, path: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (!isLoopback(req.socket.remoteAddress)) {
    return send(res, errorBody(403, '10010', 'Authorization failed', 'control routes answer loopback only'));
  }
  const ok = (body: unknown) => sendText(res, 200, JSON.stringify(body));
  const key = `${req.method} ${path}`;
  try {
    switch (key) {
      case 'GET /_sim/stats':
        return ok(ctx.stats.snapshot());
      case 'POST /_sim/stats/reset':
        ctx.stats.reset();
        return ok({ ok: true });
      case 'GET /_sim/faults':
        return ok({ faults: ctx.faults.describe() });
      case 'POST /_sim/faults': {
        const body = await readJson(req);
        const rules = Array.isArray(body) ? body : ((body as { faults?: unknown }).faults ?? body);
        ctx.faults.set(rules as FaultRule[]);
        return ok({ ok: true, faults: ctx.faults.describe() });
      }
      case 'DELETE /_sim/faults':
        ctx.faults.clear();
        return ok({ ok: true });
      case 'GET /_sim/clock':
        return ok(ctx.clock.describe());
      case 'POST /_sim/clock': {
        const body = (await readJson(req)) as { nowMs?: number | null; offsetMs?: number };
        if (body.offsetMs !== undefined) ctx.clock.setOffset(Number(body.offsetMs));
        if (body.nowMs !== undefined) ctx.clock.setNow(body.nowMs === null ? null : Number(body.nowMs));
        return ok(ctx.clock.describe());
      }
      case 'POST /_sim/reset':
        ctx.faults.clear();
        ctx.stats.reset();
        ctx.clock.reset();
        return ok({ ok: true });
      case 'GET /_sim/account':
        return ok(accountSummary(ctx.account));
      default:
        return send(res, errorBody(404, '10005', 'Resource not found', `No control route ${key}`));
    }
  } catch (err) {
    return send(res, errorBody(400, '10015', 'Bad Request', (err as Error).message));
  }
}

/** Options and numbers (no bigints), enough to rebuild the same account in another process. */
export function accountSummary(a: GeneratedAccount): Record<string, unknown> {
  const { seed: _hashed, ...options } = a.options;
  return {
    options: { ...options, seed: a.options.seedInput },
    callCount: a.callCount,
    messageCount: a.messageCount,
    numbers: a.numbers.map((n) => ({ e164: n.e164, currency: n.currency, deck: n.deck, connectionId: n.connectionId })),
  };
}
