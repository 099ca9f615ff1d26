// Estimates at call end: fallback rate, billing increments, unanswered calls, learned rates
// (from samples and from a real ledger file), and the labels that say how each was made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RateSettings } from '../../shared/contract.ts';
import { parseMoney, perMinuteCost } from '../../shared/money.ts';
import { billedSecondsFor, estimateCallCost } from '../../electron/core/costs/estimate.ts';
import { LearnedRates, learnRate, rateFromSamples } from '../../electron/core/costs/learned-rates.ts';
import { applyCallCost } from '../../electron/core/costs/apply.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { openTestLedger } from '../helpers/ledger.ts';

// The product's defaults: the original design's $0.015/min fallback, 60/60 increments.
const RATES: RateSettings = DEFAULT_SETTINGS.rates;

test('billed seconds follow first/next increments and the minimum', () => {
  assert.equal(billedSecondsFor(0, { firstSec: 60, nextSec: 60, minimumSec: 0 }), 0);
  assert.equal(billedSecondsFor(1, { firstSec: 60, nextSec: 60, minimumSec: 0 }), 60);
  assert.equal(billedSecondsFor(50, { firstSec: 60, nextSec: 60, minimumSec: 0 }), 60); // Telnyx's own example
  assert.equal(billedSecondsFor(61, { firstSec: 60, nextSec: 60, minimumSec: 0 }), 120);
  assert.equal(billedSecondsFor(61, { firstSec: 6, nextSec: 6, minimumSec: 0 }), 66);
  assert.equal(billedSecondsFor(3, { firstSec: 6, nextSec: 6, minimumSec: 0 }), 6);
  assert.equal(billedSecondsFor(61, { firstSec: 30, nextSec: 6, minimumSec: 0 }), 66);
  assert.equal(billedSecondsFor(10, { firstSec: 1, nextSec: 1, minimumSec: 30 }), 30);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 120 }), (sec, first, next) => {
      const b = billedSecondsFor(sec, { firstSec: first, nextSec: next, minimumSec: 0 });
      assert.ok(b >= sec && b >= first);
      assert.ok(b - sec < Math.max(first, next));
      if (b > first) assert.equal((b - first) % next, 0);
    }),
  );
});

test("fallback estimate: the original design's 0.015/min, labelled", () => {
  const e = estimateCallCost({ ourNumber: '+15550001', direction: 'outbound', callSec: 60 }, RATES, null);
  assert.equal(e.nanos, parseMoney('0.015'));
  assert.equal(e.currency, 'USD');
  assert.equal(e.rate, '0.015');
  assert.equal(e.billedSec, 60);
  assert.equal(e.basis, 'fallback');
  assert.equal(e.method, 'estimated @ 0.015/min fallback, 60/60 increments');
  const six = estimateCallCost(
    { ourNumber: '+15550001', direction: 'inbound', callSec: 61 },
    { ...RATES, inboundPerMinute: '0.0090', firstIncrementSec: 6, nextIncrementSec: 6 },
    null,
  );
  assert.equal(six.nanos, perMinuteCost('0.009', 66));
  assert.equal(six.method, 'estimated @ 0.009/min fallback, 6/6 increments');
});

test('an unanswered call estimates to zero', () => {
  for (const callSec of [0, null]) {
    const e = estimateCallCost({ ourNumber: '+15550001', direction: 'outbound', callSec }, { ...RATES, minimumSec: 30 }, null);
    assert.equal(e.nanos, 0n);
    assert.equal(e.billedSec, 0);
    assert.equal(e.basis, 'unanswered');
  }
});

test("learned rate: sum of costs over sum of billed minutes, in the samples' currency, exact", () => {
  const samples = [
    { nanos: parseMoney('0.018'), billedSec: 120, currency: 'EUR' },
    { nanos: parseMoney('0.009'), billedSec: 60, currency: 'EUR' },
    { nanos: parseMoney('0.0045'), billedSec: 30, currency: 'EUR' },
    { nanos: parseMoney('5'), billedSec: 60, currency: 'USD' }, // another currency: never mixed in
  ];
  const r = rateFromSamples(samples, '+4930123', 'outbound', 3)!;
  assert.equal(r.ratePerMinute, '0.009');
  assert.equal(r.currency, 'EUR');
  assert.equal(r.calls, 3);
  assert.equal(r.incrementSec, 30);
  assert.equal(rateFromSamples(samples, '+4930123', 'outbound', 4), null, 'too few samples in one currency');
  const e = estimateCallCost({ ourNumber: '+4930123', direction: 'outbound', callSec: 100 }, RATES, r);
  assert.equal(e.basis, 'learned');
  assert.equal(e.currency, 'EUR');
  assert.equal(e.billedSec, 120);
  assert.equal(e.nanos, parseMoney('0.018'));
  assert.equal(e.method, 'estimated @ 0.009/min learned from 3 calls of +4930123 outbound, 30/30 increments as billed');
  // learnRates off: the fallback, whatever was learned.
  assert.equal(estimateCallCost({ ourNumber: '+4930123', direction: 'outbound', callSec: 100 }, { ...RATES, learnRates: false }, r).basis, 'fallback');
});

test('learned rates read the newest exact calls of a number and direction from a ledger file', (t) => {
  const ledger = openTestLedger();
  t.after(() => ledger.close());
  const now = Date.UTC(2026, 0, 15);
  const add = (i: number, direction: 'inbound' | 'outbound', cost: string | null, billedSec: number) => {
    const id = ledger.calls.insert(
      {
        callLegId: `leg-${i}`,
        callSessionId: `s-${i}`,
        callControlId: null,
        ourNumber: '+15551230001',
        otherNumber: '+12025550100',
        direction,
        startedAt: now - (1000 - i) * 60_000,
        endedAt: now - (1000 - i) * 60_000 + billedSec * 1000,
        callSec: billedSec,
        billedSec,
      },
      now,
    );
    if (cost !== null) applyCallCost(ledger, id, { source: 'detail_record', nanos: parseMoney(cost), currency: 'USD', reason: 'test' }, now);
    return id;
  };
  assert.equal(learnRate(ledger.db, '+15551230001', 'outbound'), null);
  for (let i = 0; i < 60; i++) add(i, 'outbound', i < 10 ? '1.00' : '0.0092', 60); // old, expensive calls fall out of the window
  for (let i = 60; i < 70; i++) add(i, 'inbound', '0.004', 60);
  for (let i = 70; i < 75; i++) add(i, 'outbound', null, 60); // not exact yet: ignored
  const r = learnRate(ledger.db, '+15551230001', 'outbound', { sampleCalls: 40 })!;
  assert.equal(r.ratePerMinute, '0.0092');
  assert.equal(r.calls, 40);
  assert.equal(r.incrementSec, 60);
  assert.equal(learnRate(ledger.db, '+15551230001', 'inbound')!.ratePerMinute, '0.004');
  const cache = new LearnedRates(ledger.db, 60_000);
  assert.equal(cache.get('+15551230001', 'outbound', now, { sampleCalls: 40 })!.ratePerMinute, '0.0092');
  const e = estimateCallCost({ ourNumber: '+15551230001', direction: 'outbound', callSec: 45 }, RATES, r);
  assert.equal(e.method, 'estimated @ 0.0092/min learned from 40 calls of +15551230001 outbound, 60/60 increments as billed');
  assert.equal(e.nanos, parseMoney('0.0092'));
});

test("an estimate is always in the number's currency: per-number rates, per-currency fallbacks, else its own exact calls", () => {
  const eurKnown = rateFromSamples([{ nanos: parseMoney('0.011'), billedSec: 60, currency: 'EUR' }], '+4915112345678', 'outbound', 1)!;
  const call = { ourNumber: '+4915112345678', direction: 'outbound' as const, callSec: 90 };
  // One exact EUR call known, no EUR fallback: the rate of that call (never the USD fallback).
  const thin = estimateCallCost(call, RATES, null, eurKnown);
  assert.equal(thin.currency, 'EUR');
  assert.equal(thin.nanos, parseMoney('0.011') * 2n);
  assert.equal(
    thin.method,
    'estimated @ 0.011/min learned from 1 call of +4915112345678 outbound (no EUR fallback rate in Settings), 60/60 increments as billed',
  );
  // A EUR fallback in Settings: used for the EUR number (five calls are needed to learn).
  const withEur = { ...RATES, otherCurrencies: [{ currency: 'EUR', inboundPerMinute: '0.005', outboundPerMinute: '0.0080' }] };
  const fb = estimateCallCost(call, withEur, null, eurKnown);
  assert.deepEqual(
    [fb.currency, fb.nanos, fb.basis, fb.method],
    ['EUR', parseMoney('0.016'), 'fallback', 'estimated @ 0.008/min EUR fallback, 60/60 increments'],
  );
  // The number's own line wins, currency included, before any exact cost is known.
  const own = { ...withEur, numbers: [{ number: '+4915112345678', currency: 'EUR', inboundPerMinute: '0.004', outboundPerMinute: '0.0100' }] };
  const mine = estimateCallCost(call, own, null, null);
  assert.deepEqual([mine.currency, mine.nanos, mine.method], ['EUR', parseMoney('0.02'), 'estimated @ 0.01/min fallback for +4915112345678, 60/60 increments']);
  // A number nothing is known about: the default currency and fallback.
  assert.equal(estimateCallCost({ ...call, ourNumber: '+15550001' }, own, null, null).currency, 'USD');
  // A learned rate in another currency than the number's is not used.
  const usdLearned = rateFromSamples(
    Array.from({ length: 5 }, () => ({ nanos: parseMoney('0.5'), billedSec: 60, currency: 'USD' })),
    '+4915112345678',
    'outbound',
    5,
  )!;
  assert.equal(estimateCallCost(call, own, usdLearned, null).currency, 'EUR');
});

test("comparison estimates of imported calls: in the call's currency, or none", () => {
  const compare = comparisonEstimator(RATES);
  const usd = compare({ ourNumber: '+15550001', direction: 'inbound', callSec: 30, currency: 'USD' })!;
  assert.deepEqual([usd.currency, usd.nanos], ['USD', parseMoney('0.015')]);
  assert.equal(compare({ ourNumber: '+4915112345678', direction: 'inbound', callSec: 30, currency: 'EUR' }), null, 'no EUR fallback: no comparison');
  const eur = comparisonEstimator({ ...RATES, otherCurrencies: [{ currency: 'EUR', inboundPerMinute: '0.006', outboundPerMinute: '0.009' }] });
  const e = eur({ ourNumber: '+4915112345678', direction: 'inbound', callSec: 30, currency: 'EUR' })!;
  assert.deepEqual([e.currency, e.nanos], ['EUR', parseMoney('0.006')]);
});
