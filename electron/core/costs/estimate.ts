// The estimate booked the moment a call ends, before Telnyx has billed it. Two ways to make
// one: the rate in Settings (the original design's 0.015/min fallback by default), or a rate
// learned from this number's recent exact costs. Either way the label says exactly how it
// was made, because an estimate that looks like a cost is how the original design misled.
// Money is exact here too; perMinuteCost does the one rounding the product allows (to the
// nano-unit, on estimates only).
import type { RateSettings } from '../../../shared/contract.ts';
import type { Direction } from '../../../shared/domain.ts';
import { formatMoney, parseMoney, perMinuteCost } from '../../../shared/money.ts';

export interface Increments {
  /** The first billed step (a call shorter than this is billed this long). */
  firstSec: number;
  /** Each step after the first. */
  nextSec: number;
  /** Billed at least this long (0: no minimum). */
  minimumSec: number;
}

/** Seconds a call of `callSec` is billed for: 0 stays 0 (nothing to bill when nobody answered). */
export function billedSecondsFor(callSec: number, inc: Increments): number {
  if (!Number.isFinite(callSec) || callSec <= 0) return 0;
  const sec = Math.ceil(callSec);
  const first = Math.max(1, inc.firstSec);
  const next = Math.max(1, inc.nextSec);
  const stepped = sec <= first ? first : first + Math.ceil((sec - first) / next) * next;
  return Math.max(stepped, inc.minimumSec);
}

/** A per-minute rate learned from exact costs of one number and direction. */
export interface LearnedRate {
  /** Exact decimal text (sum of costs * 60 / sum of billed seconds, to the nano-unit). */
  ratePerMinute: string;
  currency: string;
  /** How many exact calls it was learned from. */
  calls: number;
  ourNumber: string;
  direction: Direction;
  /** The billing step seen in those calls (greatest common divisor of their billed seconds), if any. */
  incrementSec: number | null;
}

export interface EstimateInput {
  ourNumber: string;
  direction: Direction;
  /** Talk time in seconds; 0 (or null) for a call nobody answered. */
  callSec: number | null;
}

export type EstimateBasis = 'fallback' | 'learned' | 'unanswered';

export interface CallEstimate {
  nanos: bigint;
  currency: string;
  /** Decimal per-minute rate used. */
  rate: string;
  billedSec: number;
  /** Human label, e.g. "estimated @ 0.015/min fallback, 60/60 increments". */
  method: string;
  basis: EstimateBasis;
}

export function settingsIncrements(rates: RateSettings): Increments {
  return { firstSec: rates.firstIncrementSec, nextSec: rates.nextIncrementSec, minimumSec: rates.minimumSec };
}

/** Canonical decimal text of a rate ("0.0150" -> "0.015"). */
export function canonicalRate(rate: string): string {
  return formatMoney(parseMoney(rate), 0);
}

export function estimateCallCost(input: EstimateInput, rates: RateSettings, learned: LearnedRate | null): CallEstimate {
  const callSec = input.callSec ?? 0;
  const useLearned = rates.learnRates && learned !== null && learned.calls > 0;
  const fallbackRate = canonicalRate(input.direction === 'inbound' ? rates.inboundPerMinute : rates.outboundPerMinute);
  if (callSec <= 0) {
    // Nobody answered: no talk time to bill. Zero is still an estimate (Telnyx may bill a
    // minimum or a setup fee), so the fetcher still looks for the record.
    return {
      nanos: 0n,
      currency: useLearned ? learned.currency : rates.currency,
      rate: useLearned ? learned.ratePerMinute : fallbackRate,
      billedSec: 0,
      method: 'estimated 0: call not answered',
      basis: 'unanswered',
    };
  }
  let inc = settingsIncrements(rates);
  let incLearned = false;
  if (useLearned && learned.incrementSec !== null && learned.incrementSec > 0) {
    inc = { firstSec: learned.incrementSec, nextSec: learned.incrementSec, minimumSec: rates.minimumSec };
    incLearned = true;
  }
  const billedSec = billedSecondsFor(callSec, inc);
  const steps = `${inc.firstSec}/${inc.nextSec} increments${incLearned ? ' as billed' : ''}${inc.minimumSec > 0 ? `, minimum ${inc.minimumSec} s` : ''}`;
  if (useLearned) {
    return {
      nanos: perMinuteCost(learned.ratePerMinute, billedSec),
      currency: learned.currency,
      rate: learned.ratePerMinute,
      billedSec,
      method: `estimated @ ${learned.ratePerMinute}/min learned from ${learned.calls} calls of ${learned.ourNumber} ${learned.direction}, ${steps}`,
      basis: 'learned',
    };
  }
  return {
    nanos: perMinuteCost(fallbackRate, billedSec),
    currency: rates.currency,
    rate: fallbackRate,
    billedSec,
    method: `estimated @ ${fallbackRate}/min fallback, ${steps}`,
    basis: 'fallback',
  };
}
