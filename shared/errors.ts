// Error codes and the few failures every host words the same way, declared once. zod-free:
// the renderer's production bundle imports it (the contract's ErrorCode schema is built on it).

export const ERROR_CODES = [
  'invalid_input', // the call did not match the contract
  'not_found',
  'auth', // Telnyx rejected the key
  'no_key', // no API key configured (and not in demo mode)
  'rate_limited',
  'telnyx_unavailable', // 5xx, timeouts, network
  'telnyx_bad_response',
  'conflict', // e.g. an import already running
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One rule an input broke: where (the field's path in the input) and what is expected. */
export interface InputIssue {
  path: Array<string | number>;
  message: string;
}

export const NO_KEY_MESSAGE = 'No Telnyx API key is set.';
/** What to do about a missing key, in the app (the CLI says it in its own terms). */
export const NO_KEY_ACTION_APP = 'Enter your API key in Settings, or explore with demo data.';
