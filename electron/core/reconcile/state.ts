// The reconciler's state, passed explicitly to the functions that make it up (pause.ts,
// call-end.ts, passes.ts, loop.ts): its options, the context every part shares, and the
// little this process holds between passes (the pass chain, the loop, its wake-up).
import type { Ctx } from './context.ts';
import type { ReconcileSettings, Resolved } from './settings.ts';
import { resolveSettings } from './settings.ts';
import type { Ledger } from '../ledger/index.ts';
import type { TelnyxClient } from '../telnyx/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';

export interface ReconcilerOptions {
  ledger: Ledger;
  /** The current client (null: no key). Asked on every pass, so a new key applies at once. */
  client: () => TelnyxClient | null;
  clock: Clock;
  settings: () => ReconcileSettings;
  logger?: Logger;
  /** Jobs or costs changed (hosts push jobs.changed / ledger.changed). */
  onChange?: () => void;
  /** Claim owner id; default "<host>:<pid>:<random>". */
  owner?: string;
}

export interface ReconcilerState {
  readonly o: ReconcilerOptions;
  readonly ctx: Ctx;
  /** Settings read again now (each pass starts with this). */
  readonly freshSettings: () => Resolved;
  /** The passes of this process, one after the other. */
  chain: Promise<unknown>;
  /** The running loop and what stops it, when started. */
  loop: { done: Promise<void>; stopper: AbortController } | null;
  /** Ends the loop's current sleep early. */
  wakeUp: (() => void) | null;
}

/**
 * Settings are read fresh for every pass, and at most once a second otherwise (the host's
 * settings() may read the ledger; an estimate per hangup should not parse JSON each time).
 */
export function cachedSettings(read: () => ReconcileSettings, clock: Clock): { settings: () => Resolved; fresh: () => Resolved } {
  let cached: { at: number; value: Resolved } | null = null;
  const settings = () => {
    const now = clock.now();
    if (!cached || now - cached.at >= 1000 || now < cached.at) cached = { at: now, value: resolveSettings(read()) };
    return cached.value;
  };
  return {
    settings,
    fresh: () => {
      cached = null;
      return settings();
    },
  };
}

/** Ends the loop's sleep now (a new job, a resume, stop()). */
export function wake(r: ReconcilerState): void {
  const w = r.wakeUp;
  r.wakeUp = null;
  w?.();
}

/** Runs `fn` after every pass queued before it (whether that one failed or not). */
export function serialized<T>(r: ReconcilerState, fn: () => Promise<T>): Promise<T> {
  const run = r.chain.then(fn, fn);
  r.chain = run.catch(() => {});
  return run;
}
