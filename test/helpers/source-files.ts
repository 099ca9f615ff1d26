// The project's own source files, for tests that read the code itself (the import graph, SQL
// outside its home, long functions): found by walking the folders, so a new file is never missed.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Every file under `dir` (repo-relative, as are the paths returned) whose name matches `ext`, declaration files (.d.ts) left out. */
export function walkSourceFiles(dir: string, ext = /\.(ts|mts)$/): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(REPO_ROOT, dir))) {
    const p = join(dir, name);
    if (statSync(join(REPO_ROOT, p)).isDirectory()) out.push(...walkSourceFiles(p, ext));
    else if (ext.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}
