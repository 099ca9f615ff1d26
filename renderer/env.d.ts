/// <reference types="vite/client" />

/** Set by vite.config.ts: true only in `--mode mock` builds (never in production). */
declare const __COST_DESK_MOCK__: boolean;

/** What the Electron preload exposes (contextBridge). Absent in the browser host. */
interface CostDeskBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  platform: 'electron';
}

interface Window {
  costDesk?: CostDeskBridge;
}
