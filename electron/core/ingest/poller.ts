// Polls Telnyx's stored webhook deliveries. A desktop app has no public URL for webhooks, so
// it reads what Telnyx kept. Deliveries arrive late and out of order, so each poll re-reads
// an overlap before its cursor, and events are deduplicated by event id in the ledger.
import { POLLED_EVENT_TYPES } from '../../../shared/domain.ts';
import type { Ledger } from '../ledger/index.ts';
import { mergeCallKeysInSlices } from '../ledger/merge-in-slices.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { applyPendingEvents, type ApplyEventsHooks, type ApplyEventsSummary } from './apply-events.ts';

export interface DeliveryLike {
  deliveryId: string | null;
  startedAt: number | null;
  eventId: string;
  eventType: string;
  occurredAt: number;
  payload: Record<string, unknown>;
}

export interface DeliveryPageSource {
  pages(options: { eventTypes: readonly string[]; startedGte: number; startedLte: number; signal?: AbortSignal }): AsyncIterable<{
    rows: DeliveryLike[];
    rejected: number;
  }>;
}

export const CURSOR = 'webhook_deliveries.started_at';
/** How far before the cursor each poll re-reads (late deliveries land in the past). */
export const DEFAULT_OVERLAP_MS = 15 * 60_000;
/** The first poll of a new ledger looks back this far. */
export const DEFAULT_FIRST_LOOKBACK_MS = 24 * 3600_000;

export interface PollResult {
  deliveries: number;
  newEvents: number;
  rejected: number;
  applied: ApplyEventsSummary;
  cursor: number;
}

export async function pollOnce(o: {
  ledger: Ledger;
  source: DeliveryPageSource;
  clock: Clock;
  logger?: Logger;
  hooks?: ApplyEventsHooks;
  overlapMs?: number;
  firstLookbackMs?: number;
  signal?: AbortSignal;
}): Promise<PollResult> {
  const { ledger, clock } = o;
  const now = clock.now();
  const stored = ledger.settings.cursor(CURSOR);
  const cursor = stored !== undefined ? Number(stored) : now - (o.firstLookbackMs ?? DEFAULT_FIRST_LOOKBACK_MS);
  const from = cursor - (o.overlapMs ?? DEFAULT_OVERLAP_MS);
  const runId = ledger.runs.start('poll', now);
  let deliveries = 0;
  let newEvents = 0;
  let rejected = 0;
  let maxStarted = cursor;
  try {
    for await (const page of o.source.pages({ eventTypes: POLLED_EVENT_TYPES, startedGte: from, startedLte: now, signal: o.signal })) {
      rejected += page.rejected;
      ledger.tx(() => {
        for (const d of page.rows) {
          deliveries++;
          if (ledger.events.insert({ ...d }, clock.now())) newEvents++;
          if (d.startedAt !== null && d.startedAt > maxStarted) maxStarted = d.startedAt;
        }
      });
    }
    // The cursor only moves after every page is stored: a crash mid-poll re-reads, never skips.
    // Nor does it move past deliveries that could not be read (after the source's retries):
    // the next poll reads them again, and this one says how many it could not read.
    const next = rejected > 0 ? cursor : Math.min(maxStarted, now);
    if (rejected === 0) ledger.settings.setCursor(CURSOR, String(next), clock.now());
    const applied = applyPendingEvents(ledger, clock.now(), o.hooks);
    // Calls that only ever arrive by webhook fill the calls' recent keys too (ledger/call-keys.ts):
    // merged here in slices, as this runs on the app's main thread.
    await mergeCallKeysInSlices(ledger, o.signal ? { signal: o.signal } : {});
    const result: PollResult = { deliveries, newEvents, rejected, applied, cursor: next };
    const problem = rejected > 0 ? `${rejected} deliveries could not be read; the next poll reads them again` : null;
    ledger.runs.finish(runId, problem ? 'error' : 'ok', result, problem, clock.now());
    o.logger?.info({ deliveries, newEvents, rejected, ...applied }, 'poll finished');
    return result;
  } catch (err) {
    ledger.runs.finish(runId, 'error', { deliveries, newEvents }, err instanceof Error ? err.message : String(err), clock.now());
    throw err;
  }
}
