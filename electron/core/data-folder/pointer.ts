// Where the data folder is, when the user moved it: a small pointer file BESIDE the folder the
// hosts name (--data-dir, COST_DESK_DATA_DIR or the per-OS default; its "home"), e.g.
// ~/.local/share/telnyx-cost-desk.location.json. Beside, not inside: the old copy of the data
// may be removed by the user, the pointer must stay. It is written atomically (a temporary file
// renamed over it) and only once the new folder is complete and verified: it is the one step
// that commits a move, so a process killed at any moment leaves it naming a complete folder.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppFailure } from '../api/types.ts';

/** Left in a folder while a move copies into it; a folder holding it is an unfinished copy. */
export const MOVING_MARKER = '.cost-desk-move-incomplete';

export interface DataPointer {
  dataDir: string;
  /** The folder the data was moved from (kept until the user removes it). */
  movedFrom: string;
  movedAt: number;
}

export function pointerFile(home: string): string {
  return join(dirname(home), `${basename(home)}.location.json`);
}

export function readPointer(home: string): DataPointer | null {
  const file = pointerFile(home);
  if (!existsSync(file)) return null;
  let parsed: Partial<DataPointer>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataPointer>;
  } catch (err) {
    throw new AppFailure(
      'internal',
      `The data folder pointer ${file} cannot be read (${(err as Error).message}).`,
      `Fix or delete it (deleting it uses ${home} again).`,
    );
  }
  if (typeof parsed.dataDir !== 'string' || !parsed.dataDir)
    throw new AppFailure('internal', `The data folder pointer ${file} names no folder.`, `Fix or delete it (deleting it uses ${home} again).`);
  return { dataDir: parsed.dataDir, movedFrom: String(parsed.movedFrom ?? home), movedAt: Number(parsed.movedAt ?? 0) };
}

/** The folder to use: the pointer's when the data was moved, else `home` itself. */
export function followDataFolder(home: string): string {
  const p = readPointer(home);
  if (!p || p.dataDir === home) return home;
  // Never fall back to the old copy in silence: it is out of date since the move.
  if (!existsSync(p.dataDir) || !statSync(p.dataDir).isDirectory()) {
    throw new AppFailure(
      'internal',
      `The data folder was moved to ${p.dataDir}, which is missing.`,
      `Bring it back (or its drive), or delete ${pointerFile(home)} to use the copy in ${home} as it was before the move.`,
    );
  }
  // Killed after the pointer was written, before the marker was removed: the copy is complete.
  rmSync(join(p.dataDir, MOVING_MARKER), { force: true });
  return p.dataDir;
}

/** Writes the pointer (or removes it when the data is back in `home`), atomically. */
export function writePointer(home: string, p: DataPointer): void {
  const file = pointerFile(home);
  if (p.dataDir === home) {
    rmSync(file, { force: true });
    return;
  }
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(p));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The old copy after a move to `dataDir`, while it is still there (the user removes it). */
export function movedFrom(home: string, dataDir: string): string | null {
  const p = readPointer(home);
  return p && p.dataDir === dataDir && p.movedFrom !== dataDir && existsSync(p.movedFrom) ? p.movedFrom : null;
}
