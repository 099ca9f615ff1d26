// What the core needs from a host's key storage, declared here (the hosts' electron/secrets
// re-exports it) so the core imports no host.
import type { z } from 'zod';
import type { KeyStorage } from '../../../shared/contract.ts';

/** How the key is protected at rest; shown in Settings (contract: SettingsView.keyStorage). */
export type SecretStoreKind = z.infer<typeof KeyStorage>;

/** Where the Telnyx API key lives; each host supplies the strongest store it has. */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** Shown next to the key when it is stored weakly (null when there is nothing to say). */
  readonly warning: string | null;
  /** The stored key, or null when none is stored. Throws when the stored key is unreadable. */
  get(): Promise<string | null>;
  set(value: string): Promise<void>;
  clear(): Promise<void>;
}

/** Keeps the key in memory only (tests, and a CLI run given TELNYX_API_KEY). */
export function memorySecretStore(initial: string | null = null): SecretStore {
  let value = initial;
  return {
    kind: 'none',
    warning: null,
    get: async () => value,
    set: async (v) => {
      value = v;
    },
    clear: async () => {
      value = null;
    },
  };
}
