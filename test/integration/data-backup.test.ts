// Backups of a ledger while an import lands, restored: the SQLite online backup (its own
// connection holding one read snapshot) must hold exactly the ledger of one moment, restore
// must check a file before replacing anything, and the ledger it replaced must be kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { Input, Method, Output } from '../../shared/contract.ts';
import type { ImportProgress } from '../../shared/contract.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { type Core } from '../../electron/core/index.ts';
import { summarizeLedger } from '../../electron/core/backup/snapshot.ts';
import { contentsView } from '../../electron/core/backup/api.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { call, liveCore, openTestCore } from '../helpers/core.ts';
import { insertEndedCalls } from '../helpers/seed-calls.ts';
import { ACCOUNT_START, SIM_NOW, simulatorForSuite } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

async function failure<M extends Method>(core: Core, method: M, input: Input<M>) {
  const r = await dispatch(core.api, method, input);
  assert.equal(r.ok, false, `${method} should fail`);
  return (r as { ok: false; error: { code: string; message: string } }).error;
}

/** Integrity, foreign keys, and the overview's cached totals equal to sums of the rows. */
function assertConsistent(file: string): void {
  const db = new Database(file, { readonly: true });
  try {
    assert.deepEqual(db.prepare('PRAGMA integrity_check').pluck().all(), ['ok']);
    assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
    const cached = db.prepare(`SELECT our_number AS n, currency AS c, SUM(calls) AS calls FROM call_day_totals GROUP BY 1, 2 ORDER BY 1, 2`).all();
    const rows = db
      .prepare(
        `SELECT our_number AS n, COALESCE(currency, estimate_currency, '') AS c, COUNT(*) AS calls FROM calls
      WHERE started_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all();
    assert.deepEqual(cached, rows, 'call_day_totals equal the rows');
  } finally {
    db.close();
  }
}

const ACCOUNT = { seed: 'data-backup', calls: 3000, messages: 800 };

describe('backup and restore', () => {
  const sim = simulatorForSuite(ACCOUNT);

  it('a backup taken during a running import restores to the ledger of that moment', async (t) => {
    const core = await liveCore(sim);
    const s = core.runtime.session();
    const started: { backup: Promise<Output<'data.backup'>> | null } = { backup: null };
    let writesDuringBackup = 0;
    const finished = new Promise<ImportProgress>((resolve) => {
      core.events.on((event, payload) => {
        if (event !== 'import.progress') return;
        const p = payload as ImportProgress;
        // Mid-import: the backup starts while pages keep landing.
        if (p.pagesDone >= 3 && !started.backup) {
          const backup = call(core, 'data.backup', {});
          started.backup = backup;
          // And writes through the app's own connection between the backup's steps.
          void (async () => {
            let settled = false;
            void backup.finally(() => (settled = true));
            for (let i = 0; !settled; i++) {
              await tick();
              if (settled) break;
              insertEndedCalls(
                s.ledger,
                [
                  {
                    callLegId: `during-backup-${i}`,
                    callSessionId: `during-backup-${i}`,
                    callControlId: null,
                    from: '+15550001111',
                    to: '+15550002222',
                    direction: 'outbound',
                    startMs: SIM_NOW - 3600_000,
                    answerMs: SIM_NOW - 3600_000,
                    endMs: SIM_NOW - 3500_000,
                    callSec: 100,
                  },
                ],
                SIM_NOW,
              );
              writesDuringBackup++;
            }
          })();
        }
        if (p.status !== 'running') resolve(p);
      });
    });
    await call(core, 'import.start', { range: { from: ACCOUNT_START, to: SIM_NOW }, recordTypes: ['call-control', 'messaging', 'sip-trunking', 'webrtc'] });
    const done = await finished;
    assert.equal(done.status, 'completed');
    t.diagnostic(`import: ${done.pagesDone} pages, ${done.records} records`);
    assert.ok(started.backup, 'the backup started mid-import');
    const b = await started.backup;
    assert.ok(writesDuringBackup >= 1, 'the app wrote while the backup ran');
    t.diagnostic(`backup ${b.bytes} bytes; ${writesDuringBackup} writes landed during it`);

    const atEnd = summarizeLedger(s.ledger.db);
    assert.ok(atEnd.calls > b.contents.calls, `the import went on after the backup (${atEnd.calls} > ${b.contents.calls} calls)`);
    assert.ok(b.contents.calls > 0 && b.contents.bookedCalls.length > 0, 'the backup holds calls with costs');

    // The file on its own holds exactly what its snapshot read, and is consistent.
    assertConsistent(b.file);
    const fileDb = new Database(b.file, { readonly: true });
    assert.deepEqual(contentsView(summarizeLedger(fileDb)), b.contents);
    assert.equal(
      fileDb.prepare("SELECT COUNT(*) FROM calls WHERE call_leg_id LIKE 'during-backup-%'").pluck().get(),
      0,
      'no write after the snapshot is in it',
    );
    fileDb.close();

    // Restore: the ledger becomes the backup's moment; the previous one is kept beside it.
    const ledgerFile = s.ledgerFile;
    const r = await call(core, 'data.restore', { file: b.file });
    assert.deepEqual(r.contents, b.contents);
    assert.ok(r.previousLedger && existsSync(r.previousLedger));
    const restored = core.runtime.session();
    assert.notEqual(restored, s, 'the session was reopened on the restored file');
    assert.deepEqual(contentsView(summarizeLedger(restored.ledger.db)), b.contents);
    const overview = await call(core, 'overview.summary', { range: { from: ACCOUNT_START, to: SIM_NOW + 86_400_000 } });
    assert.equal(
      overview.rows.reduce((n, row) => n + row.calls, 0),
      b.contents.calls - countUndated(restored.ledger.db),
    );
    const kept = new Database(r.previousLedger!, { readonly: true });
    assert.deepEqual(summarizeLedger(kept), atEnd, 'the replaced ledger is kept as it was');
    kept.close();
    await core.close();
    assertConsistent(ledgerFile);
  });

  it('refuses files that are not a restorable ledger, changing nothing', async () => {
    const dir = tempDir();
    const core = await liveCore(sim, dir);
    const s = core.runtime.session();
    insertEndedCalls(
      s.ledger,
      [
        {
          callLegId: 'keep-me',
          callSessionId: 'keep-me',
          callControlId: null,
          from: '+15550001111',
          to: '+15550002222',
          direction: 'outbound',
          startMs: SIM_NOW - 7200_000,
          answerMs: null,
          endMs: SIM_NOW - 7100_000,
          callSec: 0,
        },
      ],
      SIM_NOW,
    );
    const before = summarizeLedger(s.ledger.db);

    const text = join(dir, 'notes.db');
    writeFileSync(text, 'this is not a database at all, just some text that is long enough to have a header'.repeat(10));
    assert.match((await failure(core, 'data.restore', { file: text })).message, /cannot be restored: .*(not a database|not a SQLite)/);

    const other = join(dir, 'other.db');
    const o = new Database(other);
    o.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    o.close();
    assert.match((await failure(core, 'data.restore', { file: other })).message, /not a Cost Desk ledger \(no schema_migrations table\)/);

    const good = await call(core, 'data.backup', {});
    const newer = join(dir, 'newer.db');
    copyFileSync(good.file, newer);
    const n = new Database(newer);
    n.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (999, ?, ?, 0)').run('from the future', 'x');
    n.close();
    assert.match((await failure(core, 'data.restore', { file: newer })).message, /written by a newer Cost Desk \(schema version 999/);

    const corrupt = join(dir, 'corrupt.db');
    copyFileSync(good.file, corrupt);
    corruptPages(corrupt);
    assert.match((await failure(core, 'data.restore', { file: corrupt })).message, /cannot be restored/);

    assert.match((await failure(core, 'data.restore', { file: join(dir, 'missing.db') })).message, /there is no such file/);
    assert.equal((await failure(core, 'data.restore', { file: 'relative.db' })).code, 'invalid_input');
    assert.equal((await failure(core, 'data.backup', { out: good.file })).code, 'conflict', 'a backup never overwrites');

    assert.equal(core.runtime.session(), s, 'the session was never closed');
    assert.deepEqual(summarizeLedger(s.ledger.db), before);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('before-restore')),
      [],
      'no restore happened',
    );
    await core.close();
  });

  it('keeps the newest N automatic daily backups, one a day', async () => {
    const dir = tempDir();
    const clock = new ManualClock(SIM_NOW);
    const core = await openTestCore({ dataDir: dir, clock });
    const { backupService } = await import('../../electron/core/backup/index.ts');
    const service = backupService(core.runtime);
    await call(core, 'data.setBackupSettings', { autoDaily: true, keep: 3 });
    const made: string[] = [];
    for (let day = 0; day < 5; day++) {
      const b = await service.autoBackupIfDue();
      assert.ok(b, `day ${day}: due`);
      made.push(b.name);
      await clock.advance(3600_000);
      assert.equal(await service.autoBackupIfDue(), null, 'not twice in a day');
      await clock.advance(23 * 3600_000);
    }
    const manual = await call(core, 'data.backup', {});
    const status = await call(core, 'data.status', {});
    assert.deepEqual(
      status.backups.filter((b) => b.auto).map((b) => b.name),
      made.slice(2).reverse(),
      'the newest 3, newest first',
    );
    assert.ok(
      status.backups.some((b) => b.name === manual.name && !b.auto),
      'backups made by hand are not pruned',
    );
    await call(core, 'data.setBackupSettings', { autoDaily: false, keep: 1 });
    assert.equal((await call(core, 'data.status', {})).backups.filter((b) => b.auto).length, 1);
    await clock.advance(2 * 86_400_000);
    assert.equal(await service.autoBackupIfDue(), null, 'off means off');
    assert.equal((await failure(core, 'data.setBackupSettings', { autoDaily: true, keep: 0 })).code, 'invalid_input');
    await core.close();
  });
});

function countUndated(db: Database.Database): number {
  return db.prepare('SELECT COUNT(*) FROM calls WHERE started_at IS NULL').pluck().get() as number;
}

/** Overwrites the middle of the file with garbage (pages of tables and indexes). */
function corruptPages(file: string): void {
  const db = new Database(file);
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  const garbage = Buffer.alloc(4096 * 2, 0x5a);
  const h = openSync(file, 'r+');
  writeSync(h, garbage, 0, garbage.length, Math.floor(pages / 2) * 4096);
  closeSync(h);
}
