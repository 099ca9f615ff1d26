// The key store for hosts without an OS keychain (browser host, CLI): AES-256-GCM with a
// random 32-byte master key kept in its own 0600 file. It keeps the key out of plain text
// (backups, grep, a screen share of the data folder) and detects tampering (GCM tag), but
// anyone who can read both files as this user can decrypt them; the warning says so.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretStoreError } from './errors.ts';
import { ensurePrivate, readIfExists, removeIfExists, writeNewFile, writePrivateFile } from './files.ts';
import type { SecretStore } from './types.ts';

const MAGIC = Buffer.from('CDK1'); // file format version: bump when the layout changes
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Binds the ciphertext to its purpose, so another file encrypted with this key cannot pass for it. */
const AAD = Buffer.from('telnyx-cost-desk:api-key:v1');

export const HOST_ENCRYPTED_FILES = { cipher: 'api-key.enc', masterKey: 'api-key.master' } as const;

export const HOST_ENCRYPTED_WARNING =
  'The API key is encrypted with a key kept in the same data folder (readable only by your user account). ' +
  'It is not in plain text, but anyone who can read your files as you can recover it.';

export interface HostEncryptedOptions {
  /** Folder holding the two files (the app's data dir). */
  dir: string;
  /** Overrides the default warning (e.g. Electron falling back here explains why). */
  warning?: string | null;
}

export function createHostEncryptedSecretStore(options: HostEncryptedOptions): SecretStore {
  const cipherFile = join(options.dir, HOST_ENCRYPTED_FILES.cipher);
  const keyFile = join(options.dir, HOST_ENCRYPTED_FILES.masterKey);

  async function readMasterKey(): Promise<Buffer | null> {
    const key = await readIfExists(keyFile);
    if (key === null) return null;
    if (key.length !== KEY_BYTES) {
      throw new SecretStoreError(
        `the key file ${keyFile} is damaged (${key.length} bytes, expected ${KEY_BYTES})`,
        'Clear the API key in Settings (or delete the file) and enter the key again.',
      );
    }
    await ensurePrivate(keyFile);
    return key;
  }

  async function masterKeyForWriting(): Promise<Buffer> {
    const existing = await readMasterKey();
    if (existing) return existing;
    const fresh = randomBytes(KEY_BYTES);
    try {
      // 'wx' fails if another process created it first; then that one's key is the key.
      await writeNewFile(keyFile, fresh);
      await ensurePrivate(keyFile);
      return fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        const winner = await readMasterKey();
        if (winner) return winner;
      }
      throw err;
    }
  }

  return {
    kind: 'host-encrypted',
    warning: options.warning === undefined ? HOST_ENCRYPTED_WARNING : options.warning,

    async get() {
      const blob = await readIfExists(cipherFile);
      if (blob === null) return null;
      await ensurePrivate(cipherFile);
      const key = await readMasterKey();
      if (key === null) {
        throw new SecretStoreError(
          `the stored API key cannot be decrypted: its key file ${keyFile} is missing`,
          'Clear the API key in Settings and enter it again.',
        );
      }
      return decrypt(blob, key, cipherFile);
    },

    async set(value) {
      const key = await masterKeyForWriting();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      await writePrivateFile(cipherFile, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]));
    },

    async clear() {
      // The master key goes too: a later set() starts from a fresh key.
      await removeIfExists(cipherFile);
      await removeIfExists(keyFile);
    },
  };
}

function decrypt(blob: Buffer, key: Buffer, file: string): string {
  const headerBytes = MAGIC.length + IV_BYTES + TAG_BYTES;
  if (blob.length < headerBytes || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SecretStoreError(
      `the stored API key in ${file} is not in a format this version understands`,
      'Clear the API key in Settings and enter it again.',
    );
  }
  const iv = blob.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = blob.subarray(MAGIC.length + IV_BYTES, headerBytes);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(headerBytes)), decipher.final()]).toString('utf8');
  } catch {
    // GCM refused the tag: the file (or its key) was changed. Say so; never guess.
    throw new SecretStoreError(
      `the stored API key in ${file} failed its integrity check (the file or its key file was modified or corrupted)`,
      'Clear the API key in Settings and enter it again.',
    );
  }
}
