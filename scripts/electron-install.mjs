// Getting an Electron binary the way Electron 45 does it. Since Electron 42 the `electron`
// package has no postinstall: `bin.install-electron` (install.js) downloads the binary with
// @electron/get and writes path.txt, and `require('electron')` would run it silently on first
// use. `npm start` runs that same installer itself, in the open, so its progress and its
// error reach the user; nothing here re-implements the download.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** node_modules/electron's own installer script (package.json bin["install-electron"]). */
export function electronInstaller(root) {
  const pkgDir = join(root, 'node_modules', 'electron');
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  } catch {
    return { path: null, version: null, reason: 'the electron package is not installed (run npm install)' };
  }
  const bin = typeof pkg.bin === 'object' && pkg.bin ? pkg.bin['install-electron'] : undefined;
  if (typeof bin !== 'string') {
    return { path: null, version: pkg.version ?? null, reason: `electron ${pkg.version} has no install-electron script in its package.json` };
  }
  return { path: join(pkgDir, bin), version: pkg.version ?? null, reason: null };
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * Runs Electron's installer with its output shown. Resolves null on success, else why it
 * failed, quoting the installer's last error line. @electron/get draws its progress bar only
 * on a terminal, so on a terminal stderr is handed over as is (bar and error both visible);
 * elsewhere it is passed through line by line and its tail kept for the reason.
 */
export function runElectronInstaller(installer, { env = process.env, cwd } = {}) {
  const childEnv = { ...env };
  // @electron/get honours HTTPS_PROXY / NO_PROXY only when asked to (undici's EnvHttpProxyAgent).
  if (PROXY_VARS.some((k) => env[k]) && !env.ELECTRON_GET_USE_PROXY) childEnv.ELECTRON_GET_USE_PROXY = '1';
  const tty = Boolean(process.stderr.isTTY);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { cwd, env: childEnv, stdio: ['ignore', 'inherit', tty ? 'inherit' : 'pipe'] });
    let tail = '';
    child.stderr?.on('data', (chunk) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', (err) => resolve(`its installer could not be run: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve(null);
      const lines = tail
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      // err.stack: the first line is the message, the rest is "at ..." frames.
      const message = lines.find((l) => !l.startsWith('at ')) ?? null;
      const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
      resolve(`Electron's installer (${installer}) ${how}${message ? `: ${message}` : tty ? ' (its error is shown above)' : ''}`);
    });
  });
}

export const USERNS_RESTRICTION = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

/**
 * Ubuntu 23.10+ (AppArmor's unprivileged user-namespace restriction) kills Electron at start
 * ("The SUID sandbox helper binary was found, but is not configured correctly",
 * electron/electron#42510) unless chrome-sandbox beside the binary is root-owned setuid, or
 * an AppArmor profile grants the binary `userns`. Returns what to do, or null when fine.
 */
export function linuxSandboxProblem(binary, { platform = process.platform, restrictionFile = USERNS_RESTRICTION, profileDir = '/etc/apparmor.d' } = {}) {
  if (platform !== 'linux') return null;
  let restricted = false;
  try {
    restricted = readFileSync(restrictionFile, 'utf8').trim() === '1';
  } catch {
    return null; // no such switch: not an AppArmor-restricted kernel
  }
  if (!restricted) return null;
  const helper = join(dirname(binary), 'chrome-sandbox');
  try {
    const s = statSync(helper);
    if (s.uid === 0 && (s.mode & 0o4000) !== 0) return null;
  } catch {
    // no helper: the restriction still applies
  }
  if (profileNames(profileDir, binary)) return null;
  return [
    'This Linux restricts unprivileged user namespaces (AppArmor, Ubuntu 23.10+), so Electron from',
    `node_modules would abort at start with "The SUID sandbox helper binary ... is not configured correctly"`,
    '(electron/electron#42510). To run the desktop app here, either:',
    `  - make its sandbox helper setuid root:  sudo chown root:root '${helper}' && sudo chmod 4755 '${helper}'`,
    `  - or add an AppArmor profile granting 'userns' to ${binary} (see the README, "Linux sandbox")`,
    'The installed app from the .deb package needs neither: its installer adds that AppArmor profile.',
    'If this check is wrong here (a profile of yours names the binary another way), set COST_DESK_SANDBOX_CHECK=off.',
  ].join('\n');
}

function profileNames(dir, binary) {
  try {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isFile() && readFileSync(file, 'utf8').includes(binary)) return true;
    }
  } catch {
    // unreadable profile folder: assume no profile
  }
  return false;
}
