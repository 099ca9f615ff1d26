// What the core needs from a host's key storage. Structurally the same as the hosts'
// SecretStore (electron/secrets/types.ts); declared here so the core imports no host.
export interface SecretStore {
  readonly kind: 'os-keychain' | 'basic-text' | 'host-encrypted' | 'none';
  readonly warning: string | null;
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
