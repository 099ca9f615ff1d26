// IPC channel names, shared by the main process and the preload (kept import-free so the
// preload bundle stays small).
export const CALL_CHANNEL = 'cost-desk:call';
export const EVENT_CHANNEL = 'cost-desk:event';
