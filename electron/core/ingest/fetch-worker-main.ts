// The fetch worker's entry (fetch-worker.ts starts it): its own Telnyx client walks the pages
// asked for (clientRecordSource: the same requests, retries and parsing as on the main
// thread) or downloads a batch report's CSV and reads it (csvBatches), and answers each pull
// with the next page or batch, its records sealed in a buffer that moves (page-wire.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordType } from '../../../shared/domain.ts';
import { createTelnyxClient } from '../telnyx/index.ts';
import type { Logger } from '../util/logger.ts';
import { openPage, transferablesOf, wirePage, type Wire } from './page-wire.ts';
import { relayTransport, serializeError, type FetchReply, type FetchRequest, type FetchWorkerInit } from './fetch-worker.ts';
import type { RecordPage } from './importer.ts';
import { clientRecordSource } from './sources.ts';
import { csvBatches, type CsvBatch, type ReadCsvOptions } from './report-import/csv-records.ts';
import type { Readable } from 'node:stream';
import { lowerThreadPriority } from '../util/thread-priority.ts';

const init = workerData as FetchWorkerInit;
const port = parentPort!;
const post = (m: FetchReply) => port.postMessage(m);

/** A logger whose lines the starting thread writes with its own logger (its level, its file). */
function forwardingLogger(bindings: Record<string, unknown>): Logger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (obj: unknown, msg?: string) => {
    if (level === 'debug' && !init.debug) return;
    const fields = typeof obj === 'object' && obj !== null ? obj : { value: obj };
    post({ log: { level, obj: { ...bindings, ...fields }, msg: msg ?? '' } });
  };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more: Record<string, unknown>) => forwardingLogger({ ...bindings, ...more }),
  } as unknown as Logger;
}

const log = forwardingLogger({});

// Below the write worker and the UI when cores are short (APP_FETCHER_LIMITS); a thread that
// cannot be lowered fetches as it is.
if (init.nice)
  lowerThreadPriority(init.nice).then(
    (r) => log.debug(r, 'fetch worker priority'),
    (err: unknown) => log.warn({ err: String(err) }, 'fetch worker priority not lowered'),
  );

const relay = init.relay ? relayTransport(post) : null;
const client = createTelnyxClient({
  baseUrl: init.baseUrl,
  apiKey: init.apiKey,
  logger: log,
  ...(init.connections ? { connections: init.connections } : {}),
  ...(relay ? { transport: relay.factory } : {}),
});
// Each page sealed as soon as it is read: the pages fetched ahead wait as buffers (outside the
// heap), not as object trees every young-generation collection would copy.
const source = clientRecordSource(client, init.concurrency, init.retry, undefined, (p) => openPage<RecordPage>(wirePage(p)));
/** What the main thread pulls, by id: a record type's pages or a report's batches. */
const streams = new Map<number, { items: AsyncIterator<RecordPage | CsvBatch> | null; stop: AbortController; body?: Readable }>();

port.on('message', (m: FetchRequest) => {
  if ('relayed' in m) return relay?.answer(m.relayed);
  if ('close' in m) {
    for (const s of streams.values()) s.stop.abort();
    void client.close().finally(() => port.close());
    return;
  }
  if ('walk' in m) {
    const stop = new AbortController();
    const pages = source.pages({
      recordType: m.walk.recordType as RecordType,
      from: m.walk.from,
      to: m.walk.to,
      skipPages: new Set(m.walk.skipPages),
      signal: stop.signal,
    });
    streams.set(m.id, { items: pages[Symbol.asyncIterator](), stop });
    return;
  }
  if ('report' in m) return openReport(m.id, m.report.url, m.report.read);
  const stream = streams.get(m.id);
  if (!stream) return;
  if ('abort' in m) return stream.stop.abort();
  if ('end' in m) {
    streams.delete(m.id);
    stream.stop.abort();
    void stream.items?.return?.().catch(() => undefined);
    // A download whose batches were never read (or not to the end) lets go of its socket.
    stream.body?.destroy();
    return;
  }
  stream.items!.next().then(
    (r) => {
      if (r.done) return post({ id: m.id, done: true });
      // The records, sealed in one buffer, move to the main thread (which hands them on unopened).
      const item = wirePage(r.value) as Wire<RecordPage> | Wire<CsvBatch>;
      port.postMessage({ id: m.id, item } satisfies FetchReply, transferablesOf(item));
    },
    (err) => post({ id: m.id, error: serializeError(err) }),
  );
});

/** Downloads a report's CSV; its batches are then pulled as pages are. */
function openReport(id: number, url: string, read: Omit<ReadCsvOptions, 'signal' | 'onBytes'>): void {
  const stream: { items: AsyncIterator<CsvBatch> | null; stop: AbortController; body?: Readable } = { items: null, stop: new AbortController() };
  streams.set(id, stream);
  client.batchReports!.download(url, stream.stop.signal).then(
    (dl) => {
      stream.body = dl.body;
      if (!streams.has(id)) return void dl.body.destroy();
      stream.items = csvBatches(dl.body, { ...read, signal: stream.stop.signal, onBytes: (bytes) => post({ id, bytes }) });
      post({ id, opened: { totalBytes: dl.totalBytes } });
    },
    (err) => post({ id, error: serializeError(err) }),
  );
}
post({ ready: true });
