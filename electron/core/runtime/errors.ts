// Telnyx and ingest failures, translated into what a person can act on.
import type { AppError } from '../../../shared/contract.ts';
import { AppFailure } from '../api/types.ts';
import { isTelnyxError } from '../telnyx/index.ts';
import { ImportError } from '../ingest/importer.ts';
import { damagedLedger, readOnlyLedger } from '../ledger/index.ts';
import type { CoreApi } from '../api/types.ts';
import { LedgerError } from '../ledger/open.ts';

export function toAppFailure(err: unknown): AppFailure {
  if (err instanceof AppFailure) return err;
  if (err instanceof ImportError) return new AppFailure('conflict', err.message);
  // A read-only or damaged ledger: the message names the file and the way out (ledger/open.ts).
  if (err instanceof LedgerError) return new AppFailure('internal', err.message);
  if (isTelnyxError(err)) {
    switch (err.kind) {
      case 'auth':
        return new AppFailure('auth', err.message, 'Check the API key in Settings (Telnyx Portal > API Keys), then save it again.');
      case 'rate_limited':
        return new AppFailure('rate_limited', err.message, 'Telnyx asked us to slow down; Cost Desk retries on its own.');
      case 'bad_request':
      case 'not_found':
        return new AppFailure('telnyx_bad_response', err.message, 'Check the API base URL in Settings.');
      case 'malformed':
        return new AppFailure('telnyx_bad_response', err.message, 'Telnyx sent a response Cost Desk could not read; nothing was lost. It will try again.');
      case 'cancelled':
        return new AppFailure('cancelled', err.message);
      default:
        return new AppFailure(
          'telnyx_unavailable',
          err.message,
          'Telnyx could not be reached; Cost Desk retries on its own. Check your connection if this persists.',
        );
    }
  }
  return new AppFailure('internal', err instanceof Error ? err.message : String(err), undefined, { cause: err });
}

/**
 * Every method of `api`, with a failure of the ledger file itself (read-only, damaged) named
 * with the file and the way out, whichever host asked and however deep it was thrown.
 */
export function withLedgerExplained(api: CoreApi, ledgerFile: () => string | null): CoreApi {
  const out: Record<string, unknown> = {};
  for (const [method, fn] of Object.entries(api) as Array<[string, (input: unknown) => Promise<unknown>]>) {
    out[method] = async (input: unknown) => {
      try {
        return await fn(input);
      } catch (err) {
        const file = ledgerFile();
        const raw = err instanceof AppFailure && err.cause !== undefined ? err.cause : err;
        const explained = file === null ? null : (readOnlyLedger(raw, file) ?? damagedLedger(raw, file));
        throw explained ? new AppFailure('internal', explained.message, undefined, { cause: raw }) : err;
      }
    };
  }
  return out as CoreApi;
}

export function toAppError(err: unknown): AppError {
  return toAppFailure(err).toAppError();
}
