// The calls' two-level key table (migrations 17-19, ledger/call-keys.ts): an older ledger's ids
// move into it, lookups read both levels, a merge changes no answer, leg and control ids stay
// unique across both levels, as the UNIQUE constraints kept them, and the bulk path's deferred
// keys are the ones the trigger adds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { createLedger, openLedger } from '../../electron/core/ledger/index.ts';
import { MIGRATIONS } from '../../electron/core/ledger/migrations.ts';
import { mergeCallKeysInSlices } from '../../electron/core/ledger/merge-in-slices.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import { CallsQuery } from '../../shared/contract.ts';
import { dumpTables, withTestLedger } from '../helpers/ledger.ts';
import { tempLedgerPath } from '../helpers/temp.ts';
import type { Db } from '../../electron/core/ledger/open.ts';

const insertCall = (db: Db, id: number, ids: { leg?: string; session?: string; control?: string }) =>
  db
    .prepare(
      `INSERT INTO calls (id, call_leg_id, call_session_id, call_control_id, our_number, other_number, direction, created_at, updated_at)
       VALUES (?, ?, ?, ?, '+15550000001', '+12025550100', 'inbound', 0, 0)`,
    )
    .run(id, ids.leg ?? null, ids.session ?? null, ids.control ?? null);

const keysOf = (db: Db, table: 'call_keys' | 'call_keys_recent') =>
  db.prepare(`SELECT kind, key, call_id FROM ${table} ORDER BY kind, key, call_id`).raw().all();

/**
 * `count` calls' ids: a leg for most, a control id for a third, and every fifth call in a
 * session shared with others (named by `shared`), the rest in sessions of their own.
 */
const mixedIds = (count: number, shared: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({
    leg: i % 7 === 0 ? undefined : randomUUID(),
    control: i % 3 === 0 ? `v3:${randomUUID()}` : undefined,
    session: i % 5 === 4 ? shared(i) : randomUUID(),
  }));

describe('the calls key table', () => {
  it("migrations 17-18 move an older ledger's ids into call_keys, drop the three id indexes, and leave every call as it was", () => {
    const file = tempLedgerPath();
    const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version < 17) });
    insertCall(old, 1, { leg: 'leg-1', session: 'sess-a', control: 'v3:ctl-1' });
    insertCall(old, 2, { leg: 'leg-2', session: 'sess-a' });
    insertCall(old, 3, { session: 'sess-b' });
    const calls = dumpTables(old, { excludeTables: ['schema_migrations'] }).calls;
    old.close();

    const db = openLedger(file);
    try {
      assert.deepEqual(dumpTables(db).calls, calls, 'no call changed');
      assert.deepEqual(keysOf(db, 'call_keys'), [
        [0, 'leg-1', 1],
        [0, 'leg-2', 2],
        [1, 'v3:ctl-1', 1],
        [2, 'sess-a', 1],
        [2, 'sess-a', 2],
        [2, 'sess-b', 3],
      ]);
      assert.deepEqual(keysOf(db, 'call_keys_recent'), []);
      const indexes = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls' ORDER BY name`).pluck().all();
      assert.deepEqual(indexes, ['calls_number_time', 'calls_other', 'calls_status', 'calls_status_started', 'calls_time']);
      assert.doesNotMatch(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'calls'`).pluck().get() as string, /UNIQUE/);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'the dropped indexes left no page behind');
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      const ledger = createLedger(db);
      assert.equal(ledger.calls.byLeg('leg-2')?.id, 2);
      assert.equal(ledger.calls.byControl('v3:ctl-1')?.id, 1);
      assert.deepEqual(
        ledger.calls.bySession('sess-a').map((c) => c.id),
        [1, 2],
      );
      assert.throws(() => insertCall(db, 4, { leg: 'leg-1' }), /UNIQUE constraint failed: calls.call_leg_id/);
    } finally {
      db.close();
    }
  });

  it('a calls definition spelled otherwise than migration 1 wrote it is left alone: the ledger is refused, every row intact', () => {
    const file = tempLedgerPath();
    const old = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version < 17) });
    insertCall(old, 1, { leg: 'leg-1', session: 'sess-a' });
    old.close();
    // Another spelling of the same table, as a hand-made or foreign ledger might have it.
    const raw = new Database(file);
    raw.unsafeMode(true);
    const version = Number(raw.pragma('schema_version', { simple: true }));
    raw.pragma('writable_schema = ON');
    raw.prepare(`UPDATE sqlite_schema SET sql = replace(sql, 'call_leg_id      TEXT UNIQUE,', 'call_leg_id TEXT UNIQUE,') WHERE name = 'calls'`).run();
    raw.pragma(`schema_version = ${version + 1}`);
    raw.pragma('writable_schema = OFF');
    raw.close();

    assert.throws(() => openLedger(file), /no such index: calls_leg_unique/);
    const after = new Database(file, { readonly: true });
    try {
      assert.equal(after.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(after.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get(), 17, '18 rolled back');
      assert.match(after.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'calls'`).pluck().get() as string, /call_control_id {2}TEXT UNIQUE/);
      assert.deepEqual(after.prepare('SELECT id, call_leg_id FROM calls').raw().all(), [[1, 'leg-1']]);
    } finally {
      after.close();
    }
  });

  it('keeps leg and control ids unique across both levels, and follows the ids a call gains and loses', () => {
    withTestLedger((ledger) => {
      const db = ledger.db;
      insertCall(db, 1, { leg: 'L1', control: 'C1', session: 'S1' });
      insertCall(db, 2, { session: 'S1' });
      for (const merged of [false, true]) {
        if (merged) assert.equal(ledger.mergeCallKeysIfDue(1), 4);
        const why = merged ? 'after the merge' : 'in the recent level';
        assert.throws(() => insertCall(db, 3, { leg: 'L1' }), /UNIQUE constraint failed: calls.call_leg_id/, why);
        assert.throws(() => insertCall(db, 3, { session: 'S9', control: 'C1' }), /UNIQUE constraint failed: calls.call_control_id/, why);
        assert.throws(() => db.prepare(`UPDATE calls SET call_leg_id = 'L1' WHERE id = 2`).run(), /UNIQUE constraint failed: calls.call_leg_id/, why);
        assert.equal(db.prepare('SELECT COUNT(*) FROM calls').pluck().get(), 2, `nothing written by a refused statement (${why})`);
      }
      // A call's own id written again is not a clash; a session shared by two legs is allowed.
      db.prepare(`UPDATE calls SET call_leg_id = 'L1', our_number = '+15550000002' WHERE id = 1`).run();
      db.prepare(`UPDATE calls SET call_leg_id = 'L2', call_control_id = 'C2' WHERE id = 2`).run();
      assert.equal(ledger.calls.byLeg('L2')?.id, 2);
      assert.equal(ledger.calls.byControl('C2')?.id, 2);
      db.prepare(`UPDATE calls SET call_leg_id = 'L1b' WHERE id = 1`).run();
      assert.equal(ledger.calls.byLeg('L1'), undefined, 'the old key went with the old id');
      assert.equal(ledger.calls.byLeg('L1b')?.id, 1);
      insertCall(db, 3, { leg: 'L1' });
      db.prepare('DELETE FROM calls WHERE id = 3').run();
      assert.equal(ledger.calls.byLeg('L1'), undefined, 'a deleted call leaves no key');
      const all = [...keysOf(db, 'call_keys'), ...keysOf(db, 'call_keys_recent')].map((r) => (r as unknown[]).join(' ')).sort();
      assert.deepEqual(all, ['0 L1b 1', '0 L2 2', '1 C1 1', '1 C2 2', '2 S1 1', '2 S1 2']);
    });
  });

  it('a merge moves every recent key once, in one transaction, and every lookup answers as before', () => {
    withTestLedger((ledger) => {
      const db = ledger.db;
      const ids = mixedIds(300, (i) => 'shared-' + (i % 2));
      ledger.tx(() => ids.forEach((k, i) => insertCall(db, i + 1, k)));
      const views = callViews(db);
      const answers = () => ({
        legs: ids.map((k) => (k.leg ? ledger.calls.byLeg(k.leg)?.id : null)),
        controls: ids.map((k) => (k.control ? ledger.calls.byControl(k.control)?.id : null)),
        sessions: ids.map((k) => ledger.calls.bySession(k.session!).map((c) => c.id)),
        known: [
          ...ledger.bulk.knownCallIds({
            legs: ids.flatMap((k) => (k.leg ? [k.leg] : [])),
            controls: ids.flatMap((k) => (k.control ? [k.control] : [])),
            sessions: [...ids.map((k) => k.session!), 'nobody'],
          }),
        ].sort(),
        resolved: ids.map((k) => views.resolve(k.control ?? k.leg ?? k.session!)),
        listed: views.list(CallsQuery.parse({ search: ids[4]!.session!, limit: 200 })).rows.map((r) => r.id),
      });
      const before = answers();
      const keys = keysOf(db, 'call_keys_recent');
      assert.equal(
        keys.length,
        ids.reduce((n, k) => n + (k.leg ? 1 : 0) + (k.control ? 1 : 0) + 1, 0),
      );
      assert.equal(ledger.mergeCallKeysIfDue(keys.length + 1), 0, 'below the limit: nothing moves');
      assert.equal(ledger.mergeCallKeysIfDue(keys.length), keys.length);
      assert.deepEqual(keysOf(db, 'call_keys'), keys);
      assert.deepEqual(keysOf(db, 'call_keys_recent'), []);
      assert.deepEqual(answers(), before);
      assert.equal(before.listed.length, 30, 'a shared session lists every call of it');
      // Inside another transaction the merge waits: a chunk's commit stays the outermost one.
      insertCall(db, 999, { leg: 'late' });
      assert.equal(
        ledger.tx(() => ledger.mergeCallKeysIfDue(1)),
        0,
      );
      assert.equal(ledger.mergeCallKeysIfDue(1), 1);
    });
  });
  it('a merge in slices moves the recent keys in key order, a slice each transaction, each key in one level at every commit, and lookups answer as before after each', () => {
    withTestLedger((ledger) => {
      const db = ledger.db;
      const ids = mixedIds(120, (i) => 'shared-' + (i % 2));
      ledger.tx(() => ids.forEach((k, i) => insertCall(db, i + 1, k)));
      const answers = () => ({
        legs: ids.map((k) => (k.leg ? ledger.calls.byLeg(k.leg)?.id : null)),
        controls: ids.map((k) => (k.control ? ledger.calls.byControl(k.control)?.id : null)),
        sessions: ids.map((k) => ledger.calls.bySession(k.session!).map((c) => c.id)),
      });
      const before = answers();
      const keys = keysOf(db, 'call_keys_recent');
      const slice = 37;
      for (let done = 0; done < keys.length; done += slice) {
        const moved = ledger.mergeCallKeysSlice(slice);
        assert.equal(moved, Math.min(slice, keys.length - done));
        // The first keys in key order went up; the rest wait, none in both levels or lost.
        assert.deepEqual(keysOf(db, 'call_keys'), keys.slice(0, done + moved));
        assert.deepEqual(keysOf(db, 'call_keys_recent'), keys.slice(done + moved));
        assert.deepEqual(answers(), before, `after ${done + moved} keys`);
      }
      assert.equal(ledger.mergeCallKeysSlice(slice), 0, 'nothing left');
      insertCall(db, 999, { leg: 'late' });
      assert.equal(
        ledger.tx(() => ledger.mergeCallKeysSlice(slice)),
        0,
        'inside another transaction the slice waits',
      );
    });
  });
  it('mergeCallKeysInSlices moves every recent key once due, with the event loop free between slices; a cancelled one leaves the rest in the recent level', async () => {
    const file = tempLedgerPath();
    const ledger = createLedger(openLedger(file));
    try {
      ledger.tx(() => Array.from({ length: 40 }, (_, i) => insertCall(ledger.db, i + 1, { leg: randomUUID(), session: randomUUID() })));
      const keys = keysOf(ledger.db, 'call_keys_recent');
      assert.equal(await mergeCallKeysInSlices(ledger, { limit: keys.length + 1, sliceKeys: 10 }), 0, 'below the limit: nothing moves');
      // Another task of the event loop runs between two slices.
      let turns = 0;
      const spin = () => {
        turns++;
        if (ledger.callKeys.recentCount() > 0) setImmediate(spin);
      };
      setImmediate(spin);
      assert.equal(await mergeCallKeysInSlices(ledger, { limit: keys.length, sliceKeys: 10 }), keys.length);
      assert.ok(turns >= 7, `${turns} turns of the event loop during 8 slices`);
      assert.deepEqual(keysOf(ledger.db, 'call_keys'), keys);
      assert.deepEqual(keysOf(ledger.db, 'call_keys_recent'), []);

      ledger.tx(() => Array.from({ length: 20 }, (_, i) => insertCall(ledger.db, 100 + i, { leg: randomUUID(), session: randomUUID() })));
      const stop = new AbortController();
      stop.abort();
      assert.equal(await mergeCallKeysInSlices(ledger, { limit: 1, sliceKeys: 10, signal: stop.signal }), 10, 'cancelled: one slice, then it stops');
      assert.equal(ledger.callKeys.recentCount(), 30);
    } finally {
      ledger.close();
    }
  });
  it('while deferred (migration 19), inserts neither check nor add keys; addFor adds exactly the keys the trigger would, and the flag never outlives its transaction', () => {
    const ids = mixedIds(200, () => 'shared');
    const byTrigger = withTestLedger((ledger) => {
      ledger.tx(() => ids.forEach((k, i) => insertCall(ledger.db, i + 1, k)));
      return keysOf(ledger.db, 'call_keys_recent');
    });
    withTestLedger((ledger) => {
      const db = ledger.db;
      insertCall(db, 500, { leg: 'taken' });
      ledger.tx(() => {
        ledger.callKeys.deferInserts(true);
        ids.forEach((k, i) => insertCall(db, i + 1, k));
        assert.deepEqual(keysOf(db, 'call_keys_recent'), [[0, 'taken', 500]], 'no key added while deferred');
        // The caller vouches for its ids: the clash check stands aside too (the bulk path checks them itself).
        insertCall(db, 501, { leg: 'taken' });
        db.prepare('DELETE FROM calls WHERE id = 501').run();
        ledger.callKeys.addFor(ids.map((_, i) => i + 1));
        ledger.callKeys.deferInserts(false);
        assert.throws(() => insertCall(db, 502, { leg: 'taken' }), /UNIQUE constraint failed: calls.call_leg_id/, 'checked again once undeferred');
      });
      assert.deepEqual(
        keysOf(db, 'call_keys_recent').filter((k) => (k as unknown[])[2] !== 500),
        byTrigger,
        'the same keys as the insert trigger adds',
      );
      assert.equal(db.prepare('SELECT COUNT(*) FROM call_keys_deferred').pluck().get(), 0);
      // A transaction that fails while deferred leaves no flag behind either.
      assert.throws(() =>
        ledger.tx(() => {
          ledger.callKeys.deferInserts(true);
          throw new Error('boom');
        }),
      );
      assert.equal(db.prepare('SELECT COUNT(*) FROM call_keys_deferred').pluck().get(), 0);
      assert.equal(ledger.calls.byLeg(ids[1]!.leg!)?.id, 2);
    });
  });
});
