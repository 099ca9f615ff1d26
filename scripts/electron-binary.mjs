// Where the Electron executable is, without triggering a download. (`require('electron')`
// downloads the binary when it is missing, which cannot work on an offline machine, so the
// lookup re-implements the package's path logic: ELECTRON_OVERRIDE_DIST_PATH, else
// node_modules/electron/path.txt + dist/.)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const DEFAULT_EXECUTABLE = {
  darwin: 'Electron.app/Contents/MacOS/Electron',
  win32: 'electron.exe',
};

/** @returns {{ path: string, reason: null } | { path: null, reason: string }} */
export function findElectronBinary(root = ROOT, env = process.env, platform = process.platform) {
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) {
    return { path: null, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || DEFAULT_EXECUTABLE[platform] || 'electron');
    return existsSync(candidate)
      ? { path: candidate, reason: null }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${candidate} does not exist` };
  }
  if (!relative) {
    return {
      path: null,
      reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing; its download failed or was skipped)',
    };
  }
  const candidate = join(pkgDir, 'dist', relative);
  return existsSync(candidate) ? { path: candidate, reason: null } : { path: null, reason: `the Electron binary ${candidate} is missing` };
}
