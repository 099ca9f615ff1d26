// The app:// protocol handler: serves dist/renderer with the CSP, refuses traversal (plain,
// encoded, backslash, symlink), other hosts and other methods. Fetch-style Request/Response
// are Node's own, the same classes Electron's protocol.handle uses.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../electron/desktop/protocol.ts';
import { CSP } from '../../electron/hosts/static-files.ts';

let root: string;
let rendererDir: string;
let handler: (r: Request) => Promise<Response>;
const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'cost-desk-protocol-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Cost Desk</title>');
  await writeFile(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(join(rendererDir, 'assets', 'app-1234.css'), 'body{}');
  await writeFile(join(root, 'secret.txt'), SECRET);
  if (process.platform !== 'win32') await symlink(join(root, 'secret.txt'), join(rendererDir, 'leak.txt'));
  handler = createAppProtocolHandler({ rendererDir });
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

test('the scheme is registered standard + secure, without CSP bypass', () => {
  assert.equal(APP_SCHEME_PRIVILEGES.scheme, 'app');
  assert.equal(APP_SCHEME_PRIVILEGES.privileges?.standard, true);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges?.secure, true);
  assert.equal(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP, false);
});

test('serves index.html and assets with content types, CSP and security headers', async () => {
  const index = await get('app://cost-desk/');
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('content-security-policy'), CSP);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await index.text(), /Cost Desk/);
  const js = await get('app://cost-desk/assets/app-1234.js');
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  assert.equal((await get('app://cost-desk/assets/app-1234.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await get('app://cost-desk/assets/missing.js')).status, 404);
  // A client-side route (no extension) gets the app shell.
  assert.match(await (await get('app://cost-desk/calls/42')).text(), /Cost Desk/);
  const head = await get('app://cost-desk/', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('path traversal never reaches a file outside the renderer folder', async () => {
  for (const url of [
    'app://cost-desk/../secret.txt',
    'app://cost-desk/%2e%2e/secret.txt',
    'app://cost-desk/..%2fsecret.txt',
    'app://cost-desk/assets/..%2f..%2fsecret.txt',
    'app://cost-desk/%2e%2e%2fsecret.txt',
    'app://cost-desk/..%5csecret.txt',
    'app://cost-desk/%00index.html',
    'app://cost-desk/%E0%A4%A',
    ...(process.platform !== 'win32' ? ['app://cost-desk/leak.txt'] : []),
  ]) {
    const res = await get(url);
    const body = await res.text();
    assert.ok(res.status === 403 || res.status === 404, `${url} -> ${res.status}`);
    assert.ok(!body.includes(SECRET), `${url} leaked the file`);
  }
});

test('other hosts and methods are refused', async () => {
  assert.equal((await get('app://evil/index.html')).status, 404);
  assert.equal((await get('app://cost-desk/', 'POST')).status, 405);
});

test('a missing renderer build gets a page saying how to build it', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'cost-desk-empty-'));
  try {
    const res = await createAppProtocolHandler({ rendererDir: empty })(new Request('app://cost-desk/'));
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build:renderer/);
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});
