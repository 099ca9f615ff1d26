// The reconciler's loop: a pass over due jobs, then a sleep on the injected clock until the
// next due time, an early wake (a new job, a resume) or stop(). Nothing but the sleeping
// promise holds state between passes.
import { attemptsAllowed } from '../jobs/schedule.ts';
import { errorText } from './errors.ts';
import { processDue } from './passes.ts';
import { readPause } from './pause.ts';
import { wake, type ReconcilerState } from './state.ts';

export function startLoop(r: ReconcilerState): void {
  if (r.loop) return;
  const stopper = new AbortController();
  r.loop = { stopper, done: runLoop(r, stopper.signal) };
}

async function runLoop(r: ReconcilerState, signal: AbortSignal): Promise<void> {
  const { ctx, o } = r;
  while (!signal.aborted) {
    try {
      if (o.client() && !readPause(ctx.ledger)) await processDue(r, { signal });
    } catch (err) {
      ctx.log.error({ err: errorText(err) }, 'reconcile loop: pass failed');
    }
    if (signal.aborted) break;
    await sleepUntilDue(r, signal);
  }
}

/** Sleeps until the next job is due (at most idleMs, at least minPassGapMs), a wake or an abort. */
async function sleepUntilDue(r: ReconcilerState, signal: AbortSignal): Promise<void> {
  const { ctx, o } = r;
  const s = ctx.settings();
  const now = ctx.clock.now();
  const due = readPause(ctx.ledger) || !o.client() ? null : ctx.ledger.jobs.nextDueAt();
  const delay = due === null ? s.idleMs : Math.min(s.idleMs, Math.max(s.minPassGapMs, due - now));
  let onAbort: (() => void) | null = null;
  await new Promise<void>((resolve) => {
    r.wakeUp = resolve;
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    ctx.clock.sleep(delay, signal).then(resolve, resolve);
  });
  if (onAbort) signal.removeEventListener('abort', onAbort);
  r.wakeUp = null;
}

/** Stops the loop, waits for the pass under way, and gives back whatever this process holds. */
export async function stopLoop(r: ReconcilerState): Promise<void> {
  const loop = r.loop;
  if (!loop) return;
  loop.stopper.abort(new Error('reconciler stopped'));
  wake(r);
  await loop.done;
  await r.chain;
  r.loop = null;
  r.ctx.ledger.jobs.release(r.ctx.owner, attemptsAllowed(r.ctx.settings()), r.ctx.clock.now());
}
