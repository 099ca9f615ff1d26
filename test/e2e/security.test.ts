// The browser host refuses what does not come from the page it served: a request without
// the access token (or with a wrong one) gets 401, a foreign Origin or Host gets 403, and a
// page opened without the token says it cannot reach the core instead of showing data.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { before, describe, test } from 'node:test';
import { haveChromium, startApp, type App } from './support/app.ts';
import { openApp, screenshot } from './support/browser.ts';

let app: App;

before(async () => {
  app = await startApp();
});

/** A raw HTTP request (fetch cannot set Host), headers exactly as given. */
function raw(path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.host.port, method: body === undefined ? 'GET' : 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('browser host access control', () => {
  test('no token or a wrong token: 401', async () => {
    const url = `${app.host.origin}/api/call/app.info`;
    const none = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(none.status, 401);
    const body = (await none.json()) as { ok: boolean; error: { message: string } };
    assert.equal(body.ok, false);
    assert.match(body.error.message, /access token/);
    assert.doesNotMatch(JSON.stringify(body), /dataDir|ledger/, 'nothing about the app leaks');

    const wrong = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cost-desk-token': `${app.host.token}x` }, body: '{}' });
    assert.equal(wrong.status, 401);
    // The token in the query string is for GETs (EventSource, downloads) only.
    const inQuery = await fetch(`${url}?token=${app.host.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(inQuery.status, 401);
    assert.equal((await fetch(`${app.host.origin}/api/events`)).status, 401);
    assert.equal((await fetch(`${app.host.origin}/api/events?token=nope-nope-nope-nope`)).status, 401);

    // The right token works (the control for the above).
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cost-desk-token': app.host.token }, body: '{}' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { ok: boolean }).ok, true);
  });

  test('a foreign Origin or Host: 403, even with the right token', async () => {
    const ours = `127.0.0.1:${app.host.port}`;
    const headers = { 'content-type': 'application/json', 'x-cost-desk-token': app.host.token };
    const origin = await fetch(`${app.host.origin}/api/call/app.info`, { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body: '{}' });
    assert.equal(origin.status, 403);
    assert.match(await origin.text(), /cross-origin/);
    // DNS rebinding: a hostile name pointed at 127.0.0.1 still sends its own Host.
    const host = await raw('/api/call/app.info', { ...headers, host: `evil.example:${app.host.port}` }, '{}');
    assert.equal(host.status, 403);
    assert.match(host.body, /Host/);
    assert.equal((await raw('/', { host: `evil.example:${app.host.port}` })).status, 403, 'the page itself too');
    const site = await raw('/api/call/app.info', { ...headers, host: ours, 'sec-fetch-site': 'cross-site' }, '{}');
    assert.equal(site.status, 403);
    assert.equal((await raw('/api/call/app.info', { ...headers, host: ours, origin: `http://${ours}` }, '{}')).status, 200, 'our own origin is fine');
  });

  test('a page opened without the token says it cannot reach the core', { timeout: 30_000 }, async (t) => {
    if (!haveChromium(t)) return;
    // Static files need no token: the page loads, but every call it makes is refused.
    const bare = await openApp({ url: `${app.host.origin}/` }, { waitForApp: false });
    const notice = bare.page.getByTestId('startup-error');
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /no access token/);
    assert.match((await notice.textContent()) ?? '', /Open the address the host printed/);
    await bare.page.getByTestId('connection-lost').waitFor();
    assert.equal(await bare.page.getByTestId('mode-badge').count(), 0, 'no mode, no data');
    await screenshot(bare.page, 'e2e-no-token');

    const wrong = await openApp({ url: `${app.host.origin}/?token=${'x'.repeat(43)}` }, { waitForApp: false });
    const refused = wrong.page.getByTestId('startup-error');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /wrong access token/);
    // The page drops the token from its address (history, bookmarks, screenshots) once the
    // app is up (the first requests go out before that; see renderer/api/token.ts).
    await wrong.page.waitForURL((u) => !u.searchParams.has('token'));
    assert.equal(new URL(wrong.page.url()).searchParams.has('token'), false);
  });
});
