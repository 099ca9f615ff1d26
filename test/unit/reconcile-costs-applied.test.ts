// When an import (or a report) has applied costs, the reconciler settles the jobs of those
// calls (reconcile/index.ts costsApplied). In the app that runs on Electron's main process
// right after the write worker commits a chunk, while the worker is already writing the next
// one: it must not wait for the write lock when none of the calls has a job to settle.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { storeVoiceRecords } from '../../electron/core/ingest/store-records.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { createReconciler } from '../../electron/core/reconcile/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { normalizeVoiceRecord, type VoiceRecord } from '../../electron/core/telnyx/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { insertHungUpCall } from '../helpers/call-rows.ts';
import { tempLedgerPath } from '../helpers/temp.ts';

const NOW = Date.UTC(2026, 0, 15, 12);

/** A call-control detail record as GET /detail_records lists it (the simulator's shape). */
function record(leg: string, cost: string): VoiceRecord {
  const n = normalizeVoiceRecord(
    {
      record_type: 'call_control_detail_record',
      id: `rec-${leg}`,
      call_leg_id: leg,
      call_session_id: `session-${leg}`,
      cli: '+15550001000',
      cld: '+14155550100',
      direction: 'outbound',
      started_at: new Date(NOW - 60_000).toISOString(),
      finished_at: new Date(NOW).toISOString(),
      call_sec: 60,
      billed_sec: 60,
      rate: '0.0070',
      cost,
      currency: 'USD',
      created_at: new Date(NOW + 60_000).toISOString(),
    },
    'call-control',
  );
  assert.ok(n.ok, n.ok ? '' : n.reason);
  return n.record;
}

describe('costs applied by an import', () => {
  it('calls without a job to settle need no write lock; a call with one gets its job settled', () => {
    const file = tempLedgerPath();
    const ledger = openLedgerFile(file);
    const clock = new ManualClock(NOW + 120_000);
    let changes = 0;
    const r = createReconciler({ ledger, client: () => null, clock, settings: () => DEFAULT_SETTINGS, onChange: () => changes++ });
    const waiting = insertHungUpCall(ledger, NOW, { leg: 'leg-waiting', session: 'session-leg-waiting', control: null });
    ledger.jobs.ensureForCall(waiting, NOW + 5_000, NOW);
    const fresh = storeVoiceRecords(ledger, [record('leg-new-1', '0.0070'), record('leg-new-2', '0.0140')], { createCalls: true }, NOW).updatedCallIds;
    const priced = storeVoiceRecords(ledger, [record('leg-waiting', '0.0070')], { createCalls: true }, NOW).updatedCallIds;
    assert.deepEqual(priced, [waiting]);
    assert.equal(ledger.jobs.forCall(waiting)?.status, 'pending');

    // Another connection (the write worker) holds the write lock; this one would give up at once.
    const worker = new Database(file);
    ledger.db.pragma('busy_timeout = 0');
    try {
      worker.exec('BEGIN IMMEDIATE');
      r.onCostsApplied(fresh); // nothing to settle: returns without waiting for the lock
      assert.equal(changes, 0, 'nothing changed');
      r.onCostsApplied(fresh, 2); // jobs the import settled in its own transaction: listeners hear of them, no lock taken
      assert.equal(changes, 1, 'jobs settled by the import are announced');
      assert.throws(() => r.onCostsApplied([...fresh, waiting]), /database is locked/, 'a job to settle does need the lock');
      worker.exec('COMMIT');
      r.onCostsApplied([...fresh, waiting]);
      assert.equal(ledger.jobs.forCall(waiting)?.status, 'completed');
      assert.equal(changes, 2, 'the job settled here is announced');
      for (const id of fresh) assert.equal(ledger.jobs.forCall(id), undefined, 'an imported call gets no job');
    } finally {
      worker.close();
      ledger.close();
    }
  });
});
