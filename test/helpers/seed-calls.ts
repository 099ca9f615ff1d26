// Ended calls straight into a ledger, as the event poller would leave them after call.hangup
// (cost still open). For benchmarks, tests and demos that start from a known set of calls
// without replaying their webhook events; the reconciler then estimates and fetches them.
import type { Direction } from '../../shared/domain.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';

/** The facts an ended call has (the simulator's CallTruth has these fields). */
export interface EndedCall {
  callLegId: string;
  callSessionId: string;
  callControlId: string | null;
  from: string;
  to: string;
  direction: Direction;
  startMs: number;
  answerMs: number | null;
  endMs: number;
  callSec: number;
}

/** Inserts calls (one transaction per 5 000); a call already known by its leg id is skipped. */
export function insertEndedCalls(ledger: Ledger, calls: Iterable<EndedCall>, now: number): number[] {
  const ids: number[] = [];
  let batch: EndedCall[] = [];
  const flush = () => {
    ledger.tx(() => {
      for (const c of batch) {
        const known = ledger.calls.byLeg(c.callLegId);
        if (known) {
          ids.push(known.id);
          continue;
        }
        const side = c.direction === 'outbound' ? { ourNumber: c.from, otherNumber: c.to } : { ourNumber: c.to, otherNumber: c.from };
        ids.push(
          ledger.calls.insert(
            {
              callLegId: c.callLegId,
              callSessionId: c.callSessionId,
              callControlId: c.callControlId,
              ...side,
              direction: c.direction,
              startedAt: c.startMs,
              answeredAt: c.answerMs,
              endedAt: c.endMs,
              callSec: c.callSec,
              hangupCause: c.answerMs === null ? 'no_answer' : 'normal_clearing',
            },
            now,
          ),
        );
      }
    });
    batch = [];
  };
  for (const c of calls) {
    batch.push(c);
    if (batch.length >= 5000) flush();
  }
  if (batch.length > 0) flush();
  return ids;
}

/** A one-minute outbound call that was answered at `at` (the call most hand-made ledgers need). */
export function oneMinuteCall(leg: string, at: number, from = '+15550007777', to = '+15550001234'): EndedCall {
  return {
    callLegId: leg,
    callSessionId: leg,
    callControlId: null,
    from,
    to,
    direction: 'outbound',
    startMs: at,
    answerMs: at,
    endMs: at + 60_000,
    callSec: 60,
  };
}

/**
 * Books calls at an exact USD cost set by hand (cost source 'manual'), in one ledger transaction
 * as every write is: no fetch is needed for them. `billedSec` also sets their billed seconds.
 */
export function bookExactUsd(ledger: Ledger, ids: readonly number[], nanos: bigint, o: { billedSec?: number } = {}): void {
  const billed = o.billedSec === undefined ? '' : ', billed_sec = @billed';
  const set = ledger.db.prepare(
    `UPDATE calls SET exact_nanos = @nanos, currency = 'USD'${billed}, cost_status = 'exact', cost_source = 'manual' WHERE id = @id`,
  );
  ledger.tx(() => {
    for (const id of ids) set.run({ nanos, id, ...(o.billedSec === undefined ? {} : { billed: o.billedSec }) });
  });
}
