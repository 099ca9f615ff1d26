// Where backups live and what they are called. A backup is one SQLite file in
// <data folder>/backups, named after the ledger it copies and the UTC moment it was taken:
// ledger-20260115-093000.db (by hand) or ledger-20260115-093000-auto.db (the daily one).
// A file is written as .partial and renamed when complete, so a listed backup is never half.
import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

export const BACKUPS_DIR = 'backups';

export interface BackupFileInfo {
  file: string;
  name: string;
  bytes: number;
  at: number;
  auto: boolean;
}

export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUPS_DIR);
}

/** "ledger.db" -> "ledger", "demo-ledger.db" -> "demo-ledger". */
export function ledgerStem(ledgerFile: string): string {
  return basename(ledgerFile).replace(/\.db$/, '');
}

function stamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-15T09:30:00.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

export function backupName(ledgerFile: string, at: number, auto: boolean): string {
  return `${ledgerStem(ledgerFile)}-${stamp(at)}${auto ? '-auto' : ''}.db`;
}

const NAME = /^(.+)-(\d{8})-(\d{6})(-auto)?(?:-(\d+))?\.db$/;

function parseName(name: string): { stem: string; at: number; auto: boolean } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [d, t] = [m[2]!, m[3]!];
  const at = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
  return Number.isFinite(at) ? { stem: m[1]!, at, auto: m[4] !== undefined } : null;
}

/** A free name in `dir`: two backups in one second get -2, -3 (never an overwrite). */
export function freeBackupPath(dir: string, ledgerFile: string, at: number, auto: boolean): string {
  mkdirSync(dir, { recursive: true });
  const name = backupName(ledgerFile, at, auto);
  let path = join(dir, name);
  for (let n = 2; existsSync(path); n++) path = join(dir, name.replace(/\.db$/, `-${n}.db`));
  return path;
}

/** The backups of this ledger in `dir`, newest first. */
export function listBackups(dir: string, ledgerFile: string): BackupFileInfo[] {
  if (!existsSync(dir)) return [];
  const stem = ledgerStem(ledgerFile);
  const out: BackupFileInfo[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseName(name);
    if (!parsed || parsed.stem !== stem) continue;
    const file = join(dir, name);
    out.push({ file, name, bytes: statSync(file).size, at: parsed.at, auto: parsed.auto });
  }
  return out.sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
}

/** Deletes the automatic backups beyond the newest `keep` (backups made by hand stay). */
export function pruneAutoBackups(dir: string, ledgerFile: string, keep: number): string[] {
  const old = listBackups(dir, ledgerFile)
    .filter((b) => b.auto)
    .slice(keep);
  for (const b of old) unlinkSync(b.file);
  return old.map((b) => b.name);
}
