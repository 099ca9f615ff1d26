// The HTTP layer under the Telnyx client: one undici Pool per client (keep-alive, a fixed
// number of connections, so concurrency is bounded by construction), per-request header and
// body timeouts, retries with jittered exponential backoff for the transient failures, and a
// rate governor shared by every request of the client.
//
// The API key lives only in keyUse's closure: it is turned into the Authorization header there,
// and every text the server sends back is scrubbed of it before it can reach an error or a
// log line (a proxy or server that echoes the header must not leak it either).
import type { Clock } from '../util/clock.ts';
import { systemClock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { silentLogger } from '../util/logger.ts';
import { TelnyxError, parseApiErrors, sanitizePath, type TelnyxErrorKind } from './errors.ts';
import { undiciTransport, type TransportFactory } from './transport.ts';
import { parseJsonExact } from '../util/exact-json.ts';
import { checkBaseUrl } from './base-url.ts';

export interface RetryPolicy {
  /** Total attempts (first try included) for 5xx, timeouts and network errors. */
  attempts: number;
  /** Total attempts when the body is unreadable (not JSON, wrong envelope). */
  malformedAttempts: number;
  /** Total attempts when Telnyx answers 429. */
  rateLimitAttempts: number;
  /** First backoff step; doubles each retry up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** A 429 asking for a longer wait fails at once (retryAfterMs set) instead of sleeping. */
  maxRateLimitWaitMs: number;
  /** Wait when x-ratelimit-remaining hits 0 without a usable x-ratelimit-reset. */
  defaultRateLimitWaitMs: number;
  /** [0, 1) jitter source; injectable so tests can pin the schedule. */
  random: () => number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 5,
  malformedAttempts: 3,
  rateLimitAttempts: 8,
  baseMs: 500,
  maxMs: 30_000,
  maxRateLimitWaitMs: 120_000,
  defaultRateLimitWaitMs: 1_000,
  random: Math.random,
});

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECTIONS = 8;

export interface TimeoutOptions {
  /** Time allowed until the response headers arrive. */
  headersMs?: number;
  /** Time allowed to read the whole body once the headers are in. */
  bodyMs?: number;
}

export interface TelnyxHttpOptions {
  baseUrl: string;
  apiKey: string;
  clock?: Clock;
  logger?: Logger;
  /** One number sets both the headers and the body timeout. */
  timeoutMs?: number | TimeoutOptions;
  retry?: Partial<RetryPolicy>;
  /** Sockets in the pool: the hard ceiling on concurrent requests of this client. */
  connections?: number;
  userAgent?: string;
  /** How requests are sent (default: undici, honouring HTTPS_PROXY / NO_PROXY; see transport.ts). */
  transport?: TransportFactory;
}

export type Query = ReadonlyArray<readonly [string, string]>;

export interface GetJsonOptions<T> {
  query?: Query;
  signal?: AbortSignal;
  /**
   * Checks the decoded JSON. Throwing marks the response malformed (retried a few times,
   * then reported); the thrown message becomes part of the error's reason.
   */
  parse: (json: unknown) => T;
  /** Overrides the attempt budgets for this request (verifyKey uses 2). */
  attempts?: number;
  /** A POST with this JSON body (batch report requests); default GET. */
  postJson?: unknown;
}

export interface TelnyxHttp {
  getJson<T>(path: string, options: GetJsonOptions<T>): Promise<T>;
  /** Telnyx's clock minus ours, from the last response's Date header (1 s resolution); null before any. */
  serverClockOffsetMs(): number | null;
  close(): Promise<void>;
  /** Scheme, host and port requests go to (no credentials). */
  readonly origin: string;
  /** Headers for a download of `url`: the key only when `url` is on the API's own origin. */
  downloadHeaders(url: string): Record<string, string>;
  /** Removes the key from a text the server sent back. */
  scrub(text: string): string;
}

type Group = 'transient' | 'malformed' | 'rate';

interface Failure {
  error: TelnyxError;
  group: Group | null; // null: never retried
  /** For 429: the wait the server asked for (null: use backoff). */
  waitMs?: number | null;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** What one client's requests share, passed to the functions below. */
interface HttpState {
  clock: Clock;
  log: Logger;
  retry: RetryPolicy;
  timeouts: Required<TimeoutOptions>;
  userAgent: string;
  basePath: string;
  pool: ReturnType<TransportFactory>;
  governor: RateGovernor;
  key: KeyUse;
  /** Telnyx's clock minus ours, from the last Date header. */
  lastOffsetMs: number | null;
}

/**
 * The API key, held by this closure only: the Authorization header is made here, and every
 * text from the server goes through scrub() before it can reach an error or a log line.
 */
interface KeyUse {
  /** Why the key cannot be sent at all (empty, or characters no key has), else null. */
  problem: string | null;
  authorization(): string;
  scrub(text: string): string;
}

function keyUse(rawKey: string): KeyUse {
  const apiKey = rawKey.trim();
  const authorization = `Bearer ${apiKey}`;
  return {
    problem: apiKey.length === 0 ? 'empty' : /[^\x21-\x7e]/.test(apiKey) ? 'not valid: it has a space, a line break or another character no API key has' : null,
    authorization: () => authorization,
    scrub: (text) => (apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text),
  };
}

export function createTelnyxHttp(options: TelnyxHttpOptions): TelnyxHttp {
  const clock = options.clock ?? systemClock;
  const timeouts = resolveTimeouts(options.timeoutMs);
  const connections = Math.max(1, Math.floor(options.connections ?? DEFAULT_CONNECTIONS));
  // The key is only ever sent over https or to loopback (base-url.ts): checked before anything.
  const base = checkBaseUrl(options.baseUrl);
  const origin = base.origin; // URL.origin drops user:password
  const st: HttpState = {
    clock,
    log: (options.logger ?? silentLogger()).child({ component: 'telnyx-http' }),
    retry: { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}) },
    timeouts,
    userAgent: options.userAgent ?? 'telnyx-cost-desk/0.1',
    basePath: base.pathname.replace(/\/+$/, ''),
    pool: (options.transport ?? undiciTransport())(origin, { connections, headersMs: timeouts.headersMs, bodyMs: timeouts.bodyMs }),
    governor: new RateGovernor(clock),
    key: keyUse(options.apiKey),
    lastOffsetMs: null,
  };
  return {
    getJson: (path, opts) => getJson(st, path, opts),
    close: () => closePool(st.pool),
    origin,
    serverClockOffsetMs: () => st.lastOffsetMs,
    downloadHeaders: (url) => downloadHeaders(st, origin, url),
    scrub: (text) => st.key.scrub(text),
  };
}

/**
 * Headers for a download of a URL Telnyx handed us (a batch report's report_url). The key goes
 * only to the API's own origin (the same scheme, host and port as the base URL, itself https
 * or loopback): a report_url on Telnyx's storage is a link that needs no key, and a key sent
 * there would be a key given to another host.
 */
function downloadHeaders(st: HttpState, origin: string, url: string): Record<string, string> {
  const sameOrigin = new URL(url).origin === origin;
  return sameOrigin
    ? { authorization: st.key.authorization(), accept: 'text/csv, */*', 'user-agent': st.userAgent }
    : { accept: 'text/csv, */*', 'user-agent': st.userAgent };
}

async function getJson<T>(st: HttpState, path: string, opts: GetJsonOptions<T>): Promise<T> {
  const { clock, log, retry, governor } = st;
  const qs = opts.query && opts.query.length > 0 ? `?${new URLSearchParams(opts.query.map(([k, v]): [string, string] => [k, v])).toString()}` : '';
  const requestPath = `${st.basePath}${path.startsWith('/') ? path : `/${path}`}${qs}`;
  const shownPath = sanitizePath(requestPath);
  const signal = opts.signal;
  const budgets: Record<Group, number> = {
    transient: opts.attempts ?? retry.attempts,
    malformed: Math.min(opts.attempts ?? retry.malformedAttempts, retry.malformedAttempts),
    rate: opts.attempts ?? retry.rateLimitAttempts,
  };
  const failures: Record<Group, number> = { transient: 0, malformed: 0, rate: 0 };
  const cancelled = (attempts: number) => new TelnyxError({ kind: 'cancelled', path: shownPath, attempts });

  if (st.key.problem) {
    throw new TelnyxError({
      kind: 'auth',
      path: shownPath,
      reason: st.key.problem,
    });
  }

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw cancelled(attempt - 1);
    try {
      await governor.wait(signal);
    } catch {
      throw cancelled(attempt - 1);
    }
    if (signal?.aborted) throw cancelled(attempt - 1);

    const started = clock.now();
    const outcome = await attemptOnce(st, requestPath, shownPath, attempt, opts.parse, signal, opts.postJson);
    if (outcome.ok) {
      log.debug({ path: shownPath, attempt, ms: clock.now() - started }, 'telnyx request ok');
      return outcome.value;
    }
    const { error, group } = outcome.failure;
    if (error.kind === 'cancelled' || group === null) {
      if (error.kind !== 'cancelled') {
        log.warn({ path: shownPath, status: error.status, kind: error.kind, codes: error.codes }, 'telnyx request failed');
      }
      throw error;
    }
    failures[group] += 1;
    if (failures[group] >= budgets[group]) {
      log.warn({ path: shownPath, status: error.status, kind: error.kind, attempts: attempt }, 'telnyx request failed, giving up');
      throw rebuild(error, attempt);
    }

    if (group === 'rate') {
      holdForRateLimit(st, outcome.failure, shownPath, attempt, failures.rate);
      continue; // the governor does the waiting at the top of the loop
    }
    const waitMs = backoffDelay(retry, failures[group]);
    log.warn({ path: shownPath, status: error.status, kind: error.kind, cause: error.causeCode, attempt, waitMs }, 'telnyx request failed, retrying');
    try {
      await abortableSleep(clock, waitMs, signal);
    } catch {
      throw cancelled(attempt);
    }
  }
}

/**
 * A 429: every request of this client holds off until the wait the server asked for (or a
 * backoff step) is over, not just this one. A wait longer than maxRateLimitWaitMs fails now.
 */
function holdForRateLimit(st: HttpState, failure: Failure, shownPath: string, attempt: number, rateFailures: number): void {
  const { error } = failure;
  const asked = failure.waitMs ?? null;
  if (asked !== null && asked > st.retry.maxRateLimitWaitMs) {
    st.log.warn({ path: shownPath, waitMs: asked }, 'telnyx rate limit wait too long, giving up');
    throw new TelnyxError({
      kind: 'rate_limited',
      status: error.status,
      apiErrors: error.apiErrors,
      path: shownPath,
      attempts: attempt,
      retryAfterMs: asked,
      reason: 'try again later',
    });
  }
  const waitMs = asked ?? backoffDelay(st.retry, rateFailures);
  st.governor.block(st.clock.now() + waitMs);
  st.log.info({ path: shownPath, waitMs, attempt }, 'telnyx rate limited, waiting');
}

type Attempt<T> = { ok: true; value: T } | { ok: false; failure: Failure };

async function attemptOnce<T>(
  st: HttpState,
  requestPath: string,
  shownPath: string,
  attempt: number,
  parse: (json: unknown) => T,
  signal: AbortSignal | undefined,
  postJson?: unknown,
): Promise<Attempt<T>> {
  const sent = await sendOnce(st, requestPath, signal, postJson);
  if (!sent.ok) return { ok: false, failure: classifyThrown(st, sent.err, shownPath, attempt, signal, sent.timedOut) };
  const { statusCode, headers, text } = sent;
  st.governor.observe(headers, st.retry.defaultRateLimitWaitMs);
  const served = typeof headers.date === 'string' ? Date.parse(headers.date) : Number.NaN;
  if (Number.isFinite(served)) st.lastOffsetMs = served - st.clock.now();
  if (statusCode >= 200 && statusCode < 300) return parseOk(st, text, statusCode, shownPath, attempt, parse);
  return { ok: false, failure: statusFailure(st, statusCode, headers, text, shownPath, attempt) };
}

type Sent =
  { ok: true; statusCode: number; headers: Record<string, string | string[] | undefined>; text: string } | { ok: false; err: unknown; timedOut: string | null };

/** One GET (or a POST with a JSON body), its headers and whole body read under our own deadlines. */
async function sendOnce(st: HttpState, requestPath: string, signal: AbortSignal | undefined, postJson?: unknown): Promise<Sent> {
  const post = postJson !== undefined;
  const headers: Record<string, string> = { authorization: st.key.authorization(), accept: 'application/json', 'user-agent': st.userAgent };
  if (post) headers['content-type'] = 'application/json';
  const { timeouts } = st;
  // Our own deadlines on a native timer: undici's header timer ticks at ~1 s resolution,
  // and these also bound the whole body read, not just the gap between two chunks.
  const attemptCtl = new AbortController();
  const onUserAbort = () => attemptCtl.abort(signal?.reason);
  if (signal?.aborted) onUserAbort();
  signal?.addEventListener('abort', onUserAbort, { once: true });
  let timedOut: string | null = null;
  const deadline = (code: string, ms: number) =>
    setTimeout(() => {
      timedOut = code;
      attemptCtl.abort();
    }, ms);
  let timer = deadline('UND_ERR_HEADERS_TIMEOUT', timeouts.headersMs);
  try {
    const res = await st.pool.request({
      method: post ? 'POST' : 'GET',
      path: requestPath,
      headers,
      ...(post ? { body: JSON.stringify(postJson) } : {}),
      signal: attemptCtl.signal,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyMs,
    });
    clearTimeout(timer);
    timer = deadline('UND_ERR_BODY_TIMEOUT', timeouts.bodyMs);
    const text = await res.body.text();
    return { ok: true, statusCode: res.statusCode, headers: res.headers, text };
  } catch (err) {
    return { ok: false, err, timedOut };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onUserAbort);
  }
}

/** A 2xx body: exact JSON, then the caller's check; either failing marks it malformed. */
function parseOk<T>(st: HttpState, text: string, statusCode: number, shownPath: string, attempt: number, parse: (json: unknown) => T): Attempt<T> {
  let json: unknown;
  try {
    // Numbers a double would round stay exact text (exact-json.ts): amounts such as call.cost's.
    json = parseJsonExact(text);
  } catch {
    const reason = text.length === 0 ? 'empty body' : 'body is not JSON (truncated or not JSON)';
    return {
      ok: false,
      failure: { error: new TelnyxError({ kind: 'malformed', status: statusCode, path: shownPath, attempts: attempt, reason }), group: 'malformed' },
    };
  }
  try {
    return { ok: true, value: parse(json) };
  } catch (err) {
    const reason = st.key.scrub(err instanceof Error ? err.message : String(err)).slice(0, 300);
    return {
      ok: false,
      failure: { error: new TelnyxError({ kind: 'malformed', status: statusCode, path: shownPath, attempts: attempt, reason }), group: 'malformed' },
    };
  }
}

/** What a non-2xx answer means, and whether it is retried. */
function statusFailure(
  st: HttpState,
  statusCode: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  shownPath: string,
  attempt: number,
): Failure {
  let body: unknown = null;
  try {
    body = JSON.parse(st.key.scrub(text));
  } catch {
    // An HTML error page from a proxy: the status says enough.
  }
  const apiErrors = parseApiErrors(body);
  const init = { status: statusCode, apiErrors, path: shownPath, attempts: attempt };
  if (statusCode === 401 || statusCode === 403) return { error: new TelnyxError({ ...init, kind: 'auth' }), group: null };
  if (statusCode === 404) return { error: new TelnyxError({ ...init, kind: 'not_found' }), group: null };
  if (statusCode === 429) {
    const waitMs = rateLimitWaitMs(headers, st.clock.now());
    return { error: new TelnyxError({ ...init, kind: 'rate_limited', retryAfterMs: waitMs }), group: 'rate', waitMs };
  }
  if (statusCode === 408) return { error: new TelnyxError({ ...init, kind: 'timeout', causeCode: 'HTTP 408' }), group: 'transient' };
  if (statusCode >= 500) return { error: new TelnyxError({ ...init, kind: 'server' }), group: 'transient' };
  // 400, 422 and any other status we do not expect: a person has to look at it.
  return { error: new TelnyxError({ ...init, kind: 'bad_request' }), group: null };
}

function classifyThrown(st: HttpState, err: unknown, shownPath: string, attempt: number, signal: AbortSignal | undefined, timedOut: string | null): Failure {
  const { timeouts } = st;
  const code = timedOut ?? errorCode(err);
  if (signal?.aborted) {
    return { error: new TelnyxError({ kind: 'cancelled', path: shownPath, attempts: attempt }), group: null };
  }
  if (code && TIMEOUT_CODES.has(code)) {
    const ms = code === 'UND_ERR_BODY_TIMEOUT' ? timeouts.bodyMs : code === 'UND_ERR_HEADERS_TIMEOUT' ? timeouts.headersMs : null;
    return { error: new TelnyxError({ kind: 'timeout', path: shownPath, attempts: attempt, causeCode: code, timeoutMs: ms }), group: 'transient' };
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') {
    // undici refused to send it at all: retrying cannot help.
    const message = st.key.scrub(err instanceof Error ? err.message : '');
    const kind: TelnyxErrorKind = /authorization/i.test(message) ? 'auth' : 'bad_request';
    return { error: new TelnyxError({ kind, path: shownPath, attempts: attempt, causeCode: code, reason: message }), group: null };
  }
  // Resets, refusals, dropped sockets, DNS: try again.
  return {
    error: new TelnyxError({
      kind: 'network',
      path: shownPath,
      attempts: attempt,
      causeCode: code ?? (err instanceof Error ? st.key.scrub(err.name) : 'unknown'),
    }),
    group: 'transient',
  };
}

async function closePool(pool: ReturnType<TransportFactory>): Promise<void> {
  // Graceful first; a request stuck on a dead server must not hold the app's exit.
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), 1_000);
    timer.unref();
  });
  const result = await Promise.race([pool.close().then(() => 'closed' as const), giveUp]);
  clearTimeout(timer);
  if (result === 'late') await pool.destroy();
}

/** Rebuilds an error with the final attempt count (messages mention it). */
function rebuild(error: TelnyxError, attempts: number): TelnyxError {
  return new TelnyxError({
    kind: error.kind,
    status: error.status,
    apiErrors: error.apiErrors,
    method: error.method,
    path: error.path,
    attempts,
    retryAfterMs: error.retryAfterMs,
    causeCode: error.causeCode,
    reason: error.reason,
    timeoutMs: error.timeoutMs,
  });
}

/** Equal-jitter exponential backoff: half the step fixed, half random. n is 1-based. */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>, n: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, n - 1));
  return Math.round(step / 2 + policy.random() * (step / 2));
}

/**
 * How long a 429 asks us to wait: Retry-After (seconds or an HTTP date), else
 * x-ratelimit-reset (seconds; a value that looks like a Unix time is read as one), else null.
 */
export function rateLimitWaitMs(headers: Record<string, string | string[] | undefined>, nowMs: number): number | null {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== null) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - nowMs);
  }
  return resetWaitMs(headers, nowMs);
}

function resetWaitMs(headers: Record<string, string | string[] | undefined>, nowMs: number): number | null {
  const reset = header(headers, 'x-ratelimit-reset');
  if (reset === null || !/^\d+(\.\d+)?$/.test(reset)) return null;
  const n = Number(reset);
  if (n > 1_000_000_000) return Math.max(0, Math.round(n * 1000 - nowMs)); // a Unix time
  return Math.round(n * 1000);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? null : s.trim();
}

/**
 * Client-side pacing. When Telnyx says no requests remain (x-ratelimit-remaining: 0), or a
 * 429 names a wait, every request of this client holds until the reset instead of burning
 * attempts on more 429s.
 */
class RateGovernor {
  #blockedUntil = 0;
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  block(untilMs: number): void {
    this.#blockedUntil = Math.max(this.#blockedUntil, untilMs);
  }
  observe(headers: Record<string, string | string[] | undefined>, fallbackMs: number): void {
    const remaining = header(headers, 'x-ratelimit-remaining');
    if (remaining === null || !/^\d+$/.test(remaining) || Number(remaining) > 0) return;
    const now = this.#clock.now();
    this.block(now + (resetWaitMs(headers, now) ?? fallbackMs));
  }
  async wait(signal: AbortSignal | undefined): Promise<void> {
    // A loop: another response may push the reset further while we sleep.
    for (;;) {
      const left = this.#blockedUntil - this.#clock.now();
      if (left <= 0) return;
      await abortableSleep(this.#clock, left, signal);
    }
  }
}

/** Clock sleep that also ends on abort (ManualClock ignores signals). */
export function abortableSleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return clock.sleep(ms);
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    clock.sleep(ms, signal).then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function resolveTimeouts(t: number | TimeoutOptions | undefined): { headersMs: number; bodyMs: number } {
  if (typeof t === 'number') return { headersMs: t, bodyMs: t };
  return { headersMs: t?.headersMs ?? DEFAULT_TIMEOUT_MS, bodyMs: t?.bodyMs ?? DEFAULT_TIMEOUT_MS };
}

function errorCode(err: unknown): string | null {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (err as { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && typeof (cause as { code?: unknown }).code === 'string') {
      return (cause as { code: string }).code;
    }
  }
  return null;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
