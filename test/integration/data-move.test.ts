// Moving the data folder (data.move, `cost-desk move-data`) on a real core and real files:
// the ledger (imported from the simulator over HTTP), its backups and statements copied and
// checked, the app switched to the new folder, the old copy kept, the choice remembered across
// a restart (the pointer beside the home folder). Failures at each kind of step leave the old
// folder in use and say why. A CLI move killed with SIGKILL at many moments leaves the next
// start on the old folder or on the complete new one, never on a half copy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MOVING_MARKER, pointerFile } from '../../electron/core/data-folder/pointer.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { CLI_MAIN, childEnv, runCli } from '../helpers/cli.ts';
import { call, liveCore, openTestCore } from '../helpers/core.ts';
import { ALL_TYPES, FULL_RANGE } from '../helpers/ingest.ts';
import { SIM_NOW, simulatorForSuite } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';
import type { ImportProgress } from '../../shared/contract.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';

/** What a ledger file holds, read here on a connection of its own: counts, totals, integrity. */
function facts(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string) => db.prepare(sql).safeIntegers(true).pluck().get() as bigint | null;
    return {
      integrity: db.prepare('PRAGMA integrity_check').pluck().get(),
      calls: Number(one('SELECT COUNT(*) FROM calls')),
      messages: Number(one('SELECT COUNT(*) FROM messages')),
      exact: String(one('SELECT COALESCE(SUM(exact_nanos), 0) FROM calls')),
      estimated: String(one('SELECT COALESCE(SUM(estimated_nanos), 0) FROM calls')),
      messageCost: String(one('SELECT COALESCE(SUM(cost_nanos), 0) FROM messages')),
      history: Number(one('SELECT COUNT(*) FROM cost_history')),
    };
  } finally {
    db.close();
  }
}

const open = (home: string, sim: RunningSimulator) => openTestCore({ dataDir: home, key: sim.apiKey, clock: new ManualClock(SIM_NOW + 3_600_000) });

/** A home folder with an imported ledger, two backups and a statement. */
async function filledHome(sim: RunningSimulator): Promise<string> {
  const home = join(tempDir(), 'cost-desk');
  mkdirSync(home);
  const core = await liveCore(sim, home);
  const done = new Promise<void>((resolve) => core.events.on((e, p) => e === 'import.progress' && (p as ImportProgress).status !== 'running' && resolve()));
  await call(core, 'import.start', { range: FULL_RANGE, recordTypes: ALL_TYPES });
  await done;
  await call(core, 'data.backup', {});
  await call(core, 'data.backup', {});
  await call(core, 'statements.export', { month: '2026-01', format: 'pdf' });
  await core.close();
  return home;
}

describe('moving the data folder', () => {
  const sim = simulatorForSuite({ seed: 'data-move', calls: 1200, messages: 300 });

  it('copies and checks the ledger and backups, switches to the new folder, keeps the old copy, and remembers it across a restart', async () => {
    const home = await filledHome(sim);
    const before = facts(join(home, LIVE_LEDGER));
    assert.ok(before.calls > 0 && before.messages > 0);
    const backupsBefore = readdirSync(join(home, 'backups')).sort();
    const target = join(tempDir(), 'new place', 'cost desk data');

    const core = await open(home, sim);
    const moved = await call(core, 'data.move', { to: target });
    assert.equal(moved.from, home);
    assert.equal(moved.to, target);
    assert.equal(moved.backups, 2);
    assert.equal(moved.ledgers.length, 1);
    assert.equal(moved.ledgers[0]!.contents.calls, before.calls);
    assert.equal(moved.ledgers[0]!.contents.messages, before.messages);
    // The copy holds what the original holds, row for row in counts and to the nano in totals.
    assert.deepEqual(facts(join(target, LIVE_LEDGER)), before);
    assert.deepEqual(readdirSync(join(target, 'backups')).sort(), backupsBefore);
    for (const b of backupsBefore) assert.deepEqual(facts(join(target, 'backups', b)), facts(join(home, 'backups', b)));
    assert.equal(readdirSync(join(target, 'statements')).length, 1);
    assert.ok(!existsSync(join(target, MOVING_MARKER)));

    // In use at once: new writes land in the new folder; the old copy is kept as it was.
    const status = await call(core, 'data.status', {});
    assert.deepEqual([status.dataDir, status.ledgerFile, status.movedFrom], [target, join(target, LIVE_LEDGER), home]);
    await call(core, 'data.backup', {});
    const dbs = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.db'));
    assert.equal(dbs(join(target, 'backups')).length, 3);
    assert.equal(dbs(join(home, 'backups')).length, 2);
    assert.deepEqual(facts(join(home, LIVE_LEDGER)), before);
    await core.close();

    // A restart (the same home folder named) and the CLI use the new folder.
    assert.ok(existsSync(pointerFile(home)));
    const again = await open(home, sim);
    assert.equal((await call(again, 'data.status', {})).dataDir, target);
    await again.close();
    const cli = await runCli(['--data-dir', home, '--json', 'alerts'], { TELNYX_API_KEY: undefined });
    assert.equal(cli.code, 0, cli.stderr);
    const backups = await runCli(['--data-dir', home, 'backup'], { TELNYX_API_KEY: undefined });
    assert.match(backups.stdout, new RegExp(`^backup ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/backups/ledger-`));
  });

  it('a failure at each kind of step leaves the old folder in use, says why, and leaves no half copy', async () => {
    const home = await filledHome(sim);
    const before = facts(join(home, LIVE_LEDGER));
    const core = await open(home, sim);
    const refused = async (to: string, pattern: RegExp) => {
      await assert.rejects(
        call(core, 'data.move', { to }),
        (err: Error) => (
          assert.match(err.message, pattern),
          assert.match(err.message, new RegExp(`Cost Desk still uses ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; nothing there was changed\\.`)),
          true
        ),
      );
      assert.equal((await call(core, 'data.status', {})).dataDir, home);
      assert.ok(!existsSync(pointerFile(home)));
    };
    const notEmpty = join(tempDir(), 'busy');
    mkdirSync(notEmpty);
    writeFileSync(join(notEmpty, 'notes.txt'), 'mine');
    await refused(notEmpty, /\(the new folder\): .*busy is not empty/);
    assert.deepEqual(readdirSync(notEmpty), ['notes.txt']);
    await refused(join(home, 'inside'), /it is inside the folder in use/);
    await refused(home, /it is the folder in use/);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    await refused(file, /is a file/);

    // Another process holds the ledger with writes not yet checkpointed: refused before copying.
    const other = new Database(join(home, LIVE_LEDGER));
    other.pragma('journal_mode = WAL');
    other.pragma('wal_autocheckpoint = 0');
    other.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('other.process', '1', 1)").run();
    const target = join(tempDir(), 'moved');
    await refused(target, /\(copying the ledger\): another Cost Desk process .* has .*ledger\.db open/);
    assert.ok(!existsSync(target), 'the half copy is removed');
    other.close();

    // The app still works on the old folder after the failures.
    assert.equal((await call(core, 'app.info', {})).ledgerFile, join(home, LIVE_LEDGER));
    await core.close();
    const after = facts(join(home, LIVE_LEDGER));
    assert.deepEqual({ ...after, history: before.history }, before);
  });

  it('killed at any moment of a move, the next start uses the old folder or the complete new one', async () => {
    const home = await filledHome(sim);
    const before = facts(join(home, LIVE_LEDGER));
    const outcomes: string[] = [];
    const leftovers: string[] = [];
    const moveByCli = (target: string) =>
      spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, '--data-dir', home, 'move-data', target], {
        stdio: 'ignore',
        env: childEnv({ TELNYX_API_KEY: undefined }),
      });
    // Kills from the moment the move starts writing the new folder (its marker appears) to past
    // its commit: each lands somewhere in the copy, the checks or the pointer's rename.
    for (const delay of [0, 2, 10, 40, 160, 640, 1500, 3000, 6000]) {
      const target = join(tempDir(), `moved-${delay}`);
      const child = moveByCli(target);
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      const watch = setInterval(() => {
        if (!existsSync(join(target, MOVING_MARKER))) return;
        clearInterval(watch);
        setTimeout(() => child.kill('SIGKILL'), delay);
      }, 1);
      const code = await exited;
      clearInterval(watch);

      const core = await open(home, sim);
      const dir = (await call(core, 'data.status', {})).dataDir;
      await core.close();
      if (dir === home) {
        assert.deepEqual(facts(join(home, LIVE_LEDGER)), before, `delay ${delay}: the old folder as it was`);
        outcomes.push(`${delay}ms: old${existsSync(target) ? ' (half copy left, marked)' : ''}`);
        if (existsSync(target) && readdirSync(target).length > 0) {
          assert.ok(readdirSync(target).includes(MOVING_MARKER), 'a half copy is marked as such');
          leftovers.push(target);
        }
        continue;
      }
      assert.equal(dir, target, `delay ${delay}`);
      assert.deepEqual(facts(join(target, LIVE_LEDGER)), before, `delay ${delay}: the new folder is complete`);
      assert.equal(readdirSync(join(target, 'backups')).filter((f) => f.endsWith('.db')).length, 2);
      outcomes.push(`${delay}ms: new (exit ${code})`);
      // Back to a fresh start for the next kill: the pointer removed, home used again.
      rmSync(pointerFile(home));
    }
    console.log(`kill outcomes: ${outcomes.join('; ')}`);
    // A move into a folder a killed move left behind clears it and completes.
    if (leftovers.length > 0) {
      const core = await open(home, sim);
      const redo = await call(core, 'data.move', { to: leftovers[0]! });
      assert.equal(redo.ledgers[0]!.contents.calls, before.calls);
      assert.deepEqual(facts(join(leftovers[0]!, LIVE_LEDGER)), before);
      assert.ok(!readdirSync(leftovers[0]!).includes(MOVING_MARKER));
      await core.close();
    }
  });
});
