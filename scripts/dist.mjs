// `npm run dist`: build, then electron-builder — with code signing and notarization decided by
// environment variables only, and stated before the build starts. No credentials: an unsigned
// build (electron-builder would otherwise pick any signing identity it finds in the macOS
// keychain). Credentials are electron-builder's own variables:
//   macOS / Windows signing:  CSC_LINK (a .p12/.pfx file or base64) + CSC_KEY_PASSWORD, or
//                             CSC_NAME (a keychain identity, macOS); WIN_CSC_LINK overrides for Windows
//   macOS notarization:       APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER, or
//                             APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or
//                             APPLE_KEYCHAIN + APPLE_KEYCHAIN_PROFILE
// Arguments go to electron-builder (e.g. npm run dist -- --linux deb).
import './require-node.mjs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './electron-binary.mjs';

const NOTARY_SETS = [
  ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
  ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
  ['APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE'],
];

/**
 * What this build will sign and notarize, from `env`: the variables to add for
 * electron-builder, one line per decision, or an error for half-given credentials.
 */
export function signingPlan(env, platform) {
  const set = (k) => typeof env[k] === 'string' && env[k] !== '';
  const notes = [];
  const add = {};
  const macSigned = set('CSC_LINK') || set('CSC_NAME');
  const winSigned = set('WIN_CSC_LINK') || set('CSC_LINK');
  if (set('CSC_LINK') && !set('CSC_KEY_PASSWORD')) return { env: add, notes, error: 'CSC_LINK is set but CSC_KEY_PASSWORD is not' };
  if (!macSigned) add.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
  if (platform === 'darwin')
    notes.push(macSigned ? 'macOS: signed with the CSC_LINK / CSC_NAME identity' : 'macOS: NOT signed (no CSC_LINK or CSC_NAME); Gatekeeper will warn');
  if (platform === 'win32')
    notes.push(winSigned ? 'Windows: signed with WIN_CSC_LINK / CSC_LINK' : 'Windows: NOT signed (no WIN_CSC_LINK or CSC_LINK); SmartScreen will warn');
  const partial = NOTARY_SETS.find((s) => s.some(set) && !s.every(set));
  const complete = NOTARY_SETS.find((s) => s.every(set));
  if (platform === 'darwin') {
    if (partial && !complete)
      return { env: add, notes, error: `notarization needs all of ${partial.join(', ')}; missing: ${partial.filter((k) => !set(k)).join(', ')}` };
    if (complete && !macSigned)
      return { env: add, notes, error: `notarization credentials (${complete.join(', ')}) are set but nothing signs the app: set CSC_LINK or CSC_NAME` };
    notes.push(complete ? `macOS: notarized (${complete.join(', ')})` : 'macOS: NOT notarized (no APPLE_* credentials)');
  }
  if (platform === 'linux') notes.push('Linux: deb and AppImage are not signed (no signing step for these formats)');
  return { env: add, notes, error: null };
}

async function main() {
  const plan = signingPlan(process.env, process.platform);
  if (plan.error) throw new Error(plan.error);
  for (const n of plan.notes) console.log(n);
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const { buildElectron } = await import('./build-electron.mjs');
  await buildElectron();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...plan.env },
  });
  process.exit(r.status ?? 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`npm run dist failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
