// The ledger's repositories where their rules matter to ingest: finding a call by any of its
// ids (a session shared by two legs is ambiguous), record upserts that change nothing when
// nothing changed, event dedupe, and imports that a dead process left behind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openTestLedger } from '../helpers/ledger.ts';

const NOW = Date.UTC(2026, 0, 15, 12);

describe('calls.findByIds', () => {
  it('matches leg id first, then control id, then an unambiguous session', () => {
    const ledger = openTestLedger();
    const base = { otherNumber: '+12125550100', direction: 'outbound' as const };
    const a = ledger.calls.insert({ ...base, callLegId: 'leg-a', callSessionId: 'sess', callControlId: 'v3:a', ourNumber: '+15550001' }, NOW);
    const b = ledger.calls.insert({ ...base, callLegId: 'leg-b', callSessionId: 'sess', callControlId: null, ourNumber: '+15550002' }, NOW);
    const c = ledger.calls.insert({ ...base, callLegId: null, callSessionId: 'solo', callControlId: null, ourNumber: '+15550003' }, NOW);
    assert.equal(ledger.calls.findByIds({ legIds: ['leg-b'], controlId: 'v3:a', sessionIds: ['solo'] })?.id, b);
    assert.equal(ledger.calls.findByIds({ legIds: ['nope'], controlId: 'v3:a' })?.id, a);
    assert.equal(ledger.calls.findByIds({ sessionIds: ['solo'] })?.id, c);
    // Two legs share "sess": ambiguous unless the numbers single one out.
    assert.equal(ledger.calls.findByIds({ sessionIds: ['sess'] }), undefined);
    assert.equal(ledger.calls.findByIds({ sessionIds: ['sess'] }, { ourNumber: '+15550002' })?.id, b);
    assert.equal(ledger.calls.findByIds({ legIds: ['x'], sessionIds: ['y'] }), undefined);
    ledger.close();
  });

  it('addFacts only fills in, and leaves a row untouched when nothing is new', () => {
    const ledger = openTestLedger();
    const id = ledger.calls.insert(
      { callLegId: 'leg', callSessionId: null, callControlId: null, ourNumber: '+1', otherNumber: '+2', direction: 'inbound' },
      NOW,
    );
    ledger.calls.addFacts(id, { callSessionId: 'sess', endedAt: NOW + 5 }, NOW + 1);
    ledger.calls.addFacts(id, { callLegId: 'other-leg', callSessionId: 'other' }, NOW + 2);
    let call = ledger.calls.get(id)!;
    assert.equal(call.callLegId, 'leg', 'ids are never replaced');
    assert.equal(call.callSessionId, 'sess');
    assert.equal(call.endedAt, NOW + 5);
    assert.equal(call.updatedAt, NOW + 1, 'a call whose facts did not change is not touched');
    ledger.calls.addFacts(id, { endedAt: NOW + 6 }, NOW + 3);
    call = ledger.calls.get(id)!;
    assert.equal(call.endedAt, NOW + 6);
    assert.equal(call.updatedAt, NOW + 3);
    ledger.close();
  });
});

describe('records, events, imports', () => {
  it('a record upserted again unchanged changes nothing', () => {
    const ledger = openTestLedger();
    const r = {
      recordType: 'messaging',
      recordId: 'm1',
      createdAt: NOW,
      legId: null,
      sessionId: null,
      controlId: null,
      costNanos: 7n,
      currency: 'USD',
      raw: '{"a":1}',
      callId: null,
      messageId: null,
    };
    assert.equal(ledger.records.upsert(r, NOW), true);
    assert.equal(ledger.records.upsert(r, NOW + 1), false);
    assert.equal(ledger.records.upsert({ ...r, raw: '{"a":2}', costNanos: 8n }, NOW + 2), true, 'Telnyx changed it');
    const row = ledger.db.prepare('SELECT cost_nanos, imported_at FROM detail_records').get() as { cost_nanos: number; imported_at: number };
    assert.deepEqual(row, { cost_nanos: 8, imported_at: NOW + 2 });
    ledger.close();
  });

  it('events are deduplicated by event id', () => {
    const ledger = openTestLedger();
    const e = { eventId: 'ev1', eventType: 'call.hangup', occurredAt: NOW, deliveryId: 'd1', payload: { a: 1 } };
    assert.equal(ledger.events.insert(e, NOW), true);
    assert.equal(ledger.events.insert({ ...e, deliveryId: 'd2' }, NOW + 1), false);
    assert.equal(ledger.events.count(), 1);
    assert.equal(ledger.events.unapplied(10).length, 1);
    ledger.events.markApplied('ev1', NOW, 'done');
    assert.equal(ledger.events.countUnapplied(), 0);
    ledger.close();
  });

  it('an import whose owner stopped heart-beating becomes interrupted and resumable', () => {
    const ledger = openTestLedger();
    const types = ['webrtc', 'call-control'] as const;
    const id = ledger.imports.create(1, 2, [...types], 'dead-process', NOW);
    assert.equal(ledger.imports.markStale(NOW - 60_000), 0, 'a fresh heartbeat is alive');
    assert.equal(ledger.imports.findResumable(1, 2, ['call-control', 'webrtc'])?.status, 'running', 'types in any order');
    assert.equal(ledger.imports.markStale(NOW + 1), 1);
    const row = ledger.imports.findResumable(1, 2, ['webrtc', 'call-control'])!;
    assert.equal(row.id, id);
    assert.equal(row.status, 'interrupted');
    assert.equal(row.owner, null);
    ledger.tx(() => ledger.imports.markPageDone(id, 'webrtc', 3, 50, NOW));
    ledger.tx(() => ledger.imports.markPageDone(id, 'webrtc', 3, 50, NOW));
    assert.deepEqual([...ledger.imports.donePages(id, 'webrtc')], [3]);
    assert.equal(ledger.imports.get(id)!.records, 50, 'a page counted once');
    ledger.imports.finish(id, 'completed', null, NOW);
    assert.equal(ledger.imports.findResumable(1, 2, [...types]), undefined, 'a completed import is not resumed');
    ledger.close();
  });
});
