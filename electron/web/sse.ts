// Server-Sent Events: the core's EventBus, one stream per open page. A comment line every
// `heartbeatMs` keeps proxies and the browser from timing the connection out and lets us
// notice a closed tab (the write fails and the listener is removed).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventName } from '../../shared/contract.ts';
import type { EventBus } from '../core/api/types.ts';

export function formatSseEvent(name: string, payload: unknown): string {
  // JSON.stringify never emits a raw newline, so one data: line is always enough.
  return `event: ${name}\ndata: ${JSON.stringify(payload ?? null)}\n\n`;
}

export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  events: Pick<EventBus, 'on'>,
  headers: Record<string, string>,
  heartbeatMs: number,
): () => void {
  res.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
  });
  res.write('retry: 2000\n: connected\n\n');
  const unsubscribe = events.on((name: EventName, payload: unknown) => {
    res.write(formatSseEvent(name, payload));
  });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  req.on('close', close);
  res.on('error', close);
  return close;
}
