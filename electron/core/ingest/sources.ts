// Adapters from the Telnyx client to what the importer and poller consume. Kept apart so
// ingest can be driven by any page source (the client over HTTP in the product and tests).
//
// A page with rows we cannot read (or rows missing what the ledger needs: a cost, numbers,
// a direction) is treated as a fault, not as data: it is asked for again with backoff, as a
// 503 would be. Telnyx answers the same page the same way when nothing is wrong, so a row
// still unreadable after every retry is handed on as a problem (kept as received, counted,
// shown), never dropped and never booked half-read.
import { isFeatureRecordType, type RecordType } from '../../../shared/domain.ts';
import { pagesInOrder, type MessageRecord, type TelnyxClient, type VoiceRecord, type WebhookDeliveriesPage } from '../telnyx/index.ts';
import type { RecordPage, RecordPageSource, UnreadableRow } from './importer.ts';
import type { DeliveryPageSource } from './poller.ts';
import { fitsLedger, outOfRange } from './money-range.ts';
import type { ReportSettings } from './report-import/phase.ts';
import { compactRaw } from './raw-json.ts';

export interface ReadRetry {
  /** Times a page is asked for in all (>= 1). */
  attempts: number;
  /** Backoff before the second attempt; doubled each time, capped at maxMs. */
  baseMs: number;
  maxMs: number;
}

// 5 attempts over ~4 s: a transient fault on one page in twenty clears with near certainty.
export const DEFAULT_READ_RETRY: ReadRetry = { attempts: 5, baseMs: 250, maxMs: 2000 };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Asks for a page until it reads cleanly or the attempts run out; returns the last answer. */
export async function readWithRetry<P>(
  fetch: () => Promise<P>,
  problemsOf: (p: P) => number,
  retry: ReadRetry,
  signal?: AbortSignal,
): Promise<{ page: P; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const page = await fetch();
    if (problemsOf(page) === 0 || attempt >= retry.attempts || signal?.aborted) return { page, attempts: attempt };
    await sleep(Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1)), signal);
  }
}

/** Rows of a detail-records page that cannot be booked: rejected by the client, or parsed with a gap. */
export function unreadableRows(page: { rows: unknown[]; rejected: unknown[] }, messaging: boolean): number {
  let n = page.rejected.length;
  for (const row of page.rows) if ((messaging ? messageRecordGap(row as MessageRecord) : voiceRecordGap(row as VoiceRecord)) !== null) n++;
  return n;
}

/** Why a voice record that parsed still cannot be booked, or null when it can. */
export function voiceRecordGap(r: VoiceRecord): string | null {
  if (!fitsLedger(r.costNanos)) return outOfRange('cost', r.costNanos!);
  // A billed feature (recording, AMD, ...) is a part of a call named by its leg or session
  // id: it needs no numbers or direction of its own (the spec's AmdDetailRecord has none).
  if (isFeatureRecordType(r.recordType)) {
    if (r.legIds.length === 0 && r.sessionIds.length === 0) return `no call id (call_leg_id or call_session_id) on a ${r.recordType} record`;
    if (!r.notBillable && (r.costNanos === null || r.currency === null)) return 'no cost or currency on a billable record';
    return null;
  }
  if (!r.direction || !r.cli || !r.cld) return 'no direction or numbers';
  if (r.legIds.length === 0 && r.sessionIds.length === 0 && !r.controlId) return 'no call id (leg, session or call control)';
  if (!r.notBillable && (r.costNanos === null || r.currency === null)) return 'no cost or currency on a billable record';
  return null;
}

/** Why a message record that parsed still cannot be booked, or null when it can. */
export function messageRecordGap(r: MessageRecord): string | null {
  if (!fitsLedger(r.costNanos)) return outOfRange('cost', r.costNanos!);
  if (!fitsLedger(r.carrierFeeNanos)) return outOfRange('carrier_fee', r.carrierFeeNanos!);
  if (!r.direction || !r.cli || !r.cld) return 'no direction or numbers';
  if (r.costNanos === null || r.currency === null) return 'no cost or currency';
  return null;
}

/**
 * Pages of /detail_records from the client; with `reports` (the product's imports), ranges at
 * least `reports.minRangeMs` long are first asked as batch reports (report-import/).
 */
export function clientRecordSource(
  client: TelnyxClient,
  concurrency = 6,
  retry: ReadRetry = DEFAULT_READ_RETRY,
  reports?: ReportSettings,
  /** The last step of a page once read, before it waits its turn (the fetch worker seals it). */
  finish: (p: RecordPage) => RecordPage = (p) => p,
): RecordPageSource {
  return {
    ...(reports && client.batchReports ? { reports: { api: client.batchReports, settings: reports } } : {}),
    pages({ recordType, from, to, skipPages, signal }) {
      const messaging = recordType === 'messaging';
      const fetchPage = async (page: number, pageSignal: AbortSignal): Promise<RecordPage & { meta: { totalPages: number } }> => {
        const { page: p, attempts } = await readWithRetry(
          async () => split(await client.detailRecordsPage({ recordType: recordType as RecordType, from, to, page, signal: pageSignal }), messaging),
          (x) => x.problems.length,
          retry,
          pageSignal,
        );
        return Object.assign(finish({ ...p, attempts }), { meta: { totalPages: p.totalPages } });
      };
      return pagesInOrder(fetchPage, { concurrency, skipPages, signal });
    },
  };
}

function split(
  p: {
    page: number;
    rows: unknown[];
    rejected: Array<{ index: number; reason: string; raw: unknown }>;
    meta: { totalPages: number; totalResults?: number | null };
  },
  messaging: boolean,
): Omit<RecordPage, 'attempts'> & { problems: UnreadableRow[] } {
  const problems: UnreadableRow[] = p.rejected.map((r) => ({ index: r.index, reason: r.reason, raw: r.raw }));
  const voice: VoiceRecord[] = [];
  const messages: MessageRecord[] = [];
  // Rows that parsed carry no index of their own: number them after the rejected ones, so
  // a problem's key within the page stays unique.
  let extra = p.rows.length + p.rejected.length;
  for (const row of p.rows) {
    if (messaging) {
      const r = row as MessageRecord;
      const gap = messageRecordGap(r);
      if (gap) problems.push({ index: extra++, reason: `message ${r.id}: ${gap}`, raw: r.raw });
      else messages.push(compactRaw(r));
    } else {
      const r = row as VoiceRecord;
      const gap = voiceRecordGap(r);
      if (gap) problems.push({ index: extra++, reason: `record ${r.id}: ${gap}`, raw: r.raw });
      else voice.push(compactRaw(r));
    }
  }
  return {
    page: p.page,
    totalPages: p.meta.totalPages,
    totalResults: p.meta.totalResults ?? 0,
    voice,
    messages,
    problems,
    rejected: problems.length,
  };
}

export function clientDeliverySource(client: TelnyxClient, retry: ReadRetry = DEFAULT_READ_RETRY): DeliveryPageSource {
  return {
    pages({ eventTypes, startedGte, startedLte, signal }) {
      const fetchPage = async (page: number, pageSignal: AbortSignal) => {
        const { page: p } = await readWithRetry<WebhookDeliveriesPage>(
          () => client.webhookDeliveriesPage({ eventTypes, startedGte, startedLte, page, signal: pageSignal }),
          (x) => x.rejected.length,
          retry,
          pageSignal,
        );
        return p;
      };
      return mapPages(pagesInOrder(fetchPage, { concurrency: 2, signal }), (p) => ({
        rejected: p.rejected.length,
        problems: p.rejected.map((r) => ({ index: r.index, reason: r.reason, raw: r.raw })),
        rows: p.rows
          .filter((d) => d.occurredAt !== null)
          .map((d) => ({
            deliveryId: d.deliveryId,
            startedAt: d.startedAt,
            eventId: d.eventId,
            eventType: d.eventType,
            occurredAt: d.occurredAt!,
            payload: d.payload,
          })),
      }));
    },
  };
}

async function* mapPages<A, B>(source: AsyncIterable<A>, fn: (a: A) => B): AsyncGenerator<B> {
  for await (const a of source) yield fn(a);
}
