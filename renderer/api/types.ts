// The renderer's view of a host. Types only come from the contract (a type import pulls no
// zod into the bundle); the runtime checks live in envelope.ts and, in dev, validate.ts.
import type { EventName, EventPayload, Input, Method, Output, Result } from '../../shared/contract.ts';

export type Platform = 'electron' | 'web' | 'mock';
export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

/** A host transport: untyped invoke/subscribe, as the preload or HTTP hands them over. */
export interface RawTransport {
  readonly platform: Platform;
  invoke(method: Method, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Only transports that can lose their host (HTTP/SSE) report this. */
  onConnection?(listener: (state: ConnectionState) => void): () => void;
}

export type EventListenerFn = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** The typed client every screen uses. `call` never throws: failures come back as Results. */
export interface ApiClient {
  readonly platform: Platform;
  call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  subscribe(listener: EventListenerFn): () => void;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** Every event name, checked against the contract at compile time (no runtime zod import). */
const EVENT_NAME_SET = {
  'sync.status': true,
  'import.progress': true,
  'jobs.changed': true,
  'ledger.changed': true,
} as const satisfies Record<EventName, true>;
export const EVENT_NAMES = Object.keys(EVENT_NAME_SET) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENT_NAME_SET, name);
}
