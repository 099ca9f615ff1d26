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
      if (!value) return null;
      // A key pasted with a line break (or quotes, spaces) inside is refused here, by name,
      // instead of failing later as a key Telnyx would never accept.
      const bad = value.search(/[^\x21-\x7e]/);
      if (bad >= 0) {
        throw new SecretStoreError(
          `${name} has a ${/\s/.test(value[bad]!) ? 'space or line break' : 'character no API key has'} at character ${bad + 1}`,
          `Set ${name} to the key alone, on one line (Telnyx Portal > API Keys).`,
        );
      }
      return value;
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
