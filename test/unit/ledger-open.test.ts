// Opening a ledger: migrations on a fresh file, pragmas, re-open as a no-op, and refusals
// (an applied migration whose text changed, a schema version newer than this build).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { LedgerError, openLedger } from '../../electron/core/ledger/index.ts';
import { MIGRATIONS, type Migration } from '../../electron/core/ledger/migrations.ts';
import { migrationHash } from '../../electron/core/ledger/open.ts';
import { dumpFile, dumpTables } from '../helpers/ledger.ts';
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
  'call_keys',
  'call_keys_deferred',
  'call_keys_recent',
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

  it('migration 16 spells the CHECK lists of calls, messages and jobs as ORs in place: an older ledger keeps its rows, and the same values pass and fail', () => {
    const file = tempLedgerPath();
    const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version < 16) });
    old
      .prepare(
        `INSERT INTO calls (id, call_leg_id, our_number, other_number, direction, cost_status, cost_source, created_at, updated_at)
         VALUES (1, 'leg-1', '+15550000001', '+12025550100', 'inbound', 'exact', 'detail_record', 0, 0)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO messages (id, our_number, other_number, direction, cost_status, cost_source, created_at, updated_at)
         VALUES ('m-1', '+15550000001', '+12025550100', 'outbound', 'exact', 'detail_record', 0, 0)`,
      )
      .run();
    old.prepare(`INSERT INTO jobs (kind, call_id, status, next_run_at, created_at, updated_at) VALUES ('call_cost', 1, 'failed', 0, 0, 0)`).run();
    const versionBefore = Number(old.pragma('schema_version', { simple: true }));
    const before = dumpTables(old, { excludeTables: ['schema_migrations'] });
    old.close();

    const db = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version <= 16) });
    try {
      assert.equal(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get(), 16);
      assert.ok(Number(db.pragma('schema_version', { simple: true })) > versionBefore, 'every connection reloads the definitions');
      assert.deepEqual(dumpTables(db, { excludeTables: ['schema_migrations'] }), before, 'no row changed');
      const definitions = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE name IN ('calls', 'messages', 'jobs')`).all() as {
        name: string;
        sql: string;
      }[];
      for (const { name, sql } of definitions) {
        // Two-value lists (direction, kind) stay: SQLite compares those in place already.
        assert.doesNotMatch(sql, /CHECK \((cost_status|cost_source|status) IN/, `${name}: no list of more than two values left`);
        assert.match(sql, /CHECK \((cost_status|status) = 'open' OR|CHECK \(status = 'pending' OR/, name);
      }
      const setCall = db.prepare('UPDATE calls SET cost_status = ?, cost_source = ? WHERE id = 1');
      for (const status of ['open', 'estimated', 'exact', 'not_billable', 'no_record']) setCall.run(status, null);
      for (const source of ['estimate', 'call_cost_event', 'detail_record', 'manual']) setCall.run('exact', source);
      assert.throws(() => setCall.run('booked', null), /CHECK constraint failed/);
      assert.throws(() => setCall.run('exact', 'guess'), /CHECK constraint failed/);
      const setMessage = db.prepare(`UPDATE messages SET cost_status = ?, cost_source = ? WHERE id = 'm-1'`);
      for (const status of ['open', 'exact', 'not_billable', 'no_record']) setMessage.run(status, null);
      for (const source of ['message_sent_event', 'detail_record', 'message_finalized_event', 'manual']) setMessage.run('exact', source);
      assert.throws(() => setMessage.run('estimated', null), /CHECK constraint failed/, 'messages are never estimated');
      assert.throws(() => setMessage.run('exact', 'estimate'), /CHECK constraint failed/);
      const setJob = db.prepare('UPDATE jobs SET status = ? WHERE call_id = 1');
      for (const status of ['pending', 'running', 'completed', 'failed', 'not_billable', 'no_record']) setJob.run(status);
      assert.throws(() => setJob.run('done'), /CHECK constraint failed/);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  });

  it('a migration rewriting a definition that some row would fail is rolled back, definition and all', () => {
    const file = tempLedgerPath();
    const db0 = openLedger(file);
    db0
      .prepare(
        `INSERT INTO calls (call_leg_id, our_number, other_number, direction, cost_status, created_at, updated_at)
         VALUES ('leg-1', '+15550000001', '+12025550100', 'inbound', 'exact', 0, 0)`,
      )
      .run();
    const definition = db0.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'calls'`).pluck().get();
    db0.close();
    const narrowing: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'calls may only be open',
      editsSchemaText: true,
      sql: `UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (cost_status = ''open'' OR', 'CHECK (cost_status = ''open'') CHECK (1 OR') WHERE name = 'calls';`,
    };
    assert.throws(
      () => openLedger(file, { migrations: [...MIGRATIONS, narrowing] }),
      (err: unknown) => err instanceof LedgerError && /would damage the ledger's calls table: .*CHECK constraint failed/.test(err.message),
    );
    const db = openLedger(file);
    try {
      assert.equal(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'calls'`).pluck().get(), definition);
      assert.equal(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get(), MIGRATIONS.length);
      assert.equal(db.prepare('SELECT cost_status FROM calls').pluck().get(), 'exact');
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
