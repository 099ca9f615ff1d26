// What the Electron preload exposes to the page as window.costDesk (contextBridge), declared
// once for both sides: electron/desktop/bridge.ts builds it, renderer/api/electron.ts uses it.
import type { EventName } from './contract.ts';

export interface CostDeskBridge {
  invoke(method: string, input?: unknown): Promise<unknown>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
  readonly platform: 'electron';
}
