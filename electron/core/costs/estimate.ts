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

/** What else is known about the number: its currency and a rate from however few exact calls. */
export interface NumberFacts {
  /** Learned from at least one exact call of the number (either direction): its currency. */
  known?: LearnedRate | null;
  /** The call's own currency when it is already known (an imported exact cost). */
  currency?: string | null;
}

interface Fallback {
  rate: string;
  /** How the label names it: "fallback", "EUR fallback", "fallback for +49…". */
  label: string;
}

/**
 * The currency an estimate is made in and the fallback rate there. The number's currency is
 * the one Settings give it, else the one its exact costs came in, else the default; its
 * fallback is the number's own, else its currency's, else none (never another currency's).
 */
function fallbackFor(
  input: EstimateInput,
  rates: RateSettings,
  learned: LearnedRate | null,
  facts: NumberFacts,
): { currency: string; fallback: Fallback | null } {
  const own = (rates.numbers ?? []).find((n) => n.number === input.ourNumber);
  const pick = (r: { inboundPerMinute: string; outboundPerMinute: string }) =>
    canonicalRate(input.direction === 'inbound' ? r.inboundPerMinute : r.outboundPerMinute);
  if (own) return { currency: own.currency, fallback: { rate: pick(own), label: `fallback for ${own.number}` } };
  const currency = facts.currency ?? facts.known?.currency ?? (rates.learnRates ? learned?.currency : null) ?? rates.currency;
  if (currency === rates.currency) return { currency, fallback: { rate: pick(rates), label: 'fallback' } };
  const other = (rates.otherCurrencies ?? []).find((c) => c.currency === currency);
  return { currency, fallback: other ? { rate: pick(other), label: `${currency} fallback` } : null };
}

/**
 * The estimate booked at hangup, always in the number's currency. There always is one: the
 * currency is the default (which has its fallback), one Settings give with its rates, or one
 * an exact call came in (which has a rate to learn from).
 */
export function estimateCallCost(input: EstimateInput, rates: RateSettings, learned: LearnedRate | null, known: LearnedRate | null = null): CallEstimate {
  const e = estimateIn(input, rates, learned, { known });
  if (!e) throw new Error(`no rate for ${input.ourNumber}'s currency`); // unreachable, see above
  return e;
}

/**
 * The estimate of a call, in its number's currency (or `facts.currency`). Null when that
 * currency has no rate at all (no fallback in Settings, no exact call to learn from): then
 * there is no honest estimate, and none is made.
 */
export function estimateIn(input: EstimateInput, rates: RateSettings, learned: LearnedRate | null, facts: NumberFacts = {}): CallEstimate | null {
  const callSec = input.callSec ?? 0;
  const { currency, fallback } = fallbackFor(input, rates, learned, facts);
  const useLearned = rates.learnRates && learned !== null && learned.calls > 0 && learned.currency === currency;
  // No fallback in this currency: a rate learned from fewer calls than usual beats none.
  const thin = !useLearned && !fallback && facts.known && facts.known.currency === currency ? facts.known : null;
  const chosen = useLearned ? learned : thin;
  if (!chosen && !fallback) return null;
  const rate = chosen ? chosen.ratePerMinute : fallback!.rate;
  if (callSec <= 0) {
    // Nobody answered: no talk time to bill. Zero is still an estimate (Telnyx may bill a
    // minimum or a setup fee), so the fetcher still looks for the record.
    return { nanos: 0n, currency, rate, billedSec: 0, method: 'estimated 0: call not answered', basis: 'unanswered' };
  }
  let inc = settingsIncrements(rates);
  let incLearned = false;
  if (chosen && chosen.incrementSec !== null && chosen.incrementSec > 0) {
    inc = { firstSec: chosen.incrementSec, nextSec: chosen.incrementSec, minimumSec: rates.minimumSec };
    incLearned = true;
  }
  const billedSec = billedSecondsFor(callSec, inc);
  const steps = `${inc.firstSec}/${inc.nextSec} increments${incLearned ? ' as billed' : ''}${inc.minimumSec > 0 ? `, minimum ${inc.minimumSec} s` : ''}`;
  if (chosen) {
    const from = `${chosen.calls} call${chosen.calls === 1 ? '' : 's'} of ${chosen.ourNumber} ${chosen.direction}`;
    return {
      nanos: perMinuteCost(rate, billedSec),
      currency,
      rate,
      billedSec,
      method: `estimated @ ${rate}/min learned from ${from}${thin ? ` (no ${currency} fallback rate in Settings)` : ''}, ${steps}`,
      basis: 'learned',
    };
  }
  return {
    nanos: perMinuteCost(rate, billedSec),
    currency,
    rate,
    billedSec,
    method: `estimated @ ${rate}/min ${fallback!.label}, ${steps}`,
    basis: 'fallback',
  };
}
