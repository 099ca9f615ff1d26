// The typed client built over a raw transport: `call` returns Result<Output<M>> and never
// throws; `subscribe`/`on` deliver only known events. In dev builds every output and event
// is also checked against the contract's zod schemas. Answers prefetched at boot (see
// prefetch.ts) stand in for the first matching call.
import { ACCESS } from '../../shared/access.ts';
import type { EventName, EventPayload, Input, Method, Output, Result } from '../../shared/contract.ts';
import { failure, toResult } from './envelope.ts';
import type { Prefetched } from './prefetch.ts';
import { isEventName, type ApiClient, type ConnectionState, type EventListenerFn, type RawTransport } from './types.ts';

type Validator = typeof import('./validate.ts');

export function createClient(transport: RawTransport, prefetched: Prefetched | null = null): ApiClient {
  // Dev only: the branch (and with it zod) is dropped from production bundles.
  const validator: Promise<Validator> | null = import.meta.env.DEV ? import('./validate.ts') : null;

  const listeners = new Set<EventListenerFn>();
  let unsubscribeTransport: (() => void) | null = null;

  const deliver = (event: string, payload: unknown) => {
    if (!isEventName(event)) return;
    if (event === 'ledger.changed') prefetched?.dropStale((payload as EventPayload<'ledger.changed'>).topics);
    const send = () => {
      for (const l of listeners) {
        try {
          l(event, payload as EventPayload<typeof event>);
        } catch (err) {
          console.error('[cost-desk] event listener failed', err);
        }
      }
    };
    if (validator) {
      void validator.then((v) => {
        if (v.validateEvent(event, payload)) send();
      });
    } else {
      send();
    }
  };

  const subscribe = (listener: EventListenerFn): (() => void) => {
    listeners.add(listener);
    if (!unsubscribeTransport) unsubscribeTransport = transport.subscribe(deliver);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && unsubscribeTransport) {
        unsubscribeTransport();
        unsubscribeTransport = null;
      }
    };
  };

  return {
    platform: transport.platform,
    async call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>> {
      let raw: unknown;
      if (prefetched && ACCESS[method].writes.length > 0) prefetched.dropStale(ACCESS[method].writes);
      try {
        raw = await (prefetched?.take(method, input) ?? transport.invoke(method, input ?? {}));
      } catch (err) {
        return failure('internal', `Could not reach the Cost Desk core (${err instanceof Error ? err.message : String(err)})`, 'Restart Cost Desk.');
      }
      let result = toResult(method, raw);
      if (validator) result = (await validator).validateOutput(method, result);
      return result as Result<Output<M>>;
    },
    subscribe,
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      return subscribe((name, payload) => {
        if ((name as EventName) === event) listener(payload as unknown as EventPayload<E>);
      });
    },
    onConnection(listener: (state: ConnectionState) => void) {
      return transport.onConnection ? transport.onConnection(listener) : () => {};
    },
  };
}
