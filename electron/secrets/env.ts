// The read-only key store for the CLI and cron jobs: the key comes from TELNYX_API_KEY and
// is never written anywhere by us. Setting or clearing it here is refused with a message
// that says where it comes from.
import { SecretStoreError } from './errors.ts';
import type { SecretStore } from './types.ts';

export const API_KEY_ENV = 'TELNYX_API_KEY';

export function createEnvSecretStore(env: NodeJS.ProcessEnv = process.env, name: string = API_KEY_ENV): SecretStore {
  const readOnly = () =>
    new SecretStoreError(
      `the API key comes from the ${name} environment variable and cannot be changed from here`,
      `Change or unset ${name} where it is defined, then restart.`,
    );
  return {
    kind: 'none',
    warning: `The API key is read from the ${name} environment variable; it is not stored by Cost Desk.`,
    async get() {
      const value = env[name]?.trim();
      return value ? value : null;
    },
    async set() {
      throw readOnly();
    },
    async clear() {
      throw readOnly();
    },
  };
}

/** Whether TELNYX_API_KEY is set (non-blank): the CLI and browser host then use it, read-only. */
export function hasEnvApiKey(env: NodeJS.ProcessEnv = process.env, name: string = API_KEY_ENV): boolean {
  return Boolean(env[name]?.trim());
}
