// A failed connection's low-level cause code (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT, ...) in
// people's words, for the one-line network error the app shows (the code stays in the
// detail on hover and in the logs). zod-free: the renderer imports it.
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection dropped',
  EPIPE: 'connection dropped',
  UND_ERR_SOCKET: 'connection dropped',
  ENOTFOUND: 'address not found',
  EAI_AGAIN: 'name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'no network',
  ENETDOWN: 'no network',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out',
  UND_ERR_BODY_TIMEOUT: 'timed out',
  timeout: 'timed out',
};

/** "connection refused" for ECONNREFUSED; certificate and other codes: "network error". */
export function networkCauseText(code: string | null | undefined): string {
  if (!code) return 'network error';
  if (/CERT|SSL|TLS/i.test(code)) return 'secure connection failed';
  return CAUSES[code] ?? 'network error';
}

/** What to do about Telnyx being out of reach, said once. */
export const NETWORK_ACTION = 'check your internet connection and the API base URL in Settings';
