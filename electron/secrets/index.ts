// Key storage for every host. The core takes a SecretStore; the key never reaches a renderer.
import { createEnvSecretStore, hasEnvApiKey } from './env.ts';
import { createHostEncryptedSecretStore } from './host-encrypted.ts';
import type { SecretStore } from './types.ts';

export type { SecretStore, SecretStoreKind } from './types.ts';
export { SecretStoreError } from './errors.ts';
export { API_KEY_ENV, createEnvSecretStore, hasEnvApiKey } from './env.ts';
export { HOST_ENCRYPTED_FILES, HOST_ENCRYPTED_WARNING, createHostEncryptedSecretStore } from './host-encrypted.ts';
export {
  BASIC_TEXT_WARNING,
  NO_SAFE_STORAGE_WARNING,
  SAFE_STORAGE_FILE,
  createElectronSecretStore,
  createSafeStorageSecretStore,
  type SafeStorageLike,
} from './safe-storage.ts';

/** Browser host and CLI: TELNYX_API_KEY when set (read-only), else the encrypted file in the data dir. */
export function createNodeSecretStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretStore {
  return hasEnvApiKey(env) ? createEnvSecretStore(env) : createHostEncryptedSecretStore({ dir: dataDir });
}
