// The OS-facing modules the main process uses: dialog, shell, screen, net, safeStorage — each
// answering as Electron's docs describe, with what the test decides (a save location, a
// keyring backend) and a record of what was asked.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Rectangle } from './browser-window.ts';

export interface DialogAnswers {
  /** Where the "Save" dialog saves; null = the user cancelled. */
  savePath?: (options: { defaultPath?: string }) => string | null;
  /** Which button of a message box the user clicks (index). */
  messageBoxResponse?: (options: { buttons?: string[]; message?: string }) => number;
}

export function dialogStandIn(answers: DialogAnswers, record: Array<{ kind: string; args: unknown }>) {
  const opts = (a: unknown[]) => (a.length > 1 ? a[1] : a[0]) as Record<string, unknown>;
  return {
    showSaveDialog(...a: unknown[]) {
      const o = opts(a);
      record.push({ kind: 'showSaveDialog', args: o });
      const path = answers.savePath ? answers.savePath(o as { defaultPath?: string }) : null;
      return Promise.resolve(path === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: path });
    },
    showMessageBox(...a: unknown[]) {
      const o = opts(a);
      record.push({ kind: 'showMessageBox', args: o });
      return Promise.resolve({ response: answers.messageBoxResponse?.(o as { buttons?: string[] }) ?? 0, checkboxChecked: false });
    },
    showErrorBox(title: string, content: string) {
      record.push({ kind: 'showErrorBox', args: { title, content } });
    },
  };
}

/**
 * Notification (docs/api/notification.md): `Notification.isSupported()`, `new Notification({
 * title, body })`, `show()`. Shown notifications are recorded.
 */
export function notificationStandIn(record: Array<{ kind: string; args: unknown }>) {
  return class Notification {
    static isSupported(): boolean {
      return true;
    }
    constructor(private readonly options: { title?: string; body?: string } = {}) {}
    show(): void {
      record.push({ kind: 'notification', args: { title: this.options.title ?? '', body: this.options.body ?? '' } });
    }
  };
}

export function shellStandIn(record: Array<{ kind: string; args: unknown }>) {
  return {
    openExternal(url: string) {
      record.push({ kind: 'openExternal', args: url });
      return Promise.resolve();
    },
    openPath(path: string) {
      record.push({ kind: 'openPath', args: path });
      return Promise.resolve(''); // docs: resolves with an error message, '' on success
    },
    showItemInFolder(path: string) {
      record.push({ kind: 'showItemInFolder', args: path });
    },
  };
}

/** One 1920x1080 display; `screen` may only be used after 'ready' (docs/api/screen.md). */
export function screenStandIn(isReady: () => boolean) {
  const display = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 };
  const check = () => {
    if (!isReady()) throw new Error("The 'screen' module can't be used before the app 'ready' event");
  };
  return {
    getAllDisplays: () => (check(), [display]),
    getPrimaryDisplay: () => (check(), display),
    getDisplayMatching: (_r: Rectangle) => (check(), display),
  };
}

/** net.fetch: Chromium's network stack in Electron; here Node's fetch (the tests' network guard applies). */
export function netStandIn(record: Array<{ kind: string; args: unknown }>) {
  return {
    fetch(input: string | URL | Request, init?: RequestInit) {
      record.push({ kind: 'net.fetch', args: String(input instanceof Request ? input.url : input) });
      return fetch(input, init);
    },
  };
}

export interface KeyringOptions {
  /** getSelectedStorageBackend() after 'ready' (Linux): 'gnome_libsecret', 'kwallet5', 'basic_text', ... */
  backend: string;
  /** isEncryptionAvailable() after 'ready'. */
  available: boolean;
  asyncAvailable: boolean;
}

/**
 * safeStorage (docs/api/safe-storage.md): a keyring's secret key in memory (basic_text: a
 * hard-coded one — obfuscation, as in Chromium), AES-256-GCM; before 'ready' nothing is
 * available and the Linux backend is 'unknown'.
 */
export function safeStorageStandIn(options: KeyringOptions, isReady: () => boolean) {
  const key = options.backend === 'basic_text' ? Buffer.alloc(32, 'peanuts') : randomBytes(32);
  const available = () => isReady() && options.available;
  const asyncAvailable = () => isReady() && options.asyncAvailable;
  const encrypt = (text: string, can = available): Buffer => {
    if (!can()) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, c.getAuthTag(), body]);
  };
  const decrypt = (blob: Buffer, can = available): string => {
    if (!can()) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    if (blob.length < 31 || blob.subarray(0, 3).toString() !== 'v11')
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const d = createDecipheriv('aes-256-gcm', key, blob.subarray(3, 15));
    d.setAuthTag(blob.subarray(15, 31));
    return Buffer.concat([d.update(blob.subarray(31)), d.final()]).toString('utf8');
  };
  return {
    isEncryptionAvailable: available,
    isAsyncEncryptionAvailable: () => Promise.resolve(asyncAvailable()),
    encryptString: (text: string) => encrypt(text),
    decryptString: (blob: Buffer) => decrypt(blob),
    encryptStringAsync: async (text: string) => encrypt(text, asyncAvailable),
    decryptStringAsync: async (blob: Buffer) => ({ shouldReEncrypt: false, result: decrypt(blob, asyncAvailable) }),
    getSelectedStorageBackend: () => (isReady() ? options.backend : 'unknown'),
    setUsePlainTextEncryption: () => undefined,
  };
}
