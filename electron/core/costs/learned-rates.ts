// Rates learned from exact costs: for one of our numbers and one direction, the recent exact
// calls' total cost divided by their total billed minutes. That folds in everything the
// fallback rate cannot know (this number's rate deck, its currency, the SIP-trunk part some
// calls add), so estimates get close to the bill once a few calls are known.
import { recentExactCalls, type RateSample } from '../ledger/rate-samples.ts';
import type { Direction } from '../../../shared/domain.ts';
import { divRoundHalfAway, formatMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import type { LearnedRate } from './estimate.ts';

export type { RateSample };

export interface LearnOptions {
  /** Learn from at most this many recent exact calls. Default 50. */
  sampleCalls?: number;
  /** Below this many exact calls the fallback rate is used. Default 5. */
  minCalls?: number;
  /** How many recent calls of the number+direction are looked at to find them. Default 2000. */
  scanCalls?: number;
}

export const DEFAULT_LEARN: Required<LearnOptions> = { sampleCalls: 50, minCalls: 5, scanCalls: 2000 };

/**
 * The rate of a set of samples, most recent first. Only samples in the most recent sample's
 * currency count (never add two currencies). The quotient is exact whenever it fits nine
 * decimals (it does for every rate deck with up to five decimals); otherwise it is rounded to
 * the nano-unit, which is fine for what only ever feeds an estimate.
 */
export function rateFromSamples(
  samples: readonly RateSample[],
  ourNumber: string,
  direction: Direction,
  minCalls = DEFAULT_LEARN.minCalls,
): LearnedRate | null {
  const usable = samples.filter((s) => s.billedSec > 0);
  if (usable.length === 0) return null;
  const currency = usable[0]!.currency;
  const same = usable.filter((s) => s.currency === currency);
  if (same.length < Math.max(1, minCalls)) return null;
  let sum = 0n;
  let sec = 0;
  let g = 0;
  for (const s of same) {
    sum += s.nanos;
    sec += s.billedSec;
    g = gcd(g, s.billedSec);
  }
  const rateNanos = divRoundHalfAway(sum * 60n, BigInt(sec));
  return {
    ratePerMinute: formatMoney(rateNanos, 0),
    currency,
    calls: same.length,
    ourNumber,
    direction,
    incrementSec: g > 0 ? g : null,
  };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Reads a number's recent exact calls from the ledger and learns from them. */
export function learnRate(db: Db, ourNumber: string, direction: Direction, o: LearnOptions = {}): LearnedRate | null {
  const opts = { ...DEFAULT_LEARN, ...o };
  const samples = recentExactCalls(db, { ourNumber, direction, scan: opts.scanCalls, take: opts.sampleCalls });
  return rateFromSamples(samples, ourNumber, direction, opts.minCalls);
}

/**
 * Learned rates, cached per number+direction. Estimates are booked one call at a time (a
 * burst of hangups, a backlog of a hundred thousand calls), so each number's rate is read
 * once and reused until costs change or `ttlMs` passes.
 */
export class LearnedRates {
  readonly #cache = new Map<string, { at: number; gen: number; rate: LearnedRate | null }>();
  #gen = 0;
  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  get(ourNumber: string, direction: Direction, now: number, o?: LearnOptions): LearnedRate | null {
    const key = `${direction}\u0000${ourNumber}\u0000${o?.minCalls ?? ''}`;
    const hit = this.#cache.get(key);
    if (hit && hit.gen === this.#gen && now - hit.at < this.ttlMs && now >= hit.at) return hit.rate;
    const rate = learnRate(this.db, ourNumber, direction, o);
    this.#cache.set(key, { at: now, gen: this.#gen, rate });
    return rate;
  }

  /** Exact costs changed: learn again on next use. */
  invalidate(): void {
    this.#gen++;
  }
}
