// window.costDesk as the preload builds it, over a stand-in ipcRenderer: only contract
// methods are sent, only contract events are delivered, and the IPC event object (which
// carries the sender) never reaches the page.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { IpcRenderer } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../electron/desktop/channels.ts';
import { createCostDeskBridge } from '../../electron/desktop/bridge.ts';

class FakeIpcRenderer extends EventEmitter {
  sent: unknown[][] = [];
  async invoke(...args: unknown[]) {
    this.sent.push(args);
    return { ok: true, value: 'from main' };
  }
}

function setup() {
  const ipc = new FakeIpcRenderer();
  return { ipc, bridge: createCostDeskBridge(ipc as unknown as IpcRenderer) };
}

test('exposes exactly invoke, subscribe and platform', () => {
  const { bridge } = setup();
  assert.deepEqual(Object.keys(bridge).sort(), ['invoke', 'platform', 'subscribe']);
  assert.equal(bridge.platform, 'electron');
});

test('contract methods go to the one call channel; anything else never leaves the page', async () => {
  const { ipc, bridge } = setup();
  assert.deepEqual(await bridge.invoke('app.info', {}), { ok: true, value: 'from main' });
  await bridge.invoke('settings.get');
  assert.deepEqual(ipc.sent, [
    [CALL_CHANNEL, 'app.info', {}],
    [CALL_CHANNEL, 'settings.get', {}],
  ]);
  for (const bad of ['shell.openExternal', '__proto__', 'constructor', 'toString', '', 42 as unknown as string]) {
    const r = (await bridge.invoke(bad, {})) as { ok: boolean; error: { code: string } };
    assert.equal(r.ok, false);
    assert.equal(r.error.code, 'invalid_input');
  }
  assert.equal(ipc.sent.length, 2);
});

test('subscribe delivers contract events without the IPC event, and unsubscribes', () => {
  const { ipc, bridge } = setup();
  const got: unknown[][] = [];
  const off = bridge.subscribe((...args) => void got.push(args));
  const ipcEvent = { sender: { secret: true } };
  ipc.emit(EVENT_CHANNEL, ipcEvent, 'ledger.changed', { at: 1, topics: ['calls'] });
  ipc.emit(EVENT_CHANNEL, ipcEvent, 'not.an.event', { x: 1 });
  assert.deepEqual(got, [['ledger.changed', { at: 1, topics: ['calls'] }]]);
  off();
  assert.equal(ipc.listenerCount(EVENT_CHANNEL), 0);
  ipc.emit(EVENT_CHANNEL, ipcEvent, 'ledger.changed', { at: 2, topics: ['calls', 'messages'] });
  assert.equal(got.length, 1);
  assert.throws(() => bridge.subscribe('nope' as never), TypeError);
});
