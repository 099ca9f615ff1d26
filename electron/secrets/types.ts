// Where the Telnyx API key lives. The core only sees this interface; each host picks the
// strongest store it has (Electron: the OS keychain via safeStorage; the browser host and
// the CLI: an AES-GCM file, or the TELNYX_API_KEY environment variable for cron jobs).
// Deliberately free of imports so the core can depend on the type without pulling a host in.

export type SecretStoreKind = 'os-keychain' | 'basic-text' | 'host-encrypted' | 'none';

export interface SecretStore {
  /** How the key is protected at rest; shown in Settings (contract: SettingsView.keyStorage). */
  readonly kind: SecretStoreKind;
  /** Shown next to the key when it is stored weakly (null when there is nothing to say). */
  readonly warning: string | null;
  /** The stored key, or null when none is stored. Throws SecretStoreError when unreadable. */
  get(): Promise<string | null>;
  set(value: string): Promise<void>;
  clear(): Promise<void>;
}
