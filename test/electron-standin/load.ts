// Runs a built main-process bundle (dist/electron/main.cjs) in this Node process with
// `require('electron')` answered by the stand-in; every other require is the real one.
import { createRequire, registerHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const MODULE_URL = pathToFileURL(join(import.meta.dirname, 'electron-module.cjs')).href;
let hooked = false;

export function requireWithStandIn(bundle: string, electron: object): unknown {
  (globalThis as Record<symbol, unknown>)[Symbol.for('cost-desk.electron-stand-in')] = electron;
  if (!hooked) {
    hooked = true;
    registerHooks({
      resolve(specifier, context, next) {
        return specifier === 'electron' ? { url: MODULE_URL, format: 'commonjs', shortCircuit: true } : next(specifier, context);
      },
    });
  }
  return createRequire(import.meta.url)(bundle);
}
