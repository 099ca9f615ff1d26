// Electron transport: the preload's contextBridge object. It already speaks Results; the
// client still checks every envelope it hands back.
import type { CostDeskBridge } from '../../shared/bridge.ts';
import type { Method } from '../../shared/contract.ts';
import type { RawTransport } from './types.ts';

export function createElectronTransport(bridge: CostDeskBridge): RawTransport {
  return {
    platform: 'electron',
    invoke: (method: Method, input: unknown) => bridge.invoke(method, input),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

export function electronBridge(): CostDeskBridge | null {
  const b = typeof window !== 'undefined' ? window.costDesk : undefined;
  return b && typeof b.invoke === 'function' && typeof b.subscribe === 'function' ? b : null;
}
