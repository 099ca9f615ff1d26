// Where the Telnyx API key lives. The core only sees this interface; each host picks the
// strongest store it has (Electron: the OS keychain via safeStorage; the browser host and
// the CLI: an AES-GCM file, or the TELNYX_API_KEY environment variable for cron jobs).
// The interface itself is the core's (electron/core/runtime/secret-store.ts): declared once.

export type { SecretStore, SecretStoreKind } from '../core/runtime/secret-store.ts';
