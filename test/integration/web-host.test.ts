// The browser host over real HTTP on 127.0.0.1, in front of the real core (ledger in a temp
// dir). The core's api is wrapped only to count how often a request reaches it.
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { METHODS } from '../../shared/contract.ts';
import type { CoreApi } from '../../electron/core/api/types.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { createHostEncryptedSecretStore } from '../../electron/secrets/index.ts';
import { CSP } from '../../electron/hosts/static-files.ts';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../electron/web/server.ts';

let root: string;
let core: Core;
let host: WebHost;
let calls = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'cost-desk-web-'));
  const dataDir = join(root, 'data');
  const rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Cost Desk</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'export {}');
  await writeFile(join(root, 'package.json'), '{"name":"outside-the-renderer"}');
  core = await createCore({ dataDir, secrets: createHostEncryptedSecretStore({ dir: dataDir }), host: 'web', autoStart: false, logger: silentLogger() });
  const counted: Record<string, unknown> = {};
  for (const m of METHODS) {
    counted[m] = (input: unknown) => {
      calls++;
      return (core.api[m] as (i: unknown) => Promise<unknown>)(input);
    };
  }
  host = await startWebHost({
    core: { api: counted as CoreApi, events: core.events, exportReport: core.exportReport },
    rendererDir,
    heartbeatMs: 50,
  });
});
after(async () => {
  await host.close();
  await core.close();
  await rm(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path is sent exactly as given, headers (Host included) as given. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, method, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const call = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  raw('POST', `/api/call/${method}`, { 'content-type': 'application/json', 'x-cost-desk-token': host.token, ...headers }, JSON.stringify(input));

describe('address and token', () => {
  test('listens on 127.0.0.1 only, with a fresh 32-byte token in the printed URL', () => {
    assert.equal(host.host, '127.0.0.1');
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(host.token, 'base64url').length, 32);
  });

  test("is not reachable on the machine's other addresses", async (t) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    if (!external) return t.skip('this machine has no non-loopback IPv4 address to try');
    await assert.rejects(
      new Promise<void>((resolve, reject) => {
        const s = connect({ host: external.address, port: host.port }, () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      }),
      /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/,
    );
  });

  test('refuses to listen anywhere but loopback', async () => {
    for (const bad of ['0.0.0.0', '::', '192.168.1.10', 'localhost']) {
      await assert.rejects(startWebHost({ core, rendererDir: root, host: bad }), /loopback/);
    }
  });
});

describe('API gate', () => {
  test('a valid call reaches the core', async () => {
    const before = calls;
    const r = await call('app.info', {});
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /application\/json/);
    const body = JSON.parse(r.body);
    assert.equal(body.ok, true);
    assert.equal(body.value.host, 'web');
    assert.equal(calls, before + 1);
  });

  test('missing or wrong token -> 401, and the core is not called', async () => {
    const before = calls;
    for (const headers of [
      {} as Record<string, string>,
      { 'x-cost-desk-token': 'wrong' },
      { 'x-cost-desk-token': `${host.token}x` },
      { 'x-cost-desk-token': '' },
    ]) {
      const r = await raw('POST', '/api/call/app.info', { 'content-type': 'application/json', ...headers }, '{}');
      assert.equal(r.status, 401);
      assert.equal(JSON.parse(r.body).ok, false);
    }
    // A token in the URL does not authorize a call (calls use the header only).
    const inQuery = await raw('POST', `/api/call/app.info?token=${host.token}`, { 'content-type': 'application/json' }, '{}');
    assert.equal(inQuery.status, 401);
    assert.equal((await raw('GET', '/api/events')).status, 401);
    assert.equal((await raw('GET', '/api/events?token=nope')).status, 401);
    assert.equal(calls, before);
  });

  test('a foreign Host header (DNS rebinding) -> 403, for the API and the pages', async () => {
    const before = calls;
    for (const hostHeader of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      assert.equal((await call('app.info', {}, { host: hostHeader })).status, 403, hostHeader);
      assert.equal((await raw('GET', '/', { host: hostHeader })).status, 403, hostHeader);
    }
    assert.equal((await call('app.info', {}, { host: `localhost:${host.port}` })).status, 200);
    assert.equal(calls, before + 1);
  });

  test('a foreign Origin -> 403 even with the right token', async () => {
    const before = calls;
    for (const origin of ['https://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      assert.equal((await call('app.info', {}, { origin })).status, 403, origin);
    }
    assert.equal((await call('app.info', {}, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal(calls, before);
    assert.equal((await call('app.info', {}, { origin: host.origin, 'sec-fetch-site': 'same-origin' })).status, 200);
  });

  test('invalid input and unknown methods come back as invalid_input results', async () => {
    const before = calls;
    const bad = JSON.parse((await call('calls.get', { id: 'seven' })).body);
    assert.equal(bad.ok, false);
    assert.equal(bad.error.code, 'invalid_input');
    const unknown = JSON.parse((await call('no.such.method', {})).body);
    assert.equal(unknown.ok, false);
    assert.equal(unknown.error.code, 'invalid_input');
    const proto = JSON.parse((await call('__proto__', {})).body);
    assert.equal(proto.error.code, 'invalid_input');
    assert.equal(calls, before);
  });

  test('malformed JSON -> 400, oversized body -> 413, wrong verb -> 405', async () => {
    const notJson = await raw('POST', '/api/call/app.info', { 'x-cost-desk-token': host.token }, '{nope');
    assert.equal(notJson.status, 400);
    assert.equal(JSON.parse(notJson.body).error.code, 'invalid_input');
    const big = await raw('POST', '/api/call/app.info', { 'x-cost-desk-token': host.token }, Buffer.alloc(MAX_BODY_BYTES + 10, 0x20));
    assert.equal(big.status, 413);
    assert.equal((await raw('GET', '/api/call/app.info', { 'x-cost-desk-token': host.token })).status, 405);
    assert.equal((await raw('GET', `/api/nothing?token=${host.token}`)).status, 404);
  });
});

describe('static files', () => {
  test('the page is served without a token, with the CSP and security headers', async () => {
    const r = await raw('GET', '/');
    assert.equal(r.status, 200);
    assert.match(r.body, /Cost Desk/);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-security-policy'], CSP);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal((await raw('GET', '/assets/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await raw('HEAD', '/')).body, '');
    assert.equal((await raw('POST', '/')).status, 405);
  });

  test('directory traversal is refused', async () => {
    for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/..%5cpackage.json', '/%00']) {
      const r = await raw('GET', path);
      assert.ok(r.status === 403 || r.status === 404, `${path} -> ${r.status}`);
      assert.ok(!r.body.includes('outside-the-renderer'), `${path} leaked package.json`);
    }
  });

  test('without a renderer build the page says how to build it', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'cost-desk-norenderer-'));
    const bare = await startWebHost({ core, rendererDir: empty });
    try {
      const r = await new Promise<Reply>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port: bare.port, path: '/' }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(r.status, 503);
      assert.match(r.body, /npm run build:renderer/);
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('events and downloads', () => {
  test('Server-Sent Events deliver what the core emits', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: `127.0.0.1:${host.port}` } },
        (res) => {
          assert.equal(res.statusCode, 200);
          assert.match(String(res.headers['content-type']), /text\/event-stream/);
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': connected') && !text.includes('event: ')) core.events.emit('ledger.changed', { at: 123, topics: ['calls'] });
            if (text.includes('data: {"at":123') && text.includes(': heartbeat')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.match(received, /event: ledger\.changed\ndata: \{"at":123,"topics":\["calls"\]\}\n\n/);
  });

  test('export.run gives a one-time CSV download', async () => {
    const r = JSON.parse((await call('export.run', { report: 'calls', range: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) } })).body);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.value.savedTo, null);
    assert.match(r.value.downloadUrl, /^\/api\/download\/[A-Za-z0-9_-]+\?token=/);
    const first = await raw('GET', r.value.downloadUrl);
    assert.equal(first.status, 200);
    assert.match(String(first.headers['content-type']), /text\/csv/);
    assert.equal(first.headers['content-disposition'], 'attachment; filename="cost-desk-calls-2026-01-01-to-2026-01-31.csv"');
    assert.ok(first.body.split(/\r?\n/)[0]!.length > 0, 'a header row');
    assert.equal((await raw('GET', r.value.downloadUrl)).status, 404, 'the link works once');
    const id = r.value.downloadUrl.split('/').pop().split('?')[0];
    assert.equal((await raw('GET', `/api/download/${id}`)).status, 401, 'and never without the token');
  });
});
