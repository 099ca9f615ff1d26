// Small file helpers shared by the file-backed stores: private (0600) files written
// atomically, so a crash mid-write leaves the old key or the new one, never half of one.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** Writes `data` to `file` with mode 0600 (temp file + fsync + rename). */
export async function writePrivateFile(file: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeNewFile(tmp, data);
  try {
    // The umask may have removed bits but never adds any; chmod makes the mode exact.
    if (process.platform !== 'win32') await chmod(tmp, PRIVATE_FILE_MODE);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Creates `file` (0600 at creation) holding `data`, flushed to disk. 'wx': an existing file
 * is never followed or reused; it fails with EEXIST instead.
 */
export async function writeNewFile(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The file's bytes, or null when it does not exist. */
export async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Tightens a key file that someone loosened (e.g. copied with a permissive umask). */
export async function ensurePrivate(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const s = await stat(file);
    if ((s.mode & 0o777) !== PRIVATE_FILE_MODE) await chmod(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export async function removeIfExists(file: string): Promise<void> {
  await rm(file, { force: true });
}
