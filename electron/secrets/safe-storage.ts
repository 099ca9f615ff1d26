// The desktop key store: Electron's safeStorage encrypts with a key held by the OS
// (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and we keep only the
// encrypted bytes, in a 0600 file under the data dir. On Linux without a keyring Chromium
// falls back to a password built into it: the bytes are only obfuscated, so the store says so
// in its warning. When safeStorage is not available at all (isEncryptionAvailable() and the
// asynchronous API must both say yes) the Electron host falls back to the host-encrypted file
// store (see createElectronSecretStore).
//
// safeStorage is a parameter, not an import, so this module runs (and is tested) in plain Node.
import { join } from 'node:path';
import { SecretStoreError } from './errors.ts';
import { ensurePrivate, readIfExists, removeIfExists, writePrivateFile } from './files.ts';
import { createHostEncryptedSecretStore } from './host-encrypted.ts';
import type { SecretStore } from './types.ts';

/** The part of Electron's `safeStorage` we use (Electron's object satisfies it). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only: which password store Chromium picked (for the synchronous API, see below). */
  getSelectedStorageBackend(): string;
}

/**
 * Linux: is the key really encrypted? getSelectedStorageBackend() names the synchronous API's
 * password store; the asynchronous API we use picks its key provider from the same Secret
 * Service / KWallet and otherwise falls back to a built-in key, which Electron does not report
 * (docs/api/safe-storage.md). So only a named keyring counts; 'basic_text', 'unknown' (asked
 * before 'ready') or a name we do not know are treated as obfuscation.
 */
const LINUX_KEYRINGS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function linuxBackendEncrypts(backend: string): boolean {
  return LINUX_KEYRINGS.has(backend);
}

export const SAFE_STORAGE_FILE = 'api-key.safestorage';

export const BASIC_TEXT_WARNING =
  'The API key is stored obfuscated, not encrypted, on this desktop: no keyring (GNOME Keyring or KWallet) was found, ' +
  'so anyone who can read your files can recover it. Install and unlock a keyring (e.g. gnome-keyring), or start the app ' +
  'with --password-store=gnome-libsecret, then enter the key again.';

export const NO_SAFE_STORAGE_WARNING =
  'The OS keychain is not available, so the API key is encrypted with a key kept in the same data folder ' +
  '(readable only by your user account). Anyone who can read your files as you can recover it.';

export interface SafeStorageStoreOptions {
  safeStorage: SafeStorageLike;
  /** The file holding the encrypted bytes. */
  file: string;
  platform?: NodeJS.Platform;
}

/** A store over safeStorage. Call after the app's `ready` event (the backend is unknown before). */
export function createSafeStorageSecretStore(options: SafeStorageStoreOptions): SecretStore {
  const { safeStorage, file } = options;
  const platform = options.platform ?? process.platform;
  const basicText = platform === 'linux' && !linuxBackendEncrypts(safeStorage.getSelectedStorageBackend());

  async function encryptTo(value: string): Promise<void> {
    await writePrivateFile(file, await safeStorage.encryptStringAsync(value));
  }

  return {
    kind: basicText ? 'basic-text' : 'os-keychain',
    warning: basicText ? BASIC_TEXT_WARNING : null,

    async get() {
      const blob = await readIfExists(file);
      if (blob === null) return null;
      await ensurePrivate(file);
      let decrypted: { shouldReEncrypt: boolean; result: string };
      try {
        decrypted = await safeStorage.decryptStringAsync(blob);
      } catch {
        throw new SecretStoreError(
          `the stored API key in ${file} could not be decrypted by the OS keychain ` + '(it was modified, or was saved by another user account or keyring)',
          'Clear the API key in Settings and enter it again.',
        );
      }
      // The OS rotated its key (or a stronger backend became available): store it anew.
      if (decrypted.shouldReEncrypt) await encryptTo(decrypted.result);
      return decrypted.result;
    },

    async set(value) {
      await encryptTo(value);
    },

    async clear() {
      await removeIfExists(file);
    },
  };
}

/**
 * The Electron host's choice: safeStorage when the OS offers it, else the host-encrypted
 * file store with a warning that says why (a key is never kept in plain text).
 */
export async function createElectronSecretStore(options: { safeStorage: SafeStorageLike; dataDir: string; platform?: NodeJS.Platform }): Promise<SecretStore> {
  let available = false;
  try {
    available = options.safeStorage.isEncryptionAvailable() && (await options.safeStorage.isAsyncEncryptionAvailable());
  } catch {
    available = false;
  }
  if (!available) {
    return createHostEncryptedSecretStore({ dir: options.dataDir, warning: NO_SAFE_STORAGE_WARNING });
  }
  return createSafeStorageSecretStore({
    safeStorage: options.safeStorage,
    file: join(options.dataDir, SAFE_STORAGE_FILE),
    ...(options.platform ? { platform: options.platform } : {}),
  });
}
