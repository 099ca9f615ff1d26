// `npm start` as a user meets it: the real scripts/start.mjs, run as a child process in a copy
// of the project whose node_modules/electron is a stand-in package (same package.json shape as
// Electron 45: bin["install-electron"] = install.js; the installer writes dist/ and path.txt as
// the real one does). Nothing is downloaded: the stand-in installers either fail the way the
// real one does offline (err.stack on stderr, exit 1) or write a stand-in executable that
// records how it was launched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { linuxSandboxProblem } from '../../scripts/electron-install.mjs';
import { tempDir } from '../helpers/temp.ts';

const REAL = resolve(import.meta.dirname, '..', '..');
const realElectronPkg = JSON.parse(readFileSync(join(REAL, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

/** What the stand-in Electron executable does: record its working folder and arguments. */
const STAND_IN_EXECUTABLE = '#!/bin/sh\nprintf "%s\\n" "$PWD" "$@" > "$COST_DESK_TEST_LAUNCH_RECORD"\nexit 0\n';

const FAILING_INSTALLER = `
console.log('stand-in installer for electron ' + require('./package.json').version);
const err = new Error('getaddrinfo ENOTFOUND github.com');
console.error(err.stack);
process.exit(1);
`;

const SUCCEEDING_INSTALLER = `
const fs = require('fs'), path = require('path');
console.log('Downloading electron-v' + require('./package.json').version + '-linux-x64.zip: [====] 100%');
fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), ${JSON.stringify(STAND_IN_EXECUTABLE)}, { mode: 0o755 });
fs.writeFileSync(path.join(__dirname, 'dist', 'version'), require('./package.json').version);
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
`;

/** A project folder: the real scripts copied, node_modules linked except a stand-in electron. */
function project(installer: string): { root: string; record: string; electronDir: string } {
  const root = tempDir('cost-desk-start-');
  copyFileSync(join(REAL, 'package.json'), join(root, 'package.json'));
  mkdirSync(join(root, 'scripts'));
  for (const f of readdirSync(join(REAL, 'scripts'))) if (f.endsWith('.mjs')) copyFileSync(join(REAL, 'scripts', f), join(root, 'scripts', f));
  // The browser host fallback runs the real electron/web/main.ts (it finds the real dist/renderer).
  symlinkSync(join(REAL, 'electron'), join(root, 'electron'));
  mkdirSync(join(root, 'node_modules'));
  for (const name of readdirSync(join(REAL, 'node_modules'))) {
    if (name !== 'electron' && name !== '.bin') symlinkSync(join(REAL, 'node_modules', name), join(root, 'node_modules', name));
  }
  const electronDir = join(root, 'node_modules', 'electron');
  mkdirSync(electronDir);
  writeFileSync(join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: realElectronPkg.version, bin: realElectronPkg.bin }));
  writeFileSync(join(electronDir, realElectronPkg.bin['install-electron']!), installer);
  return { root, record: join(root, 'launch-record.txt'), electronDir };
}

interface Run {
  code: number | null;
  out: string;
}

/** Runs start.mjs --no-build; stops it once `until` matches the output (the browser host runs forever). */
function start(root: string, env: Record<string, string>, until?: RegExp): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs'), '--no-build', '--demo'], {
      cwd: root,
      // The AppArmor check reads this machine's /proc; it is tested on its own below.
      env: { ...process.env, COST_DESK_DATA_DIR: join(root, 'data'), COST_DESK_SANDBOX_CHECK: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (until?.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('exit', (code) => done({ code, out }));
  });
}

const HOST_UP = /Cost Desk is running at http:\/\/127\.0\.0\.1:\d+\/\?token=/;

describe('npm start (scripts/start.mjs)', { timeout: 120_000 }, () => {
  it("with the binary missing runs Electron's installer and, when it fails, starts the browser host quoting why", async () => {
    const p = project(FAILING_INSTALLER);
    const r = await start(p.root, { COST_DESK_TEST_LAUNCH_RECORD: p.record }, HOST_UP);
    assert.match(r.out, /The Electron binary is not installed yet \(the Electron binary was never downloaded/);
    assert.match(r.out, new RegExp(`Downloading Electron ${realElectronPkg.version.replace(/\./g, '\\.')} with its installer`));
    assert.match(r.out, /stand-in installer for electron/, 'the installer ran with its output shown');
    assert.match(
      r.out,
      /Electron could not be installed on this machine: Electron's installer \(.*install\.js\) exited with code 1: Error: getaddrinfo ENOTFOUND github\.com\./,
    );
    assert.match(r.out, /Starting the browser host instead/);
    assert.match(r.out, HOST_UP, 'the browser host came up');
    assert.equal(existsSync(p.record), false, 'nothing was launched as Electron');
  });

  it('with the binary missing runs the installer and then launches the app folder', async () => {
    const p = project(SUCCEEDING_INSTALLER);
    const r = await start(p.root, { COST_DESK_TEST_LAUNCH_RECORD: p.record });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Downloading electron-v[\d.]+-linux-x64\.zip: \[====\] 100%/);
    assert.deepEqual(readFileSync(p.record, 'utf8').split('\n').slice(0, 3), [p.root, p.root, '--demo'], "cwd, the app folder, the user's argument");
  });

  it('with a binary present launches it on the app folder without running the installer', async () => {
    const p = project(`require('fs').writeFileSync(${JSON.stringify('installer-ran')}, 'yes'); process.exit(1);`);
    mkdirSync(join(p.electronDir, 'dist'));
    writeFileSync(join(p.electronDir, 'dist', 'electron'), STAND_IN_EXECUTABLE);
    chmodSync(join(p.electronDir, 'dist', 'electron'), 0o755);
    writeFileSync(join(p.electronDir, 'path.txt'), 'electron');
    const r = await start(p.root, { COST_DESK_TEST_LAUNCH_RECORD: p.record });
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /installer/);
    assert.equal(existsSync(join(p.root, 'installer-ran')), false);
    assert.deepEqual(readFileSync(p.record, 'utf8').split('\n').slice(0, 3), [p.root, p.root, '--demo']);
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH as given, and never downloads over a missing one', async () => {
    const p = project(`require('fs').writeFileSync(${JSON.stringify('installer-ran')}, 'yes'); process.exit(1);`);
    const dist = join(p.root, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), STAND_IN_EXECUTABLE);
    chmodSync(join(dist, 'electron'), 0o755);
    const env = { COST_DESK_TEST_LAUNCH_RECORD: p.record, ELECTRON_OVERRIDE_DIST_PATH: dist };
    const r = await start(p.root, env);
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(readFileSync(p.record, 'utf8').split('\n').slice(0, 2), [p.root, p.root]);
    const missing = await start(p.root, { ...env, ELECTRON_OVERRIDE_DIST_PATH: join(p.root, 'nowhere') }, HOST_UP);
    assert.match(missing.out, /Electron could not be installed on this machine: ELECTRON_OVERRIDE_DIST_PATH is set, but .*nowhere\/electron does not exist/);
    assert.match(missing.out, HOST_UP);
    assert.equal(existsSync(join(p.root, 'installer-ran')), false, 'the installer was not run');
  });
});

describe('the Linux sandbox check (AppArmor user-namespace restriction, electron/electron#42510)', () => {
  function fakeSystem(restricted: string | null): { binary: string; restrictionFile: string; profileDir: string } {
    const dir = tempDir('cost-desk-sandbox-');
    const restrictionFile = join(dir, 'apparmor_restrict_unprivileged_userns');
    if (restricted !== null) writeFileSync(restrictionFile, `${restricted}\n`);
    mkdirSync(join(dir, 'apparmor.d'));
    mkdirSync(join(dir, 'dist'));
    const binary = join(dir, 'dist', 'electron');
    writeFileSync(binary, '');
    writeFileSync(join(dir, 'dist', 'chrome-sandbox'), '', { mode: 0o755 }); // as npm leaves it: not setuid root
    return { binary, restrictionFile, profileDir: join(dir, 'apparmor.d') };
  }

  it('names the fixes when the restriction is on and nothing exempts the binary', () => {
    const s = fakeSystem('1');
    const problem = linuxSandboxProblem(s.binary, { platform: 'linux', ...s });
    assert.ok(problem);
    assert.match(problem, /SUID sandbox helper/);
    assert.ok(problem.includes(`sudo chown root:root '${join(s.binary, '..', 'chrome-sandbox')}' && sudo chmod 4755`));
    assert.match(problem, /\.deb package needs neither/);
  });

  it('is quiet when the restriction is off or absent, on other platforms, and when a profile names the binary', () => {
    const off = fakeSystem('0');
    assert.equal(linuxSandboxProblem(off.binary, { platform: 'linux', ...off }), null);
    const absent = fakeSystem(null);
    assert.equal(linuxSandboxProblem(absent.binary, { platform: 'linux', ...absent }), null);
    const on = fakeSystem('1');
    assert.equal(linuxSandboxProblem(on.binary, { platform: 'darwin', ...on }), null);
    writeFileSync(join(on.profileDir, 'cost-desk-dev'), `abi <abi/4.0>,\nprofile cost-desk-dev ${on.binary} flags=(unconfined) {\n  userns,\n}\n`);
    assert.equal(linuxSandboxProblem(on.binary, { platform: 'linux', ...on }), null);
  });
});
