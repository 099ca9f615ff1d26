// The one-line error (renderer/lib/error-line.ts): Telnyx network failures in people's words
// with the action once, any other message cut to its first line (never a stack or a dump).
// The network messages are the Telnyx client's own (electron/core/telnyx/errors.ts), made here
// by a real TelnyxError, not copied text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLine, isNetworkError } from '../../renderer/lib/error-line.ts';
import { TelnyxError } from '../../electron/core/telnyx/errors.ts';
import { toAppError } from '../../electron/core/runtime/errors.ts';

test('a refused connection or a timeout: one line, the cause in words, what to do', () => {
  const refused = toAppError(new TelnyxError({ kind: 'network', path: 'GET /v2/webhook_deliveries', attempts: 5, causeCode: 'ECONNREFUSED' }));
  assert.ok(isNetworkError(refused));
  assert.deepEqual(
    errorLine(refused).text,
    'Telnyx could not be reached (connection refused): check your internet connection and the API base URL in Settings.',
  );
  assert.match(errorLine(refused).detail, /ECONNREFUSED/);
  const timeout = toAppError(
    new TelnyxError({ kind: 'timeout', path: 'GET /v2/detail_records', attempts: 2, causeCode: 'UND_ERR_HEADERS_TIMEOUT', timeoutMs: 30_000 }),
  );
  assert.equal(errorLine(timeout).text, 'Telnyx could not be reached (timed out): check your internet connection and the API base URL in Settings.');
});

test('any other error: its first line, then its action once', () => {
  const e = { code: 'internal' as const, message: 'Something broke\n    at foo (file.js:1:2)\n    at bar (file.js:3:4)', action: 'Try again.' };
  assert.equal(errorLine(e).text, 'Something broke — Try again.');
  assert.equal(isNetworkError(e), false);
  assert.equal(
    errorLine({ code: 'auth', message: 'Telnyx rejected the API key (401): check the key in Settings' }).text,
    'Telnyx rejected the API key (401): check the key in Settings',
  );
  assert.equal(errorLine({ code: 'internal', message: 'x'.repeat(1000) }).text.length, 240);
});
