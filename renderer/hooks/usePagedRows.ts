// Server-side paging for virtualized tables. Rows are fetched in pages (offset/limit) only
// for the part of the list on screen, cached (bounded), and refreshed in place when the
// ledger changes — so a list of a million calls costs a few pages of memory and requests.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, Result } from '../../shared/contract.ts';

export type PageFetcher<Row> = (offset: number, limit: number) => Promise<Result<{ rows: Row[]; total: number }>>;

export interface PagedRows<Row> {
  total: number | null;
  error: AppError | null;
  /** True while the first page of a new query is on its way. */
  loading: boolean;
  rowAt(index: number): Row | undefined;
  /** Ask for the rows [start, end] (inclusive); fetches the missing pages, debounced. */
  ensure(start: number, end: number): void;
  /** Re-fetch what is on screen (after a ledger change) without blanking it. */
  refresh(): void;
}

const MAX_CACHED_PAGES = 40;
const ENSURE_DEBOUNCE_MS = 50;

export function usePagedRows<Row>(fetchPage: PageFetcher<Row>, queryKey: string, pageSize = 200): PagedRows<Row> {
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const cache = useRef(new Map<number, Row[]>());
  const stale = useRef(new Map<number, Row[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const lastRange = useRef<[number, number]>([0, pageSize - 1]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const [, setTick] = useState(0);

  const loadPage = useCallback(
    async (page: number) => {
      const gen = generation.current;
      inflight.current.add(page);
      const res = await fetchRef.current(page * pageSize, pageSize);
      if (gen !== generation.current) return; // an answer for an older query or refresh
      inflight.current.delete(page);
      if (res.ok) {
        cache.current.set(page, res.value.rows);
        stale.current.delete(page);
        setTotal(res.value.total);
        setError(null);
        trim(cache.current, lastRange.current, pageSize);
      } else {
        setError(res.error);
      }
      setLoading(false);
      setTick((t) => t + 1);
    },
    [pageSize],
  );

  const fetchMissing = useCallback(() => {
    const [start, end] = lastRange.current;
    const first = Math.max(0, Math.floor(start / pageSize));
    const last = Math.max(first, Math.floor(end / pageSize));
    for (let p = first; p <= last; p++) {
      if (!cache.current.has(p) && !inflight.current.has(p)) void loadPage(p);
    }
  }, [loadPage, pageSize]);

  // A new query: forget everything and load its first page.
  useEffect(() => {
    generation.current++;
    cache.current = new Map();
    stale.current = new Map();
    inflight.current = new Set();
    lastRange.current = [0, pageSize - 1];
    setTotal(null);
    setError(null);
    setLoading(true);
    fetchMissing();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [queryKey, pageSize, fetchMissing]);

  const ensure = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end];
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(fetchMissing, ENSURE_DEBOUNCE_MS);
    },
    [fetchMissing],
  );

  const refresh = useCallback(() => {
    generation.current++;
    for (const [p, rows] of cache.current) stale.current.set(p, rows);
    cache.current = new Map();
    inflight.current = new Set();
    trim(stale.current, lastRange.current, pageSize);
    fetchMissing();
  }, [fetchMissing, pageSize]);

  const rowAt = useCallback(
    (index: number): Row | undefined => {
      const page = Math.floor(index / pageSize);
      const rows = cache.current.get(page) ?? stale.current.get(page);
      return rows?.[index - page * pageSize];
    },
    [pageSize],
  );

  return { total, error, loading, rowAt, ensure, refresh };
}

/** Keep the cache bounded: drop the pages farthest from what is on screen. */
function trim<Row>(pages: Map<number, Row[]>, range: [number, number], pageSize: number): void {
  if (pages.size <= MAX_CACHED_PAGES) return;
  const centre = (range[0] + range[1]) / 2 / pageSize;
  const byDistance = [...pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
  for (const p of byDistance.slice(0, pages.size - MAX_CACHED_PAGES)) pages.delete(p);
}
