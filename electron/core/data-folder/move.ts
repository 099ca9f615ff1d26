// Moving the data folder (Settings → Data, data.move). The ledgers are copied with SQLite's
// online backup API while this process has them closed, each copy checked (integrity_check,
// the Cost Desk schema) and its row counts and totals compared with the original's; backups
// are copied and checked the same way, statements and app-state copied. Only then is the
// pointer beside the home folder written (pointer.ts): that one atomic rename commits the
// move. Before it, any failure (or a kill) leaves the old folder in use and the half copy is
// removed (or, after a kill, recognised by its marker and cleared by the next move); after it,
// the new folder is complete. The old folder is left as it was, for the user to remove.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AppFailure } from '../api/types.ts';
import { BACKUPS_DIR } from '../backup/files.ts';
import { snapshotLedger, type LedgerSummary } from '../backup/snapshot.ts';
import { checkBackupFile } from '../backup/verify.ts';
import { DEMO_LEDGER, LIVE_LEDGER } from '../runtime/session.ts';
import { STATEMENTS_DIR } from '../statements/index.ts';
import { MOVING_MARKER, writePointer } from './pointer.ts';

/** What a move copies: the ledgers, their backups and statements, and the demo choice. */
const LEDGERS = [LIVE_LEDGER, DEMO_LEDGER];
const FOLDERS = [BACKUPS_DIR, STATEMENTS_DIR];
const FILES = ['app-state.json'];

export interface MovedLedger {
  file: string;
  summary: LedgerSummary;
}
export interface MoveResult {
  from: string;
  to: string;
  ledgers: MovedLedger[];
  backups: number;
  files: number;
}

/** The step that failed and why, with the promise the user can rely on. */
class MoveFailure extends AppFailure {}
const fail = (step: string, why: string, from: string) =>
  new MoveFailure('invalid_input', `The data folder was not moved (${step}): ${why}. Cost Desk still uses ${from}; nothing there was changed.`);

/** Checks the target before anything is touched; returns whether it must be created. */
export function checkTarget(from: string, to: string): { create: boolean } {
  if (!isAbsolute(to)) throw fail('the new folder', `"${to}" is not an absolute path`, from);
  const rel = relative(from, to);
  if (rel === '') throw fail('the new folder', 'it is the folder in use', from);
  if (!rel.startsWith('..') && !isAbsolute(rel)) throw fail('the new folder', 'it is inside the folder in use', from);
  const back = relative(to, from);
  if (!back.startsWith('..') && !isAbsolute(back)) throw fail('the new folder', 'the folder in use is inside it', from);
  if (!existsSync(to)) return { create: true };
  if (!statSync(to).isDirectory()) throw fail('the new folder', `${to} is a file`, from);
  const entries = readdirSync(to);
  // A folder holding only what an interrupted move left (its marker says so) is used again.
  if (entries.length > 0 && !entries.includes(MOVING_MARKER)) throw fail('the new folder', `${to} is not empty`, from);
  return { create: false };
}

function sameSummary(a: LedgerSummary, b: LedgerSummary): boolean {
  const text = (s: LedgerSummary) => JSON.stringify(s, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return text(a) === text(b);
}

/** Like the folder it leaves, the copy is its owner's only (README: folder 0700, files 0600). */
const ownerOnly = (file: string) => process.platform !== 'win32' && chmodSync(file, 0o600);

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A ledger copied through the backup API, then checked and compared with its own snapshot. */
async function copyLedger(src: string, dst: string, from: string): Promise<LedgerSummary> {
  const wal = `${src}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw fail('copying the ledger', `another Cost Desk process (a CLI cron job, a second app) has ${src} open; close it and move again`, from);
  let summary: LedgerSummary;
  try {
    summary = await snapshotLedger(src, dst);
    ownerOnly(dst);
  } catch (err) {
    throw fail('copying the ledger', `${src} could not be copied (${(err as Error).message})`, from);
  }
  let copied: LedgerSummary;
  try {
    copied = checkBackupFile(dst);
  } catch (err) {
    throw fail('checking the copy', (err as Error).message, from);
  } finally {
    dropCheckLeftovers(dst);
  }
  if (!sameSummary(summary, copied)) throw fail('checking the copy', `the copy of ${src} does not hold the same rows and totals`, from);
  return summary;
}

/** What a read-only check leaves beside a WAL-mode copy (an empty -wal, a -shm): not data. */
function dropCheckLeftovers(file: string): void {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) return;
  rmSync(wal, { force: true });
  rmSync(`${file}-shm`, { force: true });
}

/**
 * A file copied as is and compared byte for byte (the source is not opened: the old folder is
 * left exactly as it was). A backup copy is also checked like a ledger (integrity_check, our
 * schema, readable counts), unless the original was not a readable backup either.
 */
function copyChecked(src: string, dst: string, from: string): void {
  copyFileSync(src, dst);
  ownerOnly(dst);
  if (sha(src) !== sha(dst)) throw fail('checking a copy', `the copy of ${src} differs from it`, from);
  if (!src.endsWith('.db')) return;
  try {
    checkBackupFile(dst);
  } catch {
    // Byte for byte the original: a backup that was damaged before the move stays as it was.
  } finally {
    dropCheckLeftovers(dst);
  }
}

function copyFolder(src: string, dst: string, from: string): number {
  if (!existsSync(src)) return 0;
  mkdirSync(dst, { recursive: true, mode: 0o700 });
  let n = 0;
  for (const name of readdirSync(src)) {
    const s = join(src, name);
    if (!statSync(s).isFile() || name.endsWith('.partial')) continue;
    copyChecked(s, join(dst, name), from);
    n++;
  }
  return n;
}

/**
 * Copies the data in `from` (whose ledgers this process has closed) into `to`, checks it,
 * and writes the pointer beside `home`. Throws a MoveFailure saying which step failed; the
 * copy is then removed and `from` is still the folder in use.
 */
export async function moveData(home: string, from: string, toRaw: string, now: number): Promise<MoveResult> {
  const to = resolve(toRaw);
  const { create } = checkTarget(from, to);
  try {
    mkdirSync(to, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(to)) rmSync(join(to, name), { recursive: true, force: true });
    writeFileSync(join(to, MOVING_MARKER), `Cost Desk is copying its data here from ${from}; a folder holding this file is not complete.\n`);
  } catch (err) {
    if (err instanceof MoveFailure) throw err;
    throw fail('preparing the new folder', (err as Error).message, from);
  }
  try {
    const ledgers: MovedLedger[] = [];
    for (const name of LEDGERS) {
      const src = join(from, name);
      if (existsSync(src)) ledgers.push({ file: join(to, name), summary: await copyLedger(src, join(to, name), from) });
    }
    let backups = 0;
    let files = 0;
    for (const folder of FOLDERS) {
      const n = copyFolder(join(from, folder), join(to, folder), from);
      if (folder === BACKUPS_DIR) backups = n;
      else files += n;
    }
    for (const name of FILES) {
      if (!existsSync(join(from, name))) continue;
      copyChecked(join(from, name), join(to, name), from);
      files++;
    }
    try {
      writePointer(home, { dataDir: to, movedFrom: from, movedAt: now });
    } catch (err) {
      throw fail('remembering the new folder', (err as Error).message, from);
    }
    rmSync(join(to, MOVING_MARKER), { force: true });
    return { from, to, ledgers, backups, files };
  } catch (err) {
    // Nothing committed: the half copy goes (the folder too, when this move created it).
    if (create) rmSync(to, { recursive: true, force: true });
    else for (const name of readdirSync(to)) rmSync(join(to, name), { recursive: true, force: true });
    if (err instanceof MoveFailure) throw err;
    throw fail('copying', (err as Error).message, from);
  }
}
