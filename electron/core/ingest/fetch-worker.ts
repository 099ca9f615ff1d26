// The import's reading on a thread of its own: the pages' fetching and parsing, and a batch
// report's CSV download and parse. Reading allocates many times what it keeps (the response
// text, JSON.parse's tree, the normalized records, each raw row's text), and V8 sizes a
// thread's young generation and lets its old generation grow for throughput: on the main
// thread that came to ~230 MB of heap at 100k records. Electron's main process takes no V8
// flags at run time, but a worker's resourceLimits apply when its isolate is created, so the
// reading runs in a worker with a small heap, and the main thread only passes each finished
// page or batch on: its records sealed in one buffer (page-wire.ts) that moves from this
// worker to the main thread and on to the write worker without being copied or opened.
//
// The worker runs clientRecordSource and readReportHere's download + csvBatches itself (the
// same requests, retries, unreadable rows and order); the main thread pulls one page or batch
// at a time, as from the in-thread source, and still asks for and polls the reports. Where
// the host sends requests its own way (the desktop app: Electron's net.fetch, which only the
// main thread can call) the worker's API requests are relayed to it; a report's CSV is
// downloaded with undici on either thread (telnyx/batch-reports.ts downloadReport). The
// worker's client waits (retries, rate limits) on the wall clock: a test's manual clock cannot
// cross threads; the records' timestamps come from the importer's clock, on this thread.
import { Worker } from 'node:worker_threads';
import { TelnyxError, type TelnyxErrorKind } from '../telnyx/index.ts';
import type { TelnyxTransport, TransportFactory, TransportRequest, TransportResponse } from '../telnyx/transport.ts';
import type { Logger } from '../util/logger.ts';
import { openPage, type Wire } from './page-wire.ts';
import type { CsvBatch, ReadCsvOptions, ReportRead, ReportReader } from './report-import/csv-records.ts';
import { ReaderStopped, readReportHere } from './report-import/csv-records.ts';
import type { RecordPage, RecordPageSource } from './importer.ts';
import type { ReadRetry } from './sources.ts';
import type { HeapInfo } from './write-worker.ts';

export interface FetchWorkerInit {
  baseUrl: string;
  /** Sent to the worker in its workerData, never logged. */
  apiKey: string;
  /** Pages fetched or buffered ahead at once (clientRecordSource's concurrency). */
  concurrency?: number;
  /** Sockets of the worker's client (default: the client's). */
  connections?: number;
  retry?: ReadRetry;
  /** Requests go through the starting thread's transport (fetchWorkerHost's `transport`). */
  relay?: boolean;
  /** Forward the client's debug lines too (one a request). */
  debug?: boolean;
  /** Caps the worker's young and old generations (MB). */
  youngGenerationMb?: number;
  oldGenerationMb?: number;
  /** The worker thread's nice value (1-19, util/thread-priority.ts; Linux only): absent, the app's own. */
  nice?: number;
}

/**
 * What the app's imports give their fetch worker, chosen on `npm run bench -- import-engine
 * --bundled` figures (README, "Measured"; 2026-12-06, one run each unless said).
 * - Young generation 4 MB (8 before): its pages wait sealed (outside the heap) and a report's
 *   CSV rows are parsed a part at a time (report-import/phase.ts REPORT_PART_ROWS), so little
 *   survives a collection. 100k: the report import's heap 49 -> 34 MB, RSS 275 -> 261 MB,
 *   110.9 -> 107.0 µs a record; the page import's unchanged (31 MB, 104.2 / 107.1 µs).
 * - Old generation 32 MB (64 before): any limit makes V8 size that generation from it instead
 *   of from the machine's memory (unlimited: ~60 MB). At 1M the report import's heap 45-50 ->
 *   30 MB, RSS 285-289 -> 272 MB, 142.7-151.4 -> 148.1 µs; at 100k, two runs each in
 *   alternation, 38-44 -> 30 MB at 100.7-102.1 against 101.2-102.1 µs.
 * - Nice 10 (Linux): when both want a core, the write worker (the import's serial stage) and
 *   the app's UI get it first; the fetch worker, usually a chunk ahead, waits. 100k page import:
 *   the write worker's wait for a core 16.1-17.5 -> 10.7-12.3 % of the wall; 11 alternating
 *   pairs, 8 faster, median 1.06x (a machine drifting by 40 %, so no more is claimed).
 */
export const APP_FETCHER_LIMITS = { youngGenerationMb: 4, oldGenerationMb: 32, nice: 10 } as const satisfies Pick<
  FetchWorkerInit,
  'youngGenerationMb' | 'oldGenerationMb' | 'nice'
>;

interface WalkOptions {
  recordType: string;
  from: number;
  to: number;
  skipPages: number[];
}

/** What the worker is sent. */
export type FetchRequest =
  | { id: number; walk: WalkOptions }
  | { id: number; report: { url: string; read: Omit<ReadCsvOptions, 'signal' | 'onBytes'> } }
  | { id: number; pull: true }
  | { id: number; abort: true }
  | { id: number; end: true }
  | { relayed: RelayAnswer }
  | { close: true };

/** What the worker answers. */
export type FetchReply =
  | { ready: true }
  | { id: number; item: Wire<RecordPage> | Wire<CsvBatch> }
  | { id: number; opened: { totalBytes: number | null } }
  | { id: number; bytes: number }
  | { id: number; done: true }
  | { id: number; error: SerializedError }
  | { log: { level: 'debug' | 'info' | 'warn' | 'error'; obj: Record<string, unknown>; msg: string } }
  | { relay: RelayAsk };

// ---- errors across threads (structured clone keeps neither the class nor its fields) ----

export type SerializedError = { telnyx: ConstructorParameters<typeof TelnyxError>[0] } | { name: string; message: string; code: string | null };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof TelnyxError) {
    const { kind, status, apiErrors, method, path, attempts, retryAfterMs, causeCode, reason, timeoutMs } = err;
    return { telnyx: { kind, status, apiErrors, method, path, attempts, retryAfterMs, causeCode, reason, timeoutMs } };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code ?? (e.cause as { code?: unknown } | undefined)?.code;
  return { name: e.name, message: e.message, code: typeof code === 'string' ? code : null };
}

export function deserializeError(s: SerializedError): Error {
  if ('telnyx' in s) return new TelnyxError({ ...s.telnyx, kind: s.telnyx.kind as TelnyxErrorKind });
  const err = new Error(s.message) as Error & { code?: string };
  err.name = s.name;
  if (s.code) err.code = s.code;
  return err;
}

// ---- relayed requests: the worker's client, the host's transport ----

interface RelayAsk {
  id: number;
  /** Cancels the request `id` (its signal aborted in the worker). */
  cancel?: true;
  origin?: string;
  options?: Parameters<TransportFactory>[1];
  request?: Omit<TransportRequest, 'signal'>;
}

type RelayAnswer = { id: number; statusCode: number; headers: TransportResponse['headers']; text: string } | { id: number; error: SerializedError };

/** The worker's side: a transport whose requests the starting thread sends (fetchWorkerHost). */
export function relayTransport(post: (m: FetchReply) => void): { factory: TransportFactory; answer(a: RelayAnswer): void } {
  const waiting = new Map<number, { resolve(a: RelayAnswer): void }>();
  let next = 0;
  const factory: TransportFactory = (origin, options) => {
    const transport: TelnyxTransport = {
      async request(r) {
        const id = next++;
        const { signal, ...request } = r;
        const onAbort = () => post({ relay: { id, cancel: true } });
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const answer = await new Promise<RelayAnswer>((resolve) => {
            waiting.set(id, { resolve });
            post({ relay: { id, origin, options, request } });
          });
          if ('error' in answer) throw deserializeError(answer.error);
          return { statusCode: answer.statusCode, headers: answer.headers, body: { text: async () => answer.text } };
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      },
      async close() {},
      async destroy() {},
    };
    return transport;
  };
  return {
    factory,
    answer(a) {
      const w = waiting.get(a.id);
      waiting.delete(a.id);
      w?.resolve(a);
    },
  };
}

/** The starting thread's side of the relay: sends each request with the host's transport, body read whole. */
function relayHost(transportFactory: TransportFactory, answer: (a: RelayAnswer) => void) {
  const transports = new Map<string, TelnyxTransport>();
  const open = new Map<number, AbortController>();
  return {
    async ask(a: RelayAsk): Promise<void> {
      if (a.cancel) return open.get(a.id)?.abort();
      const origin = a.origin!;
      let t = transports.get(origin);
      if (!t) transports.set(origin, (t = transportFactory(origin, a.options!)));
      const ctl = new AbortController();
      open.set(a.id, ctl);
      try {
        const res = await t.request({ ...a.request!, signal: ctl.signal });
        const text = await res.body.text();
        answer({ id: a.id, statusCode: res.statusCode, headers: res.headers, text });
      } catch (err) {
        answer({ id: a.id, error: serializeError(err) });
      } finally {
        open.delete(a.id);
      }
    },
    async close(): Promise<void> {
      for (const c of open.values()) c.abort();
      await Promise.allSettled([...transports.values()].map((t) => t.close()));
    },
  };
}

// ---- the starting thread's side ----

/**
 * The worker's entry, beside the module that starts it and with its extension (as
 * write-worker.ts writeWorkerEntry): fetch-worker-main.ts under tsx, fetch-worker-main.cjs
 * beside the desktop bundle's main.cjs, fetch-worker-main.js beside the bench's bundle.
 */
export function fetchWorkerEntry(startingModule: string = import.meta.url): URL {
  const ext = /\.(ts|cjs|mjs|js)$/.exec(new URL(startingModule).pathname)?.[1] ?? 'js';
  return new URL(`./fetch-worker-main.${ext}`, startingModule);
}

export interface FetchWorker {
  /** Resolves once the worker has started; rejects with the reason it could not. */
  ready: Promise<void>;
  /** One record type's pages, in order, read by the worker (as clientRecordSource's pages()). */
  walk(o: Parameters<RecordPageSource['pages']>[0]): AsyncGenerator<RecordPage>;
  /** A batch report's CSV downloaded and read into batches by the worker (as readReportHere). */
  report(url: string, o: ReadCsvOptions): Promise<ReportRead>;
  close(): Promise<void>;
  /** Ends the worker at once, as a crash would (tests). */
  terminate(): Promise<void>;
  /** The worker's V8 heap (the bench's account of where the RSS goes). */
  heapStatistics(): Promise<HeapInfo>;
}

export interface FetchWorkerHost {
  /** The host's transport: the worker's requests are relayed to it (absent: the worker uses undici). */
  transport?: TransportFactory | undefined;
  logger?: Logger | undefined;
}

const READ_AGAIN = 'the pages and report rows not yet committed are read again when this range is imported again';

/** The worker thread itself, its heap limited as asked (applied when its isolate is created). */
function spawn(init: FetchWorkerInit): Worker {
  const limits = {
    ...(init.youngGenerationMb ? { maxYoungGenerationSizeMb: init.youngGenerationMb } : {}),
    ...(init.oldGenerationMb ? { maxOldGenerationSizeMb: init.oldGenerationMb } : {}),
  };
  return new Worker(fetchWorkerEntry(), { workerData: init, resourceLimits: limits });
}

export function startFetchWorker(init: FetchWorkerInit, host: FetchWorkerHost = {}): FetchWorker {
  const relay = init.relay ?? host.transport !== undefined;
  const worker = spawn({ ...init, relay });
  const relayed = relay && host.transport ? relayHost(host.transport, (a) => worker.postMessage({ relayed: a } satisfies FetchRequest)) : null;
  const waiting = new Map<number, { resolve(r: IteratorResult<unknown>): void; reject(e: Error): void }>();
  const opening = new Map<number, { resolve(o: { totalBytes: number | null }): void; reject(e: Error): void }>();
  const onBytes = new Map<number, (bytes: number) => void>();
  let next = 0;
  let dead: Error | null = null;
  let running = false;
  let started: () => void = () => undefined;
  let notStarted: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve;
    notStarted = reject;
  });
  ready.catch(() => undefined);
  const failAll = (err: Error) => {
    dead ??= err;
    notStarted(dead);
    for (const w of [...waiting.values(), ...opening.values()]) w.reject(dead);
    waiting.clear();
    opening.clear();
  };
  worker.on('message', (m: FetchReply) => {
    if ('ready' in m) {
      running = true;
      return started();
    }
    if ('log' in m) return host.logger?.[m.log.level](m.log.obj, m.log.msg);
    if ('relay' in m) return void relayed?.ask(m.relay);
    if ('bytes' in m) return onBytes.get(m.id)?.(m.bytes);
    const o = opening.get(m.id);
    if (o) {
      opening.delete(m.id);
      if ('error' in m) o.reject(deserializeError(m.error));
      else if ('opened' in m) o.resolve(m.opened);
      return;
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if ('error' in m) w.reject(deserializeError(m.error));
    else if ('done' in m) w.resolve({ done: true, value: undefined });
    else if ('item' in m) w.resolve({ done: false, value: openPage(m.item) });
  });
  // Before it started: the reason it could not (the fallback's warning says it); after: it is gone.
  worker.on('error', (err) => failAll(!running ? err : new ReaderStopped(`the import's fetch worker failed (${err.message}); ${READ_AGAIN}`)));
  worker.on('exit', (code) => failAll(new ReaderStopped(`the import's fetch worker stopped (exit code ${code}); ${READ_AGAIN}`)));
  const send = (m: FetchRequest) => {
    if (!dead) worker.postMessage(m);
  };
  const pull = <T>(id: number): Promise<IteratorResult<T>> => {
    if (dead) return Promise.reject(dead);
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (r: IteratorResult<unknown>) => void, reject });
      worker.postMessage({ id, pull: true } satisfies FetchRequest);
    });
  };
  /** What the worker sends for `id`, pulled one by one; the worker's side stops when this one does. */
  async function* items<T>(id: number, signal: AbortSignal | undefined, onAbort: () => void): AsyncGenerator<T> {
    try {
      for (;;) {
        const r = await pull<T>(id);
        if (r.done) return;
        yield r.value;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      onBytes.delete(id);
      send({ id, end: true });
    }
  }
  return {
    ready,
    walk({ recordType, from, to, skipPages, signal }) {
      const id = next++;
      send({ id, walk: { recordType, from, to, skipPages: [...skipPages] } });
      // The worker's walk stops as the in-thread one would: its requests cancelled, the pull answered with the error.
      const onAbort = () => send({ id, abort: true });
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      return items<RecordPage>(id, signal, onAbort);
    },
    async report(url, { signal, onBytes: bytes, ...read }) {
      const id = next++;
      const onAbort = () => send({ id, abort: true });
      if (bytes) onBytes.set(id, bytes);
      const opened = new Promise<{ totalBytes: number | null }>((resolve, reject) => {
        if (dead) return reject(dead);
        opening.set(id, { resolve, reject });
        worker.postMessage({ id, report: { url, read } } satisfies FetchRequest);
      });
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const { totalBytes } = await opened;
        return { totalBytes, batches: items<CsvBatch>(id, signal, onAbort) };
      } catch (err) {
        signal?.removeEventListener('abort', onAbort);
        onBytes.delete(id);
        send({ id, end: true });
        throw err;
      }
    },
    async close() {
      await relayed?.close();
      if (dead) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true } satisfies FetchRequest);
      await exited;
    },
    heapStatistics: () => worker.getHeapStatistics(),
    async terminate() {
      await worker.terminate();
      await relayed?.close();
    },
  };
}

/**
 * clientRecordSource's pages and its batch reports' CSVs read on a fetch worker (one per
 * source while any of its walks or downloads is open: an import's record types share it); the
 * reports are asked for and polled here. Where the worker cannot start (its entry missing
 * from a bundle, ...) they are read here, by `inThread`, and `logger` says why once.
 */
export function workerRecordSource(
  start: () => FetchWorker,
  inThread: RecordPageSource,
  logger?: Logger,
  onWorker?: (w: FetchWorker) => void,
): RecordPageSource {
  let shared: { worker: Promise<FetchWorker | null>; users: number } | null = null;
  let warned = false;
  const acquire = () => {
    if (!shared) {
      const worker = (async () => {
        let w: FetchWorker | undefined;
        try {
          w = start();
          await w.ready;
          onWorker?.(w);
          return w;
        } catch (err) {
          await w?.close().catch(() => undefined);
          if (!warned)
            logger?.warn(
              { reason: err instanceof Error ? err.message : String(err) },
              'the fetch worker cannot run: this import reads its pages on the main thread',
            );
          warned = true;
          return null;
        }
      })();
      shared = { worker, users: 0 };
    }
    shared.users++;
    return shared;
  };
  const release = async (s: NonNullable<typeof shared>) => {
    if (--s.users > 0) return;
    if (shared === s) shared = null;
    await (await s.worker)?.close();
  };
  const reports = inThread.reports;
  return {
    ...(reports ? { reports: { ...reports, read: reportOnWorker(readReportHere(reports.api)) } } : {}),
    // Acquired once the walk is first read: a walk never read holds no worker (its return() runs no finally).
    async *pages(o) {
      const s = acquire();
      try {
        const worker = await s.worker;
        if (worker) yield* worker.walk(o);
        else yield* inThread.pages(o);
      } finally {
        await release(s);
      }
    },
  };

  /** A report's CSV read on the worker (here where it cannot start), the worker held until its batches end. */
  function reportOnWorker(here: ReportReader): ReportReader {
    return async (url, o) => {
      const s = acquire();
      let opened: ReportRead;
      try {
        const worker = await s.worker;
        opened = worker ? await worker.report(url, o) : await here(url, o);
      } catch (err) {
        await release(s);
        throw err;
      }
      return {
        totalBytes: opened.totalBytes,
        batches: (async function* () {
          try {
            yield* opened.batches;
          } finally {
            await release(s);
          }
        })(),
      };
    };
  }
}
