// What the preload exposes as window.costDesk: invoke, subscribe, platform — nothing else.
// Method and event names are checked against the contract here, so a compromised renderer
// cannot use the bridge to reach other IPC channels; the main process checks again.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { CostDeskBridge } from '../../shared/bridge.ts';
import { EVENT_NAMES, METHODS, type EventName, type Method } from '../../shared/contract.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels.ts';

const methods: ReadonlySet<string> = new Set<Method>(METHODS);
const eventNames: ReadonlySet<string> = new Set<EventName>(EVENT_NAMES);

export function createCostDeskBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): CostDeskBridge {
  return {
    platform: 'electron',
    invoke(method, input) {
      if (typeof method !== 'string' || !methods.has(method)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'invalid_input', message: `unknown method ${JSON.stringify(String(method)).slice(0, 80)}` },
        });
      }
      return ipc.invoke(CALL_CHANNEL, method, input ?? {});
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('subscribe(listener) needs a function');
      // The IPC event object (which carries the sender) never reaches the page.
      const handler = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
        if (typeof name === 'string' && eventNames.has(name)) listener(name as EventName, payload);
      };
      ipc.on(EVENT_CHANNEL, handler);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, handler);
      };
    },
  };
}
