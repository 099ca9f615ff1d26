// `npm run web` on a fresh checkout: build the renderer first if dist/renderer is missing,
// in a child process (vite's own CLI) so its plugins and config never share our process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function rendererBuilt(rendererDir: string): boolean {
  return existsSync(join(rendererDir, 'index.html'));
}

/** Runs `vite build` in `root`; returns null on success, else why it failed. */
export function buildRenderer(root: string): string | null {
  let viteBin: string;
  try {
    const require = createRequire(join(root, 'package.json'));
    const pkgFile = require.resolve('vite/package.json');
    const bin = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin: string | Record<string, string> }).bin;
    viteBin = join(dirname(pkgFile), typeof bin === 'string' ? bin : (bin.vite ?? 'bin/vite.js'));
  } catch {
    return 'vite is not installed (run npm install)';
  }
  const r = spawnSync(process.execPath, [viteBin, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.error) return r.error.message;
  return r.status === 0 ? null : `vite build exited with code ${r.status}`;
}
