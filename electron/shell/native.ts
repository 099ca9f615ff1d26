// better-sqlite3 must be built for Electron's ABI, which differs from Node's. We build it
// separately (scripts/build-electron-native.mjs) into native/electron/better_sqlite3.node and
// ship it as an extra resource; the main process hands its path to openLedger's
// nativeBinding. node_modules/better-sqlite3 keeps the Node build the tests use.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_ADDON = 'better_sqlite3.node';

/** Packaged: <resources>/native/better_sqlite3.node. Development: <app>/native/electron/better_sqlite3.node. */
export function nativeBindingCandidates(appPath: string, resourcesPath: string | undefined): string[] {
  const list = [join(appPath, 'native', 'electron', NATIVE_ADDON)];
  if (resourcesPath) list.unshift(join(resourcesPath, 'native', NATIVE_ADDON));
  return list;
}

export function findNativeBinding(candidates: readonly string[], exists: (p: string) => boolean = existsSync): string | undefined {
  return candidates.find((c) => exists(c));
}
