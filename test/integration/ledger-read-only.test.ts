// A ledger that cannot be written (issue 11, point 6): read commands still read it, a command
// that must write says which file refuses and why, and nothing is lost or half-written.
//
// How "cannot be written" is made real here: these tests run as root, and root ignores file
// modes (chmod 0400 does not stop it), so a chmod test would pass whatever the code does. The
// immutable attribute (chattr +i, ext4/xfs/btrfs) is checked by the kernel before any
// permission, root included: writes, and creating files in an immutable folder, fail with
// EPERM. It plays both cases: the ledger file itself protected, and its folder protected so
// SQLite cannot create the -wal/-shm files it needs beside the ledger. Where chattr is not
// available (no CAP_LINUX_IMMUTABLE, tmpfs, another OS), the test is skipped and says why.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { updateSettings } from '../../electron/core/settings/settings.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

const chattr = (flag: '+i' | '-i', path: string) => spawnSync('chattr', [flag, path], { encoding: 'utf8' });

/** Why the immutable attribute cannot be used here, or null when it works. */
function immutableUnavailable(): string | null {
  const probe = join(tempDir('cost-desk-chattr-'), 'probe');
  writeFileSync(probe, 'x');
  const set = chattr('+i', probe);
  if (set.error || set.status !== 0) return `chattr +i is not available here (${set.error?.message ?? set.stderr.trim()})`;
  let refused = false;
  try {
    writeFileSync(probe, 'y');
  } catch {
    refused = true;
  }
  chattr('-i', probe);
  return refused ? null : 'an immutable file was still writable here';
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a ledger that cannot be written', () => {
  const why = immutableUnavailable();
  let sim: RunningSimulator;
  let dir = '';
  let file = '';
  const env = () => ({ TELNYX_API_KEY: sim.apiKey });
  before(async () => {
    if (why) return;
    sim = await startTestSimulator({ seed: 'read-only', calls: 200, messages: 60 });
    dir = tempDir();
    file = join(dir, LIVE_LEDGER);
    const ledger = openLedgerFile(file);
    updateSettings(ledger, { apiBaseUrl: sim.baseUrl }, Date.now());
    ledger.close();
    const r = await runCli(['import', '--from', '2026-01-01', '--to', '2026-01-10', '--data-dir', dir], env());
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    if (why) return;
    chattr('-i', file);
    chattr('-i', dir);
    await sim.close();
  });

  it(
    'the ledger file immutable: status and export read it; sync and import say which file and why, exit 1, and write nothing',
    { skip: why ?? false },
    async () => {
      const before = sha(file);
      const calls = (await runCli(['status', '--json', '--data-dir', dir], env())).stdout;
      assert.equal(chattr('+i', file).status, 0);
      try {
        const status = await runCli(['status', '--json', '--data-dir', dir], env());
        assert.equal(status.code, 0, status.stderr);
        assert.deepEqual(JSON.parse(status.stdout), JSON.parse(calls), 'status reads the same ledger');
        const exported = await runCli(['export', 'calls', '--from', '2026-01-01', '--to', '2026-01-10', '--data-dir', dir], env());
        assert.equal(exported.code, 0, exported.stderr);
        assert.ok(exported.stdout.split('\n').length > 10, 'the calls are exported');
        for (const argv of [['sync'], ['import', '--from', '2026-01-10', '--to', '2026-01-12']]) {
          const r = await runCli([...argv, '--data-dir', dir], env());
          assert.equal(r.code, 1, `${argv[0]}: ${r.stderr}`);
          assert.match(
            r.stderr,
            new RegExp(`The ledger ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is read-only: nothing was written, and status and export can still read it`),
            argv[0],
          );
          // Its mode allows writing: chmod is not the way out, and the message does not say it is.
          assert.match(r.stderr, /immutable attribute: lsattr\/chattr -i/, argv[0]);
          assert.doesNotMatch(r.stderr, /attempt to write a readonly database/, argv[0]);
        }
      } finally {
        chattr('-i', file);
      }
      assert.equal(sha(file), before, 'not a byte of the ledger changed');
      const ledger = openLedgerFile(file);
      assert.equal(ledger.db.pragma('integrity_check', { simple: true }), 'ok');
      ledger.close();
    },
  );

  it('its folder immutable (no -wal/-shm can be created): a clear error naming the folder, exit 1, nothing changed', { skip: why ?? false }, async () => {
    // A clean close leaves no -wal/-shm: SQLite would have to create them to open the ledger.
    assert.ok(!existsSync(`${file}-wal`) && !existsSync(`${file}-shm`), 'closed cleanly');
    const before = sha(file);
    assert.equal(chattr('+i', dir).status, 0);
    try {
      for (const argv of [['status'], ['sync']]) {
        const r = await runCli([...argv, '--data-dir', dir], env());
        assert.equal(r.code, 1, `${argv[0]}: ${r.stderr}`);
        assert.match(
          r.stderr,
          new RegExp(`its folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not let SQLite create the ledger's -wal/-shm files`),
          argv[0],
        );
        assert.match(r.stderr, /Nothing was changed\. Make the folder writable, or copy the ledger file into a writable folder/, argv[0]);
      }
    } finally {
      chattr('-i', dir);
    }
    assert.equal(sha(file), before);
    // Writable again: everything works as before.
    const status = await runCli(['status', '--data-dir', dir], env());
    assert.equal(status.code, 0, status.stderr);
  });
});
