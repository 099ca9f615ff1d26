// The renderer's data layer: TanStack Query over the typed client. One query key per contract
// method and input; the core's events invalidate exactly the queries whose method reads a
// topic that was written (shared/access.ts), and a write made from this page invalidates by
// the method's declared writes — once, not once for the answer and again for its event.
import { QueryClient, type Query, type QueryKey } from '@tanstack/react-query';
import { ACCESS, isStaleAfter, type Topic } from '../../shared/access.ts';
import type { AppError, Input, Method, Output, Result } from '../../shared/contract.ts';
import type { ApiClient } from '../api/types.ts';

export type ContractKey<M extends Method = Method> = readonly [M, Input<M>];

/** The key of one contract call: the method and its input (TanStack hashes it stably). */
export function keyOf<M extends Method>(method: M, input: Input<M>): ContractKey<M> {
  return [method, (input ?? {}) as Input<M>];
}

/** A failed answer, thrown by the query function so TanStack sees the error. */
export class ContractError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
  }
}

export function appErrorOf(err: unknown): AppError | null {
  if (!err) return null;
  if (err instanceof ContractError) return err.appError;
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

function methodOf(query: Query): Method | null {
  const m = query.queryKey[0];
  return typeof m === 'string' && m in ACCESS ? (m as Method) : null;
}

/** How long a burst of background changes (a sync writing page after page) is coalesced. */
const BURST_MS = 1000;
/** How long the events of one action of the core are gathered before acting on them. */
const GATHER_MS = 40;
/** A write's own ledger.changed normally arrives before its answer; wait this long at most. */
const OWN_EVENT_MS = 5000;

export interface DataLayer {
  readonly queries: QueryClient;
  /** Runs a write method and invalidates what it wrote (once, with its change event). */
  write<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  /** Stops listening to the core (tests, hot reload). */
  close(): void;
}

export function createDataLayer(api: ApiClient): DataLayer {
  const queries = new QueryClient({
    defaultOptions: {
      queries: {
        queryFn: async ({ queryKey }: { queryKey: QueryKey }) => {
          const [method, input] = queryKey as unknown as ContractKey;
          const res = await api.call(method, input as never);
          if (!res.ok) throw new ContractError(res.error);
          return res.value;
        },
        // Answers stay fresh until an event says a topic they read was written.
        staleTime: Infinity,
        gcTime: 5 * 60_000,
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
    },
  });

  const invalidate = (written: readonly Topic[]) =>
    queries.invalidateQueries({
      predicate: (q) => {
        const m = methodOf(q);
        return m !== null && isStaleAfter(m, written);
      },
    });

  // One action of the core can send several events (a refetch: jobs.changed, then its
  // ledger.changed): they are gathered for GATHER_MS and acted on once. Background changes
  // (a sync writing page after page) are acted on at most once per BURST_MS, the last
  // included; a write made here is acted on after the gathering only.
  let pending = new Set<Topic>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let due = 0;
  let lastFlush = -Infinity;
  const flush = () => {
    timer = null;
    lastFlush = performance.now();
    const topics = [...pending];
    pending = new Set();
    if (topics.length > 0) void invalidate(topics);
  };
  const changed = (topics: readonly Topic[], urgent = false) => {
    for (const t of topics) pending.add(t);
    const now = performance.now();
    const at = now + (urgent ? GATHER_MS : Math.max(GATHER_MS, lastFlush + BURST_MS - now));
    if (timer && due <= at) return;
    if (timer) clearTimeout(timer);
    due = at;
    timer = setTimeout(flush, at - now);
  };

  // Writes made here: their change event (the core announces exactly the declared writes) is
  // the one invalidation; the answer invalidates only if that event has not come.
  interface OwnWrite {
    topics: string;
    eventSeen: boolean;
    expires: number;
  }
  const own = new Set<OwnWrite>();
  const topicsKey = (t: readonly Topic[]) => [...t].sort().join(',');
  const ownEvent = (topics: readonly Topic[]): boolean => {
    const key = topicsKey(topics);
    const now = performance.now();
    for (const w of own) {
      if (w.expires < now) own.delete(w);
      else if (w.topics === key && !w.eventSeen) {
        w.eventSeen = true;
        return true;
      }
    }
    return false;
  };

  const offChanged = api.on('ledger.changed', (p) => {
    // A write of ours: acted on without waiting for the end of a burst.
    changed(p.topics, ownEvent(p.topics));
  });
  // A job finished or failed between syncs: what reads jobs is out of date.
  const offJobs = api.on('jobs.changed', (j) => {
    queries.setQueriesData<Output<'sync.status'>>({ queryKey: ['sync.status'] }, (s) => (s ? { ...s, pendingJobs: j.pending, failedJobs: j.failed } : s));
    changed(['jobs']);
  });
  const offSync = api.on('sync.status', (s) => queries.setQueryData(keyOf('sync.status', {}), s));
  const offImport = api.on('import.progress', (p) => {
    if (p.status !== 'running') changed(['imports']);
  });
  // Back after an outage: pushes were missed, so everything shown is re-read.
  let lost = false;
  const offConn = api.onConnection((s) => {
    if (s === 'disconnected') lost = true;
    if (s === 'connected' && lost) {
      lost = false;
      void queries.invalidateQueries();
    }
  });

  return {
    queries,
    async write(method, input) {
      const writes = ACCESS[method].writes;
      const mine: OwnWrite | null = writes.length > 0 ? { topics: topicsKey(writes), eventSeen: false, expires: Infinity } : null;
      if (mine) own.add(mine);
      const res = await api.call(method, input);
      if (mine) {
        if (!mine.eventSeen) {
          // The event is late or lost: invalidate now, and take the event as already handled.
          changed(writes, true);
          mine.expires = performance.now() + OWN_EVENT_MS;
        } else own.delete(mine);
      }
      return res;
    },
    close() {
      offChanged();
      offJobs();
      offSync();
      offImport();
      offConn();
      if (timer) clearTimeout(timer);
      queries.clear();
    },
  };
}
