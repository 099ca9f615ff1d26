// Key storage: the host-encrypted file store (browser host, CLI), the safeStorage store
// (Electron; safeStorage itself is a stand-in because no Electron binary runs here) and the
// read-only environment store.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  BASIC_TEXT_WARNING,
  HOST_ENCRYPTED_FILES,
  NO_SAFE_STORAGE_WARNING,
  SAFE_STORAGE_FILE,
  SecretStoreError,
  createElectronSecretStore,
  createEnvSecretStore,
  createHostEncryptedSecretStore,
  createNodeSecretStore,
  createSafeStorageSecretStore,
  type SafeStorageLike,
} from '../../electron/secrets/index.ts';

const KEY = 'KEY0123456789abcdefSECRETtelnyx_ZZZ';
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'cost-desk-secrets-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';
async function mode(file: string): Promise<number> {
  return (await stat(file)).mode & 0o777;
}

describe('host-encrypted store', () => {
  test('round trip, persisted across instances, cleared', async () => {
    const dir = await tempDir();
    const store = createHostEncryptedSecretStore({ dir });
    assert.equal(store.kind, 'host-encrypted');
    assert.ok(store.warning);
    assert.equal(await store.get(), null);
    await store.set(KEY);
    assert.equal(await store.get(), KEY);
    assert.equal(await createHostEncryptedSecretStore({ dir }).get(), KEY, 'a new instance reads the same key');
    await store.set(`${KEY}-2`);
    assert.equal(await store.get(), `${KEY}-2`);
    await store.clear();
    assert.equal(await store.get(), null);
    assert.deepEqual(await readdir(dir), [], 'clear removes the ciphertext and the master key');
  });

  test('neither file contains the key, in any common encoding', async () => {
    const dir = await tempDir();
    await createHostEncryptedSecretStore({ dir }).set(KEY);
    const files = await readdir(dir);
    assert.deepEqual(files.sort(), [HOST_ENCRYPTED_FILES.cipher, HOST_ENCRYPTED_FILES.masterKey].sort());
    for (const f of files) {
      const bytes = await readFile(join(dir, f));
      for (const needle of [KEY, Buffer.from(KEY).toString('base64'), Buffer.from(KEY).toString('hex'), KEY.slice(0, 12)]) {
        assert.equal(bytes.includes(Buffer.from(needle)), false, `${f} contains ${needle.slice(0, 6)}...`);
      }
    }
    const master = await readFile(join(dir, HOST_ENCRYPTED_FILES.masterKey));
    assert.equal(master.length, 32, 'a 32-byte master key');
  });

  test('files are created 0600 and loosened files are tightened on read', { skip: !posix && 'POSIX modes only' }, async () => {
    const dir = await tempDir();
    const store = createHostEncryptedSecretStore({ dir });
    await store.set(KEY);
    const cipher = join(dir, HOST_ENCRYPTED_FILES.cipher);
    const master = join(dir, HOST_ENCRYPTED_FILES.masterKey);
    assert.equal(await mode(cipher), 0o600);
    assert.equal(await mode(master), 0o600);
    await chmod(cipher, 0o644);
    await chmod(master, 0o644);
    assert.equal(await store.get(), KEY);
    assert.equal(await mode(cipher), 0o600);
    assert.equal(await mode(master), 0o600);
  });

  test('tampered ciphertext, tag or header is refused with a clear error that does not leak the key', async () => {
    const dir = await tempDir();
    const store = createHostEncryptedSecretStore({ dir });
    await store.set(KEY);
    const cipher = join(dir, HOST_ENCRYPTED_FILES.cipher);
    const original = await readFile(cipher);
    for (const at of [original.length - 1, 4 + 12 + 3, 4 + 2]) {
      const bad = Buffer.from(original);
      bad[at] = bad[at]! ^ 0x01;
      await writeFile(cipher, bad);
      await assert.rejects(store.get(), (err: unknown) => {
        assert.ok(err instanceof SecretStoreError);
        assert.match(err.message, /integrity check/);
        assert.ok(err.action, 'says what to do');
        assert.ok(!err.message.includes(KEY) && !String(err.action).includes(KEY));
        return true;
      });
    }
    await writeFile(cipher, Buffer.from('not ours'));
    await assert.rejects(store.get(), /not in a format/);
  });

  test('a missing or replaced master key is reported, not guessed around', async () => {
    const dir = await tempDir();
    const store = createHostEncryptedSecretStore({ dir });
    await store.set(KEY);
    const master = join(dir, HOST_ENCRYPTED_FILES.masterKey);
    await writeFile(master, randomBytes(32));
    await assert.rejects(store.get(), /integrity check/);
    await writeFile(master, randomBytes(7));
    await assert.rejects(store.get(), /damaged/);
    await rm(master);
    await assert.rejects(store.get(), /key file .* is missing/);
  });
});

/** Stands in for Electron's safeStorage: real AES, a key the "OS" holds. */
function fakeSafeStorage(
  opts: { backend?: string; available?: boolean; syncAvailable?: boolean; reEncryptOnce?: boolean } = {},
): SafeStorageLike & { calls: string[] } {
  const osKey = randomBytes(32);
  let reEncrypt = opts.reEncryptOnce ?? false;
  const calls: string[] = [];
  return {
    calls,
    isEncryptionAvailable() {
      return opts.syncAvailable ?? true;
    },
    async isAsyncEncryptionAvailable() {
      return opts.available ?? true;
    },
    async encryptStringAsync(plain) {
      calls.push('encrypt');
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', osKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async decryptStringAsync(buf) {
      calls.push('decrypt');
      const d = createDecipheriv('aes-256-gcm', osKey, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      const result = Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
      const shouldReEncrypt = reEncrypt;
      reEncrypt = false;
      return { shouldReEncrypt, result };
    },
    getSelectedStorageBackend() {
      return opts.backend ?? 'gnome_libsecret';
    },
  };
}

describe('safeStorage store', () => {
  test('round trip through the OS encryptor; the file holds only ciphertext, mode 0600', async () => {
    const dir = await tempDir();
    const file = join(dir, SAFE_STORAGE_FILE);
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage(), file, platform: 'linux' });
    assert.equal(store.kind, 'os-keychain');
    assert.equal(store.warning, null);
    assert.equal(await store.get(), null);
    await store.set(KEY);
    assert.equal(await store.get(), KEY);
    const bytes = await readFile(file);
    assert.equal(bytes.includes(Buffer.from(KEY)), false);
    if (posix) assert.equal(await mode(file), 0o600);
    await store.clear();
    assert.equal(await store.get(), null);
  });

  test('Linux basic_text backend is reported as basic-text with a warning', async () => {
    const dir = await tempDir();
    const linux = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), file: join(dir, 'k'), platform: 'linux' });
    assert.equal(linux.kind, 'basic-text');
    assert.equal(linux.warning, BASIC_TEXT_WARNING);
    assert.match(linux.warning!, /^The API key is stored obfuscated, not encrypted, on this desktop/);
    const mac = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), file: join(dir, 'k'), platform: 'darwin' });
    assert.equal(mac.kind, 'os-keychain', 'the backend name only matters on Linux');
  });

  test('Linux counts only a named keyring as encryption (unknown, or a name we do not know, is obfuscation)', async () => {
    const dir = await tempDir();
    const kind = (backend: string) => createSafeStorageSecretStore({ safeStorage: fakeSafeStorage({ backend }), file: join(dir, 'k'), platform: 'linux' }).kind;
    assert.deepEqual(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6', 'basic_text', 'unknown', 'some_new_store'].map(kind), [
      'os-keychain',
      'os-keychain',
      'os-keychain',
      'os-keychain',
      'basic-text',
      'basic-text',
      'basic-text',
    ]);
  });

  test('safeStorage must be available to both APIs, else the host-encrypted file is used', async () => {
    const store = await createElectronSecretStore({ safeStorage: fakeSafeStorage({ syncAvailable: false }), dataDir: await tempDir(), platform: 'linux' });
    assert.equal(store.kind, 'host-encrypted');
  });

  test('undecryptable bytes give a clear error; a rotated OS key re-encrypts the file', async () => {
    const dir = await tempDir();
    const file = join(dir, SAFE_STORAGE_FILE);
    const ss = fakeSafeStorage({ reEncryptOnce: true });
    const store = createSafeStorageSecretStore({ safeStorage: ss, file, platform: 'win32' });
    await store.set(KEY);
    const before = await readFile(file);
    assert.equal(await store.get(), KEY);
    assert.notDeepEqual(await readFile(file), before, 'shouldReEncrypt rewrote the file');
    assert.equal(await store.get(), KEY);

    const bad = Buffer.from(await readFile(file));
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    await writeFile(file, bad);
    await assert.rejects(store.get(), (err: unknown) => err instanceof SecretStoreError && /could not be decrypted/.test(err.message));
  });

  test('Electron falls back to the host-encrypted file when safeStorage is unavailable', async () => {
    const dir = await tempDir();
    const fallback = await createElectronSecretStore({ safeStorage: fakeSafeStorage({ available: false }), dataDir: dir, platform: 'linux' });
    assert.equal(fallback.kind, 'host-encrypted');
    assert.equal(fallback.warning, NO_SAFE_STORAGE_WARNING);
    await fallback.set(KEY);
    assert.equal(await fallback.get(), KEY);
    assert.ok((await readdir(dir)).includes(HOST_ENCRYPTED_FILES.cipher));

    const keychain = await createElectronSecretStore({ safeStorage: fakeSafeStorage(), dataDir: await tempDir(), platform: 'darwin' });
    assert.equal(keychain.kind, 'os-keychain');
  });
});

describe('environment store', () => {
  test('reads TELNYX_API_KEY, refuses to write it', async () => {
    const env = { TELNYX_API_KEY: `  ${KEY}\n` };
    const store = createEnvSecretStore(env);
    assert.equal(await store.get(), KEY);
    await assert.rejects(store.set('other-key-123'), (err: unknown) => err instanceof SecretStoreError && /TELNYX_API_KEY/.test(err.message));
    await assert.rejects(store.clear(), SecretStoreError);
    assert.equal(env.TELNYX_API_KEY, `  ${KEY}\n`);
    assert.equal(await createEnvSecretStore({}).get(), null);
    assert.equal(await createEnvSecretStore({ TELNYX_API_KEY: '   ' }).get(), null);
  });

  test('the CLI/browser host picks the variable when set, else the encrypted file', async () => {
    const dir = await tempDir();
    assert.equal(createNodeSecretStore(dir, { TELNYX_API_KEY: KEY }).kind, 'none');
    assert.equal(createNodeSecretStore(dir, {}).kind, 'host-encrypted');
  });
});
