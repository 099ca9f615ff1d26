// A person asked for one call's exact cost now. This is the one place a single-call query is
// used (client.findCallRecords: every voice record type over a narrow window around the call,
// every row verified on its leg/session ids); the fetcher batches instead.
import type { RefetchOutcome } from '../../../shared/contract.ts';
import type { CostSource, MoneyValue } from '../../../shared/domain.ts';
import { formatMoney } from '../../../shared/money.ts';
import { callCompletion, callFacts } from '../jobs/completion.ts';
import { firstRunAt, settleWindow } from '../jobs/schedule.ts';
import { bookedCost } from '../ledger/booked.ts';
import type { Call } from '../ledger/calls.ts';
import type { TelnyxClient } from '../telnyx/index.ts';
import { AppFailure, noKeyFailure } from '../api/types.ts';
import { applyVoiceRows } from './apply-page.ts';
import type { Ctx } from './context.ts';
import { errorText, toAppError } from './errors.ts';

/** Pages read per record type before the answer is called incomplete. */
export const REFETCH_MAX_PAGES = 40;

export function bookedMoney(c: Call): MoneyValue | null {
  const { nanos, currency } = bookedCost(c);
  return nanos === null || currency === null ? null : { amount: formatMoney(nanos), currency };
}

/**
 * A lookup Telnyx (or the way there) refused: the one failure a refetch reports besides "no
 * such call" and "no key", all three thrown as AppFailure. `cause` is the client's error, so
 * the caller can tell a refused key (pause the fetcher) from a passing fault.
 */
export class LookupFailed extends AppFailure {
  constructor(override readonly cause: unknown) {
    const e = toAppError(cause);
    super(e.code, e.message, e.action);
  }
}

/**
 * Looks for one call's detail records now and applies what it finds. Throws AppFailure when
 * it cannot answer (no such call, no key, LookupFailed); never reaches back into its caller.
 */
export async function refetchCall(ctx: Ctx, client: TelnyxClient | null, callId: number): Promise<RefetchOutcome> {
  const { ledger, log } = ctx;
  const s = ctx.settings();
  const before = ledger.calls.get(callId);
  if (!before) throw new AppFailure('not_found', `call ${callId} does not exist`);
  if (!client) throw noKeyFailure();
  const now = ctx.clock.now();
  const f = callFacts(before);
  const from = Math.min(f.start ?? f.ref, f.ref) - (s.marginMs ?? 120_000);
  const to = Math.max(from + 1000, Math.min(now, f.ref + settleWindow(s, f.answered)) + 1000);
  const runId = ledger.runs.start('refetch', now);
  log.info({ callId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), manual: true }, 'fetch starting');
  let found;
  try {
    found = await client.findCallRecords({
      legIds: before.callLegId ? [before.callLegId] : [],
      sessionIds: before.callSessionId ? [before.callSessionId] : [],
      around: { from, to },
      recordTypes: [...new Set([...s.voiceRecordTypes, ...ctx.ledger.records.featureTypesSeen()])],
      maxPages: REFETCH_MAX_PAGES,
    });
  } catch (err) {
    ledger.runs.finish(runId, 'error', { callId }, errorText(err), ctx.clock.now());
    log.warn({ callId, err: errorText(err) }, 'refetch failed');
    throw new LookupFailed(err);
  }
  const t = ctx.clock.now();
  applyVoiceRows(
    ctx,
    found.records.map((r) => r.record),
    t,
    null,
    { restrictToCallIds: new Set([callId]), force: true, skipOwn: false, window: { from, to } },
  );
  const after = ledger.calls.get(callId)!;
  const done = callCompletion(after);
  let outcome: RefetchOutcome;
  if (done === 'not_billable') {
    outcome = { kind: 'not_billable', message: 'Telnyx marks this call as not billable: it costs nothing.' };
  } else if (done === 'completed') {
    const changed =
      before.costStatus !== after.costStatus ||
      before.costSource !== after.costSource ||
      before.exactNanos !== after.exactNanos ||
      before.currency !== after.currency;
    const now2 = bookedMoney(after)!;
    outcome = changed ? { kind: 'updated', old: bookedMoney(before), new: now2, source: after.costSource as CostSource } : { kind: 'unchanged', cost: now2 };
  } else {
    let job = ledger.jobs.forCall(callId);
    if (!job && after.costStatus === 'estimated') {
      ledger.jobs.ensureForCall(callId, Math.max(t, firstRunAt(s, f.ref)), t);
      job = ledger.jobs.forCall(callId);
    }
    const partial = found.records.length > 0;
    const busy =
      (found.truncated ? ' The window around the call held too many records to read in full; the scheduled fetch will look again.' : '') +
      // An unreadable row may be this call's record: never "no record" on its word.
      (found.rejected.length > 0
        ? ` ${found.rejected.length} records in the window could not be read (one may be this call's); the scheduled fetch will read them again.`
        : '');
    if (job?.status === 'no_record') {
      outcome = {
        kind: 'not_available_yet',
        nextRetryAt: null,
        message: `Telnyx has no detail record for this call, and the settle window has closed: the estimate stands.${busy}`,
      };
    } else {
      outcome = {
        kind: 'not_available_yet',
        nextRetryAt: job && (job.status === 'pending' || job.status === 'failed' || job.status === 'running') ? job.nextRunAt : null,
        message: partial
          ? `Only part of this call is billed so far (its SIP trunking record); the call-control record is not in yet.${busy}`
          : `Telnyx has no detail record for this call yet. Records usually appear minutes after hangup, some only hours later.${busy}`,
      };
    }
  }
  ledger.runs.finish(runId, 'ok', { callId, outcome: outcome.kind, scanned: found.scanned, truncated: found.truncated }, null, ctx.clock.now());
  return outcome;
}
