// Answers asked for before React is loaded: the boot module requests the first screen's data
// the moment the page starts, and the first matching call takes the answer instead of asking
// again. An answer is handed out once, only for exactly the same method and input, and only
// while fresh: it is dropped after PREFETCH_TTL_MS, or when the client sees a write (a call or a
// ledger.changed push) to a topic the answer read (shared/access.ts).
import { isStaleAfter, type Topic } from '../../shared/access.ts';
import type { Method } from '../../shared/contract.ts';
import type { RawTransport } from './types.ts';

export const PREFETCH_TTL_MS = 10_000;

export type PrefetchCall = readonly [method: Method, input: unknown];

export interface Prefetched {
  /** The answer for exactly this call, settled or in flight, removed from the store. */
  take(method: Method, input: unknown): Promise<unknown> | undefined;
  /** Drops the answers that read any of these topics. */
  dropStale(written: readonly Topic[]): void;
}

interface Entry {
  method: Method;
  promise: Promise<unknown>;
  askedAt: number;
}

const keyOf = (method: Method, input: unknown) => `${method} ${JSON.stringify(input ?? {})}`;

export function prefetch(transport: RawTransport, calls: readonly PrefetchCall[], now: () => number = () => performance.now()): Prefetched {
  const entries = new Map<string, Entry>();
  for (const [method, input] of calls) {
    const entry: Entry = { method, promise: Promise.resolve(null), askedAt: now() };
    // The transport may reject (it normally answers failures as Results): the taker's own
    // error handling sees the rejection, exactly as if it had made the request itself.
    entry.promise = transport.invoke(method, input ?? {});
    entries.set(keyOf(method, input), entry);
  }

  const takeEntry = (method: Method, input: unknown): Entry | undefined => {
    const key = keyOf(method, input);
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    return now() - entry.askedAt <= PREFETCH_TTL_MS ? entry : undefined;
  };

  return {
    take: (method, input) => takeEntry(method, input)?.promise,
    dropStale(written) {
      for (const [key, entry] of entries) if (isStaleAfter(entry.method, written)) entries.delete(key);
    },
  };
}
