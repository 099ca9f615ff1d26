// Runs the planned window queries against Telnyx with bounded concurrency: at most
// `concurrency` windows in flight, each walking its pages in order (the client's pool and
// rate governor bound the sockets and honour x-ratelimit-* / Retry-After). Each page is
// handed to `onPage` as it arrives, so work is committed page by page and a crash loses at
// most the page in hand. A failure that needs a person (auth) or asks us to slow down (429
// after the client's own retries) stops the remaining queries of the pass.
import type { RecordType } from '../../../shared/domain.ts';
import type { DetailRecordsPage, MessageRecord, TelnyxClient, VoiceRecord } from '../telnyx/index.ts';
import { pagesInOrder } from '../telnyx/index.ts';
import { DEFAULT_READ_RETRY, readWithRetry, unreadableRows, type ReadRetry } from '../ingest/sources.ts';
import { classify, type FailureClass } from './errors.ts';
import type { QueryWindow } from './plan.ts';

export interface ScanTask {
  window: QueryWindow;
  recordType: RecordType;
}

export interface ScanOutcome {
  task: ScanTask;
  ok: boolean;
  pages: number;
  error: unknown;
  /** How the error is handled (null when ok). */
  failure: FailureClass | null;
}

export interface ScanRun {
  outcomes: ScanOutcome[];
  /** Successful responses plus failed queries: the requests this pass cost, give or take the client's own retries. */
  requests: number;
  /** Set when a failure stopped the pass early. */
  stoppedBy: { failure: 'pause' | 'rate'; error: unknown } | null;
}

export async function runScans(
  client: TelnyxClient,
  tasks: readonly ScanTask[],
  o: {
    concurrency: number;
    pageConcurrency: number;
    signal?: AbortSignal;
    /** A page with unreadable rows is asked for again this way; still unreadable, the query fails (transient). */
    readRetry?: ReadRetry;
    onPage(task: ScanTask, page: DetailRecordsPage<VoiceRecord | MessageRecord>): void;
    /** A query finished (all its pages delivered) or failed. */
    onTaskDone?(outcome: ScanOutcome): void;
  },
): Promise<ScanRun> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(o.signal?.reason);
  if (o.signal?.aborted) controller.abort(o.signal.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const outcomes: ScanOutcome[] = [];
  let stoppedBy: ScanRun['stoppedBy'] = null;
  let requests = 0;
  let next = 0;
  const done = (out: ScanOutcome) => {
    outcomes.push(out);
    o.onTaskDone?.(out);
  };

  const worker = async () => {
    for (;;) {
      const task = tasks[next++];
      if (!task) return;
      if (controller.signal.aborted) {
        done({ task, ok: false, pages: 0, error: stoppedBy?.error ?? new Error('pass stopped'), failure: stoppedBy?.failure ?? 'cancelled' });
        continue;
      }
      let pages = 0;
      let outcome: ScanOutcome;
      try {
        const messaging = task.recordType === 'messaging';
        const readPage = async (page: number, signal: AbortSignal) => {
          const read = await readWithRetry(
            () => client.detailRecordsPage({ recordType: task.recordType, from: task.window.from, to: task.window.to, page, signal }),
            (p) => unreadableRows(p, messaging),
            o.readRetry ?? DEFAULT_READ_RETRY,
            signal,
          );
          const bad = unreadableRows(read.page, messaging);
          // Rows we cannot read may be this window's calls: "not found" would be a lie.
          if (bad > 0) throw new Error(`${bad} rows of ${task.recordType} page ${page} could not be read after ${read.attempts} attempts`);
          return read.page;
        };
        for await (const page of pagesInOrder(readPage, { concurrency: o.pageConcurrency, signal: controller.signal })) {
          pages++;
          requests++;
          o.onPage(task, page as DetailRecordsPage<VoiceRecord | MessageRecord>);
        }
        outcome = { task, ok: true, pages, error: null, failure: null };
      } catch (err) {
        requests++;
        let failure = classify(err);
        if (failure === 'cancelled' && stoppedBy) failure = stoppedBy.failure;
        if ((failure === 'pause' || failure === 'rate') && !stoppedBy) {
          stoppedBy = { failure, error: err };
          controller.abort(err);
        }
        outcome = { task, ok: false, pages, error: failure === stoppedBy?.failure && stoppedBy ? stoppedBy.error : err, failure };
      }
      done(outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, Math.max(1, tasks.length)) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  return { outcomes, requests, stoppedBy };
}
