// One error type for everything that can go wrong talking to Telnyx. The `kind` tells the
// caller what to do: stop and ask the user (auth, bad_request, not_found), wait and try
// again (rate_limited, server, timeout, network, malformed), or nothing (cancelled).
// The original design retried 401s like "record not found yet"; here `retryable` is false
// for every kind that needs a person.
//
// Nothing in here ever holds the API key: messages are built from status codes, Telnyx's
// error codes and a path whose query has been sanitized, and the HTTP layer scrubs the key
// out of any text the server echoes back before it reaches this constructor.

export type TelnyxErrorKind = 'auth' | 'bad_request' | 'not_found' | 'rate_limited' | 'server' | 'timeout' | 'network' | 'malformed' | 'cancelled';

/** Kinds that are worth trying again later (the HTTP layer already did, a few times). */
export const RETRYABLE_KINDS: ReadonlySet<TelnyxErrorKind> = new Set(['rate_limited', 'server', 'timeout', 'network', 'malformed']);

/** One entry of Telnyx's `{ errors: [...] }` body. */
export interface TelnyxApiError {
  code: string | null;
  title: string | null;
  detail: string | null;
  source: { pointer?: string; parameter?: string } | null;
}

export interface TelnyxErrorInit {
  kind: TelnyxErrorKind;
  status?: number | null;
  apiErrors?: TelnyxApiError[];
  method?: string;
  /** Path with a sanitized query (see `sanitizePath`). */
  path?: string | null;
  attempts?: number;
  retryAfterMs?: number | null;
  /** Low-level cause code, e.g. ECONNREFUSED or UND_ERR_HEADERS_TIMEOUT. Never an object. */
  causeCode?: string | null;
  /** Extra words for the message (already scrubbed), e.g. why a body was unreadable. */
  reason?: string | null;
  timeoutMs?: number | null;
}

export class TelnyxError extends Error {
  override name = 'TelnyxError';
  readonly kind: TelnyxErrorKind;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  /** Telnyx error codes from the body, e.g. ["10009"]. */
  readonly codes: string[];
  readonly code: string | null;
  readonly title: string | null;
  readonly detail: string | null;
  readonly apiErrors: TelnyxApiError[];
  readonly method: string;
  readonly path: string | null;
  readonly attempts: number;
  readonly causeCode: string | null;
  /** Extra words the message carries (why a body was unreadable, ...). */
  readonly reason: string | null;
  readonly timeoutMs: number | null;

  constructor(init: TelnyxErrorInit) {
    super(buildMessage(init));
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.retryable = RETRYABLE_KINDS.has(init.kind);
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.apiErrors = init.apiErrors ?? [];
    this.codes = this.apiErrors.map((e) => e.code).filter((c): c is string => c !== null);
    this.code = this.codes[0] ?? null;
    this.title = this.apiErrors[0]?.title ?? null;
    this.detail = this.apiErrors[0]?.detail ?? null;
    this.method = init.method ?? 'GET';
    this.path = init.path ?? null;
    this.attempts = init.attempts ?? 1;
    this.causeCode = init.causeCode ?? null;
    this.reason = init.reason ?? null;
    this.timeoutMs = init.timeoutMs ?? null;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      codes: this.codes,
      title: this.title,
      detail: this.detail,
      method: this.method,
      path: this.path,
      attempts: this.attempts,
      causeCode: this.causeCode,
      reason: this.reason,
    };
  }
}

export function isTelnyxError(err: unknown, kind?: TelnyxErrorKind): err is TelnyxError {
  return err instanceof TelnyxError && (kind === undefined || err.kind === kind);
}

function buildMessage(init: TelnyxErrorInit): string {
  const status = init.status ?? null;
  const errs = init.apiErrors ?? [];
  const first = errs[0];
  const codes = errs.map((e) => e.code).filter((c): c is string => !!c);
  const codePart = codes.length > 0 ? `, code ${codes.join('/')}` : '';
  const statusCode = status !== null ? `${status}${codePart}` : codePart.replace(/^, /, '');
  const where = `${init.method ?? 'GET'} ${pathOnly(init.path)}`;
  const tries = (init.attempts ?? 1) > 1 ? `, ${init.attempts} attempts` : '';
  const said = first && (first.title || first.detail) ? `: ${[first.title, first.detail].filter(Boolean).join(' — ')}` : '';
  switch (init.kind) {
    case 'auth':
      if (status === 403) {
        return `Telnyx refused the request with this API key (403${codePart}${said}): check in the Telnyx portal that the key may read ${pathOnly(init.path)}, or use another key in Settings`;
      }
      if (status === null) return `The Telnyx API key is ${init.reason ?? 'unusable'}: check the key in Settings`;
      return `Telnyx rejected the API key (${statusCode}): check the key in Settings`;
    case 'bad_request':
      return `Telnyx rejected the request ${where} (${statusCode}${said}): this is a bug in Cost Desk or an unsupported filter; report it with this message`;
    case 'not_found':
      return `Telnyx has nothing at ${where} (${statusCode}): check the API base URL in Settings`;
    case 'rate_limited':
      if (init.retryAfterMs != null && init.reason) {
        return `Telnyx asks to wait ${Math.ceil(init.retryAfterMs / 1000)} s before more requests (${statusCode}): ${init.reason}`;
      }
      return `Telnyx kept rate-limiting requests (${statusCode}${tries}): wait a minute and try again`;
    case 'server':
      return `Telnyx had a server error on ${where} (${statusCode}${tries}): Telnyx may be having trouble; try again later`;
    case 'timeout':
      return `Telnyx did not answer ${where}${init.timeoutMs ? ` within ${formatSeconds(init.timeoutMs)}` : ''} (${init.causeCode ?? 'timeout'}${tries}): check your internet connection and try again`;
    case 'network':
      return `Could not reach Telnyx for ${where} (${init.causeCode ?? 'network error'}${tries}): check your internet connection and the API base URL in Settings`;
    case 'malformed':
      return `Telnyx sent a response Cost Desk could not read for ${where} (${[status, init.reason].filter((x) => x !== null && x !== undefined).join(', ')}${tries}): try again later; if it keeps happening, report it`;
    case 'cancelled':
      return `The request to Telnyx was cancelled (${where})`;
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function pathOnly(path: string | null | undefined): string {
  if (!path) return '(unknown path)';
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

const SECRET_PARAM = /key|token|secret|auth|password|signature|sig$/i;

/**
 * A path fit for errors and logs: the query is kept (it says which page and filter failed)
 * but any parameter whose name looks like a credential is replaced. Our own requests carry
 * no secret in the query; this guards a base URL someone pasted with `?token=...`.
 */
export function sanitizePath(pathWithQuery: string): string {
  const q = pathWithQuery.indexOf('?');
  if (q === -1) return pathWithQuery;
  const params = new URLSearchParams(pathWithQuery.slice(q + 1));
  const parts: string[] = [];
  for (const [k, v] of params) {
    parts.push(`${k}=${SECRET_PARAM.test(k) ? '[redacted]' : v}`);
  }
  return `${pathWithQuery.slice(0, q)}?${parts.join('&')}`;
}

/** Reads Telnyx's `{ errors: [...] }` body; anything else gives an empty list. */
export function parseApiErrors(body: unknown): TelnyxApiError[] {
  if (!body || typeof body !== 'object') return [];
  const list = (body as { errors?: unknown }).errors;
  if (!Array.isArray(list)) return [];
  return list
    .filter((e) => e && typeof e === 'object')
    .map((e) => {
      const o = e as Record<string, unknown>;
      const src = o.source && typeof o.source === 'object' ? (o.source as Record<string, unknown>) : null;
      const source: TelnyxApiError['source'] = src
        ? {
            ...(typeof src.pointer === 'string' ? { pointer: src.pointer } : {}),
            ...(typeof src.parameter === 'string' ? { parameter: src.parameter } : {}),
          }
        : null;
      return {
        code: textOrNull(o.code),
        title: textOrNull(o.title),
        detail: textOrNull(o.detail),
        source,
      };
    });
}

function textOrNull(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? v.slice(0, 500) : null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}
