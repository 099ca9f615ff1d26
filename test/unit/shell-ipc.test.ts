// The IPC gate in front of the real core: the sender must be our window's top frame on
// app://cost-desk, then dispatch() validates method and input. Electron's event, window and
// webContents are stand-ins (no Electron binary here); the core is the real one, over a
// ledger in a temp dir, wrapped only to count how often it is reached.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IpcMainInvokeEvent } from 'electron';
import { METHODS } from '../../shared/contract.ts';
import type { CoreApi } from '../../electron/core/api/types.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { createHostEncryptedSecretStore } from '../../electron/secrets/index.ts';
import { EVENT_CHANNEL } from '../../electron/desktop/channels.ts';
import { createIpcCallHandler, forwardEvents, registerIpc, type WindowRef } from '../../electron/desktop/ipc.ts';

let dir: string;
let core: Core;
let calls = 0;
let counted: CoreApi;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cost-desk-ipc-'));
  core = await createCore({
    dataDir: dir,
    secrets: createHostEncryptedSecretStore({ dir }),
    host: 'electron',
    autoStart: false,
    logger: silentLogger(),
  });
  const wrapped: Record<string, unknown> = {};
  for (const m of METHODS) {
    wrapped[m] = (input: unknown) => {
      calls++;
      return (core.api[m] as (i: unknown) => Promise<unknown>)(input);
    };
  }
  counted = wrapped as CoreApi;
});
after(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

class FakeWebContents extends EventEmitter {
  sent: unknown[][] = [];
  destroyed = false;
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  isDestroyed() {
    return this.destroyed;
  }
}
const ourContents = new FakeWebContents();
let windowOpen = true;
const ourWindow = { webContents: ourContents, isDestroyed: () => !windowOpen };
const getWindow = (() => ourWindow) as unknown as WindowRef;

function event(opts: { sender?: unknown; url?: string | null; parent?: unknown } = {}): IpcMainInvokeEvent {
  const frame = opts.url === null ? null : { url: opts.url ?? 'app://cost-desk/', parent: opts.parent ?? null };
  return { sender: opts.sender ?? ourContents, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

const handler = () => createIpcCallHandler({ api: counted, getWindow });

async function refused(e: IpcMainInvokeEvent, pattern: RegExp) {
  const before = calls;
  const r = await handler()(e, 'app.info', {});
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.code, 'invalid_input');
    assert.match(r.error.message, pattern);
  }
  assert.equal(calls, before, 'the core was not called');
}

test('a valid call from our window reaches the core', async () => {
  const before = calls;
  const r = await handler()(event(), 'app.info', {});
  assert.equal(r.ok, true, JSON.stringify(r));
  if (r.ok) assert.equal((r.value as { host: string }).host, 'electron');
  assert.equal(calls, before + 1);
});

test('a frame on another origin is refused', async () => {
  await refused(event({ url: 'https://evil.example/' }), /not part of Cost Desk/);
  await refused(event({ url: 'file:///tmp/x.html' }), /not part of Cost Desk/);
  await refused(event({ url: 'app://evil/' }), /not part of Cost Desk/);
});

test('another webContents, a sub-frame, a vanished frame or a closed window is refused', async () => {
  await refused(event({ sender: new FakeWebContents() }), /did not come from the Cost Desk window/);
  await refused(event({ parent: { url: 'app://cost-desk/' } }), /sub-frame/);
  await refused(event({ url: null }), /frame is gone/);
  windowOpen = false;
  try {
    await refused(event(), /no Cost Desk window/);
  } finally {
    windowOpen = true;
  }
});

test('unknown methods and invalid input are refused by the contract, before the core', async () => {
  const before = calls;
  const unknown = await handler()(event(), 'fs.readFile', { path: '/etc/passwd' });
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.equal(unknown.error.code, 'invalid_input');
  const bad = await handler()(event(), 'calls.get', { id: 'one' });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.equal(bad.error.code, 'invalid_input');
  const extra = await handler()(event(), 'app.info', { sneaky: true });
  assert.equal(extra.ok, false);
  assert.equal(calls, before);
});

test('registerIpc uses one channel; core events go to our window only', () => {
  const handled: string[] = [];
  const unregister = registerIpc(
    { handle: (ch: string) => void handled.push(ch), removeHandler: (ch: string) => void handled.push(`-${ch}`) } as never,
    handler(),
  );
  unregister();
  assert.deepEqual(handled, ['cost-desk:call', '-cost-desk:call']);

  const off = forwardEvents(core.events, getWindow);
  core.events.emit('ledger.changed', { at: 5, topics: ['calls'] });
  assert.deepEqual(ourContents.sent.at(-1), [EVENT_CHANNEL, 'ledger.changed', { at: 5, topics: ['calls'] }]);
  const count = ourContents.sent.length;
  ourContents.destroyed = true;
  core.events.emit('ledger.changed', { at: 6, topics: ['calls'] });
  assert.equal(ourContents.sent.length, count, 'nothing is sent to a destroyed webContents');
  ourContents.destroyed = false;
  off();
  core.events.emit('ledger.changed', { at: 7, topics: ['calls'] });
  assert.equal(ourContents.sent.length, count);
});
