// The fetch worker's entry (fetch-worker.ts starts it): its own Telnyx client walks the pages
// asked for (clientRecordSource: the same requests, retries and parsing as on the main
// thread) and answers each pull with the next page, its raw rows as text (packRecords).
import { parentPort, workerData } from 'node:worker_threads';
import type { RecordType } from '../../../shared/domain.ts';
import { createTelnyxClient } from '../telnyx/index.ts';
import type { Logger } from '../util/logger.ts';
import { wirePage } from './page-wire.ts';
import { relayTransport, serializeError, type FetchReply, type FetchRequest, type FetchWorkerInit } from './fetch-worker.ts';
import type { RecordPage } from './importer.ts';
import { clientRecordSource } from './sources.ts';

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

const relay = init.relay ? relayTransport(post) : null;
const client = createTelnyxClient({
  baseUrl: init.baseUrl,
  apiKey: init.apiKey,
  logger: forwardingLogger({}),
  ...(init.connections ? { connections: init.connections } : {}),
  ...(relay ? { transport: relay.factory } : {}),
});
const source = clientRecordSource(client, init.concurrency, init.retry);
const walks = new Map<number, { pages: AsyncIterator<RecordPage>; stop: AbortController }>();

port.on('message', (m: FetchRequest) => {
  if ('relayed' in m) return relay?.answer(m.relayed);
  if ('close' in m) {
    for (const w of walks.values()) w.stop.abort();
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
    walks.set(m.id, { pages: pages[Symbol.asyncIterator](), stop });
    return;
  }
  const walk = walks.get(m.id);
  if (!walk) return;
  if ('abort' in m) return walk.stop.abort();
  if ('end' in m) {
    walks.delete(m.id);
    void walk.pages.return?.().catch(() => undefined);
    return;
  }
  walk.pages.next().then(
    (r) => {
      if (r.done) return post({ id: m.id, done: true });
      // The records, sealed in one buffer, move to the main thread (which hands them on unopened).
      const page = wirePage(r.value);
      port.postMessage({ id: m.id, page } satisfies FetchReply, [page.sealed.buffer as ArrayBuffer]);
    },
    (err) => post({ id: m.id, error: serializeError(err) }),
  );
});
post({ ready: true });
