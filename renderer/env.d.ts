/// <reference types="vite/client" />

/** Set by vite.config.ts: true only in `--mode mock` builds (never in production). */
declare const __COST_DESK_MOCK__: boolean;

interface Window {
  /** What the Electron preload exposes (contextBridge). Absent in the browser host. */
  costDesk?: import('../shared/bridge.ts').CostDeskBridge;
}
