// Properties, on a real ledger file:
//  1. whatever order a call's events and detail records arrive in (webhook events late and out
//     of order, records through the importer or the fetcher, anything twice), the call ends
//     with the same cost: the sum of its records, else its call.cost event, else its estimate;
//     and no cost is ever applied twice;
//  2. per-number totals always equal the sum of their call rows, whatever mix of estimates,
//     exact costs, sources, currencies and end states the rows hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMoney } from '../../shared/money.ts';
import { CallCostStatus } from '../../shared/domain.ts';
import { applyPendingEvents } from '../../electron/core/ingest/apply-events.ts';
import { storeVoiceRecords } from '../../electron/core/ingest/store-records.ts';
import { applyCallCost, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import { markCallNoRecord } from '../../electron/core/costs/status.ts';
import { createAccount } from '../../electron/core/simulator/index.ts';
import { delivery } from '../../electron/core/simulator/webhooks.ts';
import { mainVoiceRecord, sipVoiceRecord } from '../../electron/core/simulator/records.ts';
import { normalizeVoiceRecord, normalizeWebhookDelivery, type VoiceRecord } from '../../electron/core/telnyx/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { createReconciler } from '../../electron/core/reconcile/index.ts';
import { applyVoiceRows } from '../../electron/core/reconcile/apply-page.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { summaryViews } from '../../electron/core/views/summary.ts';
import type { Ctx } from '../../electron/core/reconcile/context.ts';
import { LearnedRates } from '../../electron/core/costs/learned-rates.ts';
import { resolveSettings } from '../../electron/core/reconcile/settings.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { openTestLedger } from '../helpers/ledger.ts';

type Item = { kind: 'event'; type: string; eventId: string; occurredAt: number; payload: Record<string, unknown> } | { kind: 'record'; record: VoiceRecord };

test('any arrival order of events, records and duplicates gives the same final cost', (t) => {
  const ledger = openTestLedger();
  t.after(() => ledger.close());
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  const settings = { rates: DEFAULT_SETTINGS.rates, retryScheduleMs: DEFAULT_SETTINGS.retryScheduleMs, settleWindowMs: DEFAULT_SETTINGS.settleWindowMs };
  const r = createReconciler({ ledger, client: () => null, clock, settings: () => settings });
  const ctx: Ctx = {
    ledger,
    clock,
    log: silentLogger(),
    owner: 'prop',
    settings: () => resolveSettings(settings),
    rates: new LearnedRates(ledger.db),
    costsChanged: () => {},
  };
  // Calls rich in parts: SIP-trunked, with call.cost events, some never recorded, some unanswered.
  const account = createAccount({
    seed: 5,
    calls: 4000,
    messages: 0,
    numbers: 4,
    sipTrunkingRate: 0.4,
    callCostEventRate: 0.5,
    neverRecordRate: 0.15,
    unansweredRate: 0.15,
    webrtcRate: 0.05,
  });
  let nextCall = 0;

  const itemsOf = (i: number): Item[] => {
    const truth = account.call(i);
    const events: Item[] = (['call.initiated', 'call.answered', 'call.hangup', 'call.cost'] as const)
      .filter((type) => (type !== 'call.answered' || truth.answered) && (type !== 'call.cost' || truth.costEvent))
      .map((type) => {
        const n = normalizeWebhookDelivery(delivery(account, type, i, 0));
        assert.ok(n.ok);
        return { kind: 'event', type, eventId: n.record.eventId, occurredAt: n.record.occurredAt!, payload: n.record.payload };
      });
    const records: Item[] = truth.records.map((rec) => {
      const raw = rec.recordType === 'sip-trunking' ? sipVoiceRecord(account, i) : mainVoiceRecord(account, i);
      const n = normalizeVoiceRecord(raw, rec.recordType);
      assert.ok(n.ok);
      return { kind: 'record', record: n.record };
    });
    return [...events, ...records];
  };

  fc.assert(
    fc.property(
      fc.array(fc.integer(), { minLength: 16, maxLength: 16 }),
      fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
      (keys, dup, viaFetcher) => {
        const i = nextCall++;
        const truth = account.call(i);
        const base = itemsOf(i);
        // Some items twice (a repeated delivery, a record listed twice), then any order.
        const all = [...base, ...base.filter((_, k) => dup[k])];
        const order = all.map((item, k) => ({ item, key: keys[k % keys.length]! * 31 + k, fetch: viaFetcher[k % viaFetcher.length]! }));
        order.sort((a, b) => a.key - b.key);
        let fetchedEarly = false;
        for (const { item, fetch } of order) {
          clock.set(clock.now() + 1000);
          if (item.kind === 'event') {
            ledger.events.insert(
              { eventId: item.eventId, eventType: item.type, occurredAt: item.occurredAt, payload: item.payload, deliveryId: null },
              clock.now(),
            );
            applyPendingEvents(ledger, clock.now(), { onCallEnded: (id) => r.onCallEnded(id) });
          } else if (fetch) {
            // The fetcher only attaches records to calls it knows.
            applyVoiceRows(ctx, [item.record], clock.now(), null);
            fetchedEarly = true;
          } else {
            const out = storeVoiceRecords(ledger, [item.record], { createCalls: true }, clock.now());
            r.onCostsApplied(out.updatedCallIds);
          }
        }
        // The fetcher's next attempt sees every record again.
        if (fetchedEarly) {
          const recs = base.flatMap((x) => (x.kind === 'record' ? [x.record] : []));
          applyVoiceRows(ctx, recs, clock.now(), null);
        }
        const call = ledger.calls.findByIds({ legIds: [truth.callLegId], controlId: truth.callControlId, sessionIds: [truth.callSessionId] });
        assert.ok(call, `call ${i} exists`);
        if (truth.hasRecord) {
          assert.equal(call.costStatus, 'exact');
          assert.equal(call.costSource, 'detail_record');
          assert.equal(call.exactNanos, truth.totalCostNanos);
          assert.equal(call.currency, truth.currency);
        } else if (truth.costEvent) {
          assert.equal(call.costStatus, 'exact');
          assert.equal(call.costSource, 'call_cost_event');
          assert.equal(call.exactNanos, truth.totalCostNanos);
        } else {
          assert.equal(call.costStatus, 'estimated');
          assert.equal(call.costSource, 'estimate');
        }
        const rows = ledger.history.forCall(call.id);
        for (let k = 1; k < rows.length; k++) {
          const a = rows[k - 1]!;
          const b = rows[k]!;
          assert.ok(!(a.newNanos === b.newNanos && a.newSource === b.newSource && a.newStatus === b.newStatus), 'a cost applied twice');
        }
        assert.ok(rows.filter((x) => x.newStatus === 'estimated').length <= 1, 'one estimate at most');
      },
    ),
    { numRuns: 150 },
  );
});

test('per-number totals always equal the sum of their rows', (t) => {
  const ledger = openTestLedger();
  t.after(() => ledger.close());
  const base = Date.UTC(2026, 0, 1);
  const numbers = ['+15550000001', '+15550000002', '+4930000003'];
  const amount = fc.bigInt({ min: 0n, max: 50_000_000_000n }).map((n) => n);
  const op = fc.oneof(
    fc.record({ kind: fc.constant('estimate' as const), nanos: amount, currency: fc.constantFrom('USD', 'EUR') }),
    fc.record({
      kind: fc.constant('cost' as const),
      nanos: amount,
      currency: fc.constantFrom('USD', 'EUR'),
      source: fc.constantFrom('call_cost_event', 'detail_record', 'manual') as fc.Arbitrary<'call_cost_event' | 'detail_record' | 'manual'>,
    }),
    fc.record({ kind: fc.constant('not_billable' as const) }),
    fc.record({ kind: fc.constant('no_record' as const) }),
  );
  // Every call has something booked (an estimate at hangup, at least): see the open-call test below
  // for calls still open.
  const callArb = fc.record({
    number: fc.constantFrom(...numbers),
    direction: fc.constantFrom('inbound', 'outbound') as fc.Arbitrary<'inbound' | 'outbound'>,
    ops: fc.array(op, { minLength: 1, maxLength: 5 }),
  });
  let run = 0;
  fc.assert(
    fc.property(fc.array(callArb, { minLength: 1, maxLength: 25 }), (calls) => {
      run++;
      const from = base + run * 86_400_000;
      const now = from + 3600_000;
      calls.forEach((c, k) => {
        const id = ledger.calls.insert(
          {
            callLegId: `leg-${run}-${k}`,
            callSessionId: `s-${run}-${k}`,
            callControlId: null,
            ourNumber: c.number,
            otherNumber: '+12025550100',
            direction: c.direction,
            startedAt: from + k * 1000,
            endedAt: from + k * 1000 + 60_000,
            callSec: 60,
          },
          now,
        );
        for (const o of c.ops) {
          if (o.kind === 'estimate')
            bookCallEstimate(ledger, id, { nanos: o.nanos, currency: o.currency, method: 'test estimate', rate: '0.01', billedSec: 60 }, now);
          else if (o.kind === 'cost') applyCallCost(ledger, id, { source: o.source, nanos: o.nanos, currency: o.currency, reason: 'test' }, now);
          else if (o.kind === 'not_billable')
            applyCallCost(ledger, id, { source: 'detail_record', nanos: 0n, currency: 'USD', status: 'not_billable', reason: 'test' }, now);
          else markCallNoRecord(ledger, id, 'test', now);
        }
        // A cost-less op sequence (no_record/not_billable on an open call) leaves it open: book an estimate.
        if (ledger.calls.get(id)!.costStatus === 'open')
          bookCallEstimate(ledger, id, { nanos: 1n, currency: 'USD', method: 'test estimate', rate: '0.01', billedSec: 60 }, now);
      });
      const range = { from, to: from + 86_400_000 };
      // Expected, from the rows themselves.
      const rows = ledger.db
        .prepare(
          'SELECT our_number, estimated_nanos, estimate_currency, exact_nanos, currency, cost_source, cost_status FROM calls WHERE started_at >= ? AND started_at < ?',
        )
        .safeIntegers(true)
        .all(range.from, range.to) as Record<string, unknown>[];
      const booked = new Map<string, bigint>();
      const exact = new Map<string, bigint>();
      for (const r of rows) {
        assert.ok(CallCostStatus.safeParse(r.cost_status).success);
        const cur = (r.currency ?? r.estimate_currency ?? 'USD') as string;
        const key = `${r.our_number as string} ${cur}`;
        const isExact = r.cost_source !== null && r.cost_source !== 'estimate';
        const b = isExact ? (r.exact_nanos as bigint | null) : (r.estimated_nanos as bigint | null);
        booked.set(key, (booked.get(key) ?? 0n) + (b ?? 0n));
        if (isExact) exact.set(key, (exact.get(key) ?? 0n) + ((r.exact_nanos as bigint | null) ?? 0n));
        // The booked amount of an exact call is in its cost currency, an estimate in its estimate currency.
        if (isExact) assert.ok(r.currency !== null);
      }
      const summary = summaryViews(ledger.db).summary(range);
      const got = new Map(summary.map((s) => [`${s.number} ${s.currency}`, s]));
      assert.equal(got.size, booked.size);
      for (const [key, total] of booked) {
        const s = got.get(key);
        assert.ok(s, key);
        assert.equal(parseMoney(s.bookedTotal.amount), total, `${key} booked`);
        assert.equal(parseMoney(s.exactTotal.amount), exact.get(key) ?? 0n, `${key} exact`);
      }
      assert.equal(
        summary.reduce((n, s) => n + s.calls, 0),
        calls.length,
      );
    }),
    { numRuns: 120 },
  );
});

test("a call still open (no currency yet) does not disturb its number's totals", (t) => {
  const ledger = openTestLedger();
  t.after(() => ledger.close());
  const now = Date.UTC(2026, 0, 2);
  const done = ledger.calls.insert(
    {
      callLegId: 'a',
      callSessionId: 'a',
      callControlId: null,
      ourNumber: '+15550000001',
      otherNumber: '+12025550100',
      direction: 'inbound',
      startedAt: now,
      endedAt: now + 1000,
      callSec: 1,
    },
    now,
  );
  ledger.calls.insert(
    {
      callLegId: 'b',
      callSessionId: 'b',
      callControlId: null,
      ourNumber: '+15550000001',
      otherNumber: '+12025550100',
      direction: 'inbound',
      startedAt: now + 5,
    },
    now,
  );
  applyCallCost(ledger, done, { source: 'detail_record', nanos: parseMoney('0.005'), currency: 'USD', reason: 'test' }, now);
  const rows = summaryViews(ledger.db).summary({ from: now - 1, to: now + 10_000 });
  assert.equal(
    rows.reduce((n, r) => n + r.calls, 0),
    2,
  );
  assert.equal(rows.find((r) => r.currency === 'USD')?.bookedTotal.amount, '0.005');
});
