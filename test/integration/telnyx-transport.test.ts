// The Telnyx client's injectable transport: a fetch function (the desktop app passes Electron's
// net.fetch) gives the same answers as undici against the real simulator over HTTP, with the
// same bound on requests in flight; the default undici transport goes through HTTPS_PROXY for
// https (a CONNECT to a loopback proxy here, refused: nothing reaches the network) and never
// proxies plain http (the loopback simulator), so the key never crosses a proxy unencrypted.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { startSimulator } from '../../electron/core/simulator/index.ts';
import { createTelnyxClient, isTelnyxError } from '../../electron/core/telnyx/index.ts';
import { fetchTransport, undiciTransport } from '../../electron/core/telnyx/transport.ts';

const NOW = Date.UTC(2026, 0, 15, 12);
const sim = await startSimulator({
  seed: 'transport',
  calls: 300,
  messages: 50,
  startMs: NOW - 6 * 3_600_000,
  spanMs: 4 * 3_600_000,
  recordDelayMs: { min: 0, max: 0 },
  now: () => NOW,
});
after(() => sim.close());

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

describe('Telnyx transport', () => {
  it('a fetch transport returns exactly what undici returns, page by page', async () => {
    const seen: string[] = [];
    const viaFetch = createTelnyxClient({
      baseUrl: sim.baseUrl,
      apiKey: sim.apiKey,
      transport: fetchTransport((url, init) => (seen.push(url), fetch(url, init))),
    });
    const viaUndici = createTelnyxClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey });
    try {
      for (const page of [1, 2, 3]) {
        const o = { recordType: 'call-control' as const, from: NOW - 8 * 3_600_000, to: NOW, page, pageSize: 50 };
        assert.deepEqual(await viaFetch.detailRecordsPage(o), await viaUndici.detailRecordsPage(o));
      }
      assert.equal(seen.length, 3);
      assert.ok(seen.every((u) => u.startsWith(`${sim.baseUrl}/detail_records?`)));
      const bad = createTelnyxClient({ baseUrl: sim.baseUrl, apiKey: 'KEYwrong_0123456789', transport: fetchTransport(fetch) });
      await assert.rejects(bad.verifyKey(), (err: unknown) => isTelnyxError(err) && err.kind === 'auth' && !String(err.message).includes('KEYwrong'));
      await bad.close();
    } finally {
      await viaFetch.close();
      await viaUndici.close();
    }
  });

  it('a fetch transport keeps at most `connections` requests in flight', async () => {
    let inFlight = 0;
    let max = 0;
    const server = http.createServer((req, res) => {
      inFlight++;
      max = Math.max(max, inFlight);
      setImmediate(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[],"meta":{"page_number":1,"page_size":50,"total_pages":1,"total_results":0}}');
      });
    });
    const base = await listen(server);
    const client = createTelnyxClient({ baseUrl: `${base}/v2`, apiKey: 'KEYtest_0123456789', connections: 2, transport: fetchTransport(fetch) });
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => client.detailRecordsPage({ recordType: 'messaging', page: i + 1 })));
      assert.ok(max >= 1 && max <= 2, `max in flight ${max}`);
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('undici: https goes through HTTPS_PROXY (CONNECT), plain http to loopback never does', async () => {
    const connects: string[] = [];
    const proxied: string[] = [];
    const proxy = http.createServer((req, res) => {
      proxied.push(req.url ?? '');
      res.writeHead(502).end();
    });
    proxy.on('connect', (req, socket) => {
      connects.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    const proxyUrl = await listen(proxy);
    const env = { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, NO_PROXY: '' };
    const remote = createTelnyxClient({
      baseUrl: 'https://api.telnyx.invalid/v2',
      apiKey: 'KEYtest_0123456789',
      retry: { attempts: 1 },
      transport: undiciTransport(env),
    });
    const local = createTelnyxClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, transport: undiciTransport(env) });
    try {
      await assert.rejects(remote.verifyKey(), (err: unknown) => isTelnyxError(err) && err.kind === 'network');
      assert.ok(
        connects.length >= 1 && connects.every((c) => c === 'api.telnyx.invalid:443'),
        `the requests went to the proxy as CONNECT tunnels: ${connects.join()}`,
      );
      assert.deepEqual(await local.verifyKey(), { ok: true });
      assert.deepEqual(proxied, [], 'the loopback simulator was reached directly');
    } finally {
      await remote.close();
      await local.close();
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});
