// What a failed lookup means for the fetcher, and how it is shown to a person.
import type { AppError } from '../../../shared/contract.ts';
import { isTelnyxError, type TelnyxError } from '../telnyx/index.ts';

/**
 * - pause: the key or the request needs a person (401/403, and 400/404, which retrying cannot
 *   fix); the fetcher stops instead of burning attempts.
 * - rate: Telnyx asked us to slow down; the rest of the pass waits for the next one.
 * - transient: 5xx, timeouts, dropped connections, unreadable bodies: try again later.
 * - cancelled: we stopped it ourselves.
 */
export type FailureClass = 'pause' | 'rate' | 'transient' | 'cancelled';

export function classify(err: unknown): FailureClass {
  if (!isTelnyxError(err)) return 'transient';
  switch (err.kind) {
    case 'auth':
    case 'bad_request':
    case 'not_found':
      return 'pause';
    case 'rate_limited':
      return 'rate';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'transient';
  }
}

export function retryAfterOf(err: unknown): number | null {
  return isTelnyxError(err) ? err.retryAfterMs : null;
}

/** A short, key-free text for jobs.last_error and logs. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.slice(0, 500);
  return String(err).slice(0, 500);
}

export function toAppError(err: unknown): AppError {
  if (!isTelnyxError(err)) {
    return { code: 'internal', message: errorText(err) };
  }
  const e: TelnyxError = err;
  switch (e.kind) {
    case 'auth':
      return { code: 'auth', message: e.message, action: 'Check the API key in Settings; the cost fetcher is paused until it works.' };
    case 'rate_limited':
      return { code: 'rate_limited', message: e.message, action: 'Wait a minute and try again.' };
    case 'server':
    case 'timeout':
    case 'network':
      return { code: 'telnyx_unavailable', message: e.message, action: 'Try again later.' };
    case 'malformed':
      return { code: 'telnyx_bad_response', message: e.message, action: 'Try again later; report it if it keeps happening.' };
    case 'not_found':
      return { code: 'telnyx_unavailable', message: e.message, action: 'Check the API base URL in Settings.' };
    case 'cancelled':
      return { code: 'cancelled', message: e.message };
    case 'bad_request':
      return { code: 'internal', message: e.message, action: 'Report this message: Telnyx refused a request Cost Desk made.' };
  }
}
