// What a core offers its hosts: one async function per contract method, taking the parsed
// input and returning the bare value (failures are thrown as AppFailure). Hosts never call
// these directly with untrusted input; they go through dispatch(), which validates.
import type { AppError, ErrorCode, EventName, EventPayload, Method, Output, ParsedInput } from '../../../shared/contract.ts';
import { NO_KEY_ACTION_APP, NO_KEY_MESSAGE } from '../../../shared/errors.ts';

export type CoreApi = { [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> };

/** A failure the user should see, with what to do about it. */
export class AppFailure extends Error {
  override name = 'AppFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly action?: string,
    /** The error this one explains (kept for what reads it, never shown). */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  toAppError(): AppError {
    return this.action ? { code: this.code, message: this.message, action: this.action } : { code: this.code, message: this.message };
  }
}

/** No key configured (and not in demo mode); `action` says what to do in this host's terms. */
export function noKeyFailure(action = NO_KEY_ACTION_APP): AppFailure {
  return new AppFailure('no_key', NO_KEY_MESSAGE, action);
}

export type EventListener = (event: EventName, payload: unknown) => void;

/** Core -> host event stream (sync progress, import progress, job changes). */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.#listeners) {
      try {
        l(event, payload);
      } catch {
        // A broken listener (a closed window) must not break the core.
      }
    }
  }
}
