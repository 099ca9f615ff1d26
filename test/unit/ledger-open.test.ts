// Opening a ledger: migrations on a fresh file, pragmas, re-open as a no-op, and refusals
// (an applied migration whose text changed, a schema version newer than this build).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { LedgerError, openLedger } from '../../electron/core/ledger/index.ts';
import { MIGRATIONS, type Migration } from '../../electron/core/ledger/migrations.ts';
import { migrationHash } from '../../electron/core/ledger/open.ts';
import { dumpFile } from '../helpers/ledger.ts';
import { tempLedgerPath } from '../helpers/temp.ts';

const EXPECTED_TABLES = [
  'alert_day_spend',
  'alert_firings',
  'alert_number_countries',
  'alert_rules',
  'alert_scope_day_spend',
  'call_day_totals',
  'call_group_day_totals',
  'call_group_hour_totals',
  'call_hour_totals',
  'call_hours_dirty',
  'call_totals_deferred',
  'calls',
  'cost_history',
  'detail_records',
  'events',
  'import_pages',
  'import_problems',
  'import_reports',
  'import_types',
  'imports',
  'jobs',
  'messages',
  'runs',
  'schema_migrations',
  'settings',
  'sync_cursors',
];

function tables(db: Database.Database): string[] {
  return db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
}

describe('openLedger', () => {
  it('applies every migration to a fresh file, with WAL and foreign keys on', () => {
    const file = tempLedgerPath();
    const db = openLedger(file);
    try {
      assert.deepEqual(tables(db), EXPECTED_TABLES);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('synchronous', { simple: true }), 1, 'NORMAL');
      assert.ok(Number(db.pragma('busy_timeout', { simple: true })) > 0);
      const applied = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as {
        version: number;
        name: string;
        sha256: string;
      }[];
      assert.deepEqual(
        applied,
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sha256: migrationHash(m) })),
      );
      // Foreign keys are enforced, not just declared.
      assert.throws(
        () => db.prepare(`INSERT INTO detail_records (record_type, record_id, call_id, raw, imported_at) VALUES ('call-control', 'r1', 999, '{}', 0)`).run(),
        /FOREIGN KEY/,
      );
    } finally {
      db.close();
    }
  });

  it('re-opening a migrated ledger changes nothing', () => {
    const file = tempLedgerPath();
    openLedger(file).close();
    const before = dumpFile(file);
    const schemaBefore = new Database(file, { readonly: true });
    const sqlBefore = schemaBefore.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    schemaBefore.close();
    for (let i = 0; i < 3; i++) openLedger(file).close();
    assert.deepEqual(dumpFile(file), before);
    const after = new Database(file, { readonly: true });
    assert.deepEqual(after.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(), sqlBefore);
    after.close();
  });

  it('applies only the pending migrations of a newer build', () => {
    const file = tempLedgerPath();
    openLedger(file).close();
    const next: Migration = { version: MIGRATIONS.length + 1, name: 'test column', sql: 'ALTER TABLE calls ADD COLUMN note TEXT;' };
    const db = openLedger(file, { migrations: [...MIGRATIONS, next] });
    try {
      const cols = db.prepare(`SELECT name FROM pragma_table_info('calls')`).pluck().all();
      assert.ok(cols.includes('note'));
      assert.deepEqual(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(), [...MIGRATIONS.map((m) => m.version), next.version]);
    } finally {
      db.close();
    }
  });

  it('refuses a ledger whose applied migration was edited afterwards', () => {
    const file = tempLedgerPath();
    openLedger(file).close();
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- an innocent-looking edit\n` } : m));
    assert.throws(
      () => openLedger(file, { migrations: edited }),
      (err: unknown) =>
        err instanceof LedgerError &&
        /migration 1 \(initial ledger\) was edited after it was applied/.test(err.message) &&
        /refusing to open/.test(err.message),
    );
    // Refused before touching anything: the file still opens with the real migrations.
    openLedger(file).close();
  });

  it('refuses a ledger written by a newer build (unknown schema version)', () => {
    const file = tempLedgerPath();
    const newer: Migration = { version: 99, name: 'from the future', sql: 'CREATE TABLE future_things (id INTEGER PRIMARY KEY);' };
    openLedger(file, { migrations: [...MIGRATIONS, newer] }).close();
    assert.throws(
      () => openLedger(file),
      (err: unknown) => err instanceof LedgerError && /newer Cost Desk/.test(err.message) && /schema version 99/.test(err.message),
    );
  });

  it('migration 8 (imports that completed with problems) keeps every import of an older ledger, and its pages still point at them', () => {
    const file = tempLedgerPath();
    const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version < 8) });
    old
      .prepare(
        `INSERT INTO imports (id, from_ts, to_ts, record_types, status, records, pages, started_at) VALUES (7, 1, 2, '["messaging"]', 'interrupted', 50, 1, 3)`,
      )
      .run();
    old.prepare(`INSERT INTO import_types VALUES (7, 'messaging', 2, 60)`).run();
    old.prepare(`INSERT INTO import_pages VALUES (7, 'messaging', 1, 50, 4)`).run();
    old.close();
    const db = openLedger(file);
    try {
      assert.deepEqual(db.prepare('SELECT id, status, records, pages FROM imports').all(), [{ id: 7, status: 'interrupted', records: 50, pages: 1 }]);
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      db.prepare(`UPDATE imports SET status = 'completed_with_problems' WHERE id = 7`).run();
      assert.throws(() => db.prepare(`UPDATE imports SET status = 'done' WHERE id = 7`).run(), /CHECK/);
      assert.throws(() => db.prepare(`INSERT INTO import_pages VALUES (8, 'messaging', 1, 50, 4)`).run(), /FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('rolls back a migration that fails halfway', () => {
    const file = tempLedgerPath();
    openLedger(file).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    assert.throws(() => openLedger(file, { migrations: [...MIGRATIONS, broken] }), /no_such_table/);
    const db = openLedger(file);
    try {
      assert.deepEqual(tables(db), EXPECTED_TABLES, 'the half-applied table is rolled back');
    } finally {
      db.close();
    }
  });
});

describe('ledger constraints', () => {
  it('cost_history is append-only: UPDATE and DELETE are refused', () => {
    const db = openLedger(tempLedgerPath());
    try {
      db.prepare(
        `INSERT INTO messages (id, our_number, other_number, direction, created_at, updated_at) VALUES ('m1', '+15550001', '+15550002', 'outbound', 0, 0)`,
      ).run();
      db.prepare(
        `INSERT INTO cost_history (message_id, old_nanos, new_nanos, currency, new_source, new_status, reason, at)
         VALUES ('m1', NULL, 18000000, 'USD', 'detail_record', 'exact', 'test', 1)`,
      ).run();
      assert.throws(() => db.prepare('UPDATE cost_history SET new_nanos = 1').run(), /cost_history is append-only/);
      assert.throws(() => db.prepare('DELETE FROM cost_history').run(), /cost_history is append-only/);
      assert.equal(db.prepare('SELECT new_nanos FROM cost_history').pluck().get(), 18_000_000);
      // A history row belongs to exactly one call or one message.
      assert.throws(() => db.prepare(`INSERT INTO cost_history (new_source, new_status, reason, at) VALUES ('manual', 'exact', 'neither', 1)`).run(), /CHECK/);
    } finally {
      db.close();
    }
  });

  it('a call needs a leg or session id, and leg ids are unique', () => {
    const db = openLedger(tempLedgerPath());
    try {
      const ins = db.prepare(
        `INSERT INTO calls (call_leg_id, call_session_id, our_number, other_number, direction, created_at, updated_at)
         VALUES (?, ?, '+15550001', '+15550002', 'inbound', 0, 0)`,
      );
      assert.throws(() => ins.run(null, null), /CHECK/);
      ins.run('leg-1', null);
      assert.throws(() => ins.run('leg-1', 's'), /UNIQUE/);
    } finally {
      db.close();
    }
  });
});
