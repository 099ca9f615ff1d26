// The API key only ever leaves for https or a loopback address, and a new host has to be
// given the key again: a leaked browser-host token must not be enough to point the app at
// another server and receive the key on the next sync. Real core, real HTTP on 127.0.0.1.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { envApiBaseUrl } from '../../electron/core/index.ts';
import { memorySecretStore } from '../../electron/core/runtime/secret-store.ts';
import { checkBaseUrl, isLoopbackHost, UnsafeBaseUrl } from '../../electron/core/telnyx/base-url.ts';
import { createTelnyxClient } from '../../electron/core/telnyx/index.ts';
import { openTestCore } from '../helpers/core.ts';

const KEY = 'KEYsecret0123456789abcdef';

/** A loopback server that records every Authorization header it is sent. */
async function capture(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(String(req.headers.authorization ?? ''));
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: '10009', title: 'Authentication failed' }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v2`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('where the API key may be sent', () => {
  it('https anywhere, http only to loopback; user:password and other schemes refused', () => {
    for (const ok of [
      'https://api.telnyx.com/v2',
      'https://proxy.example.com:8443/telnyx',
      'http://127.0.0.1:9999/v2',
      'http://localhost:1/v2',
      'http://[::1]:8080/v2',
      'http://127.3.4.5/v2',
    ]) {
      assert.doesNotThrow(() => checkBaseUrl(ok), ok);
    }
    for (const bad of [
      'http://api.telnyx.com/v2',
      'http://evil.example/',
      'http://10.0.0.1/v2',
      'http://127.0.0.1.evil.example/',
      'ftp://api.telnyx.com/',
      'https://user:pw@api.telnyx.com/v2',
      'not a url',
    ]) {
      assert.throws(() => checkBaseUrl(bad), UnsafeBaseUrl, bad);
    }
    assert.equal(isLoopbackHost('LOCALHOST'), true);
    assert.equal(isLoopbackHost('::ffff:10.0.0.1'), false);
  });

  it('a client for a non-https remote URL cannot even be made (nothing is sent)', () => {
    assert.throws(() => createTelnyxClient({ baseUrl: 'http://evil.example/v2', apiKey: KEY }), /refusing to send the API key in clear to evil\.example/);
  });

  it('TELNYX_API_BASE_URL overrides the stored URL, and a non-https remote one stops the core from starting', async () => {
    assert.equal(envApiBaseUrl({ TELNYX_API_BASE_URL: '  ' }), undefined);
    await assert.rejects(openTestCore({ key: KEY, apiBaseUrl: 'http://evil.example/v2' }), UnsafeBaseUrl);
    const sink = await capture();
    const core = await openTestCore({ key: KEY, apiBaseUrl: sink.url });
    try {
      const view = await dispatch(core.api, 'settings.get', {});
      assert.ok(view.ok);
      assert.equal((view.value as { apiBaseUrl: string }).apiBaseUrl, sink.url);
      const refused = await dispatch(core.api, 'settings.update', { apiBaseUrl: 'https://api.telnyx.com/v2' });
      assert.equal(refused.ok, false, 'the environment decides the URL');
      await dispatch(core.api, 'sync.now', {});
      assert.deepEqual(sink.seen, [`Bearer ${KEY}`], 'the key went to the loopback URL the environment named');
    } finally {
      await core.close();
      await sink.close();
    }
  });

  it('settings.update refuses a non-https remote URL, and a new host clears the key: the next sync sends nothing there', async () => {
    const secrets = memorySecretStore(KEY);
    const core = await openTestCore({ secrets });
    const sink = await capture();
    try {
      const refused = await dispatch(core.api, 'settings.update', { apiBaseUrl: 'http://evil.example/v2' });
      assert.equal(refused.ok, false);
      if (!refused.ok) {
        assert.equal(refused.error.code, 'invalid_input');
        assert.match(refused.error.message, /must use https/);
      }
      assert.equal(await secrets.get(), KEY, 'a refused change keeps the key and the URL');
      const st = await dispatch(core.api, 'settings.get', {});
      assert.ok(st.ok && (st.value as { apiBaseUrl: string }).apiBaseUrl === 'https://api.telnyx.com/v2');

      // Another host (loopback, so allowed): the key is not carried over.
      const moved = await dispatch(core.api, 'settings.update', { apiBaseUrl: sink.url });
      assert.ok(moved.ok);
      assert.equal((moved.value as { apiKeySet: boolean }).apiKeySet, false, 'the key must be given again');
      assert.equal(await secrets.get(), null);
      const sync = await dispatch(core.api, 'sync.now', {});
      assert.equal(sync.ok, false);
      if (!sync.ok) assert.equal(sync.error.code, 'no_key');
      assert.deepEqual(sink.seen, [], 'nothing was sent to the new host');

      // Given again, the key goes there (the person chose to).
      const again = await dispatch(core.api, 'settings.setApiKey', { apiKey: KEY });
      assert.equal(again.ok, false, 'the capture server answers 401');
      assert.deepEqual(sink.seen, [`Bearer ${KEY}`]);
      // Same host, another path: no new key needed.
      await secrets.set(KEY);
      const samehost = await dispatch(core.api, 'settings.update', { apiBaseUrl: `${sink.url.replace(/\/v2$/, '')}/other` });
      assert.ok(samehost.ok);
      assert.equal(await secrets.get(), KEY);
    } finally {
      await core.close();
      await sink.close();
    }
  });
});
