// The fetcher's pause, kept in the ledger's settings so the app and a CLI on the same file
// see the same state: set when Telnyx refuses the key or the request (a person must act),
// cleared by resume() or by the next lookup that works.
import { wake, type ReconcilerState } from './state.ts';
import type { Ledger } from '../ledger/index.ts';

const PAUSE_KEY = 'reconcile.pause';

export function readPause(ledger: Ledger): { reason: string; at: number } | null {
  return ledger.settings.get<{ reason: string; at: number } | null>(PAUSE_KEY) ?? null;
}

export function pause(r: ReconcilerState, reason: string): void {
  const { ledger, clock, log } = r.ctx;
  const current = readPause(ledger);
  if (current?.reason === reason) return;
  ledger.settings.set(PAUSE_KEY, { reason, at: clock.now() }, clock.now());
  log.warn({ reason }, 'fetcher paused');
  r.o.onChange?.();
}

export function resume(r: ReconcilerState): void {
  const { ledger, clock, log } = r.ctx;
  if (!readPause(ledger)) return;
  ledger.settings.set(PAUSE_KEY, null, clock.now());
  log.info('fetcher resumed');
  wake(r);
  r.o.onChange?.();
}
