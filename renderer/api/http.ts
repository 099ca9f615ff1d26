// Browser-host transport: POST /api/call/<method> (JSON in, Result JSON out) with the
// session token in a header, and Server-Sent Events from /api/events for pushes.
import { TOPICS } from '../../shared/access.ts';
import type { Method } from '../../shared/contract.ts';
import { failure } from './envelope.ts';
import { EVENT_NAMES, type ConnectionState, type RawTransport } from './types.ts';

const RECONNECT_MS = 5000;

const HOST_ACTION = 'Check that the Cost Desk host (npm run web) is still running, then reload this page.';
const TOKEN_ACTION = 'Open the address the host printed when it started (it carries the access token).';

export function createHttpTransport(token: string | null): RawTransport {
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of connectionListeners) l(s);
  };

  return {
    platform: 'web',
    async invoke(method: Method, input: unknown): Promise<unknown> {
      if (!token) return failure('internal', 'This page has no access token for the Cost Desk host.', TOKEN_ACTION);
      let res: Response;
      try {
        res = await fetch(`/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-cost-desk-token': token },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
          cache: 'no-store',
        });
      } catch {
        return failure('internal', 'Lost the connection to the Cost Desk host.', HOST_ACTION);
      }
      let body: unknown = null;
      try {
        body = await res.json();
      } catch {
        body = null;
      }
      // A Result is a Result whatever the HTTP status (hosts may send 4xx with one).
      if (typeof body === 'object' && body !== null && 'ok' in body) return body;
      if (res.status === 401 || res.status === 403) {
        return failure('internal', 'The Cost Desk host refused this page’s access token.', TOKEN_ACTION);
      }
      return failure('internal', `The Cost Desk host answered HTTP ${res.status} for ${method}.`, HOST_ACTION);
    },

    subscribe(listener) {
      if (!token) {
        setState('disconnected');
        return () => {};
      }
      let source: EventSource | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let closed = false;
      let hadError = false;
      const open = () => {
        setState('connecting');
        source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
        source.onopen = () => {
          setState('connected');
          // Back after an outage: pushes were missed, so tell the screens to re-read.
          if (hadError) listener('ledger.changed', { at: Date.now(), topics: [...TOPICS] });
          hadError = false;
        };
        source.onerror = () => {
          hadError = true;
          setState('disconnected');
          if (source && source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
          // The host refused the stream or went away for good: retry ourselves, slowly.
          source = null;
          if (!closed) timer = setTimeout(open, RECONNECT_MS);
        };
        for (const name of EVENT_NAMES) {
          source.addEventListener(name, (e) => {
            let payload: unknown;
            try {
              payload = JSON.parse((e as MessageEvent<string>).data);
            } catch {
              return;
            }
            listener(name, payload);
          });
        }
      };
      open();
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
        source?.close();
        source = null;
      };
    },

    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
