// Server-side paging for virtualized tables, on TanStack Query: each page (offset/limit) of a
// list is one query, keyed by the list's input with its offset and limit. Only the pages on
// screen are observed, so only they are refetched when the ledger changes (in place, without
// blanking), and pages scrolled away are dropped from the cache soon after.
import { useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppError, Input, Output } from '../../shared/contract.ts';
import { appErrorOf, keyOf } from '../data/client.ts';

type ListMethod = 'calls.list' | 'messages.list';
type RowOf<M extends ListMethod> = Output<M>['rows'][number];
/** The list's filters and sort, without the page. */
export type ListQuery<M extends ListMethod> = Omit<Input<M>, 'offset' | 'limit'>;

export interface PagedRows<Row> {
  total: number | null;
  error: AppError | null;
  /** True while the first page of a new query is on its way. */
  loading: boolean;
  rowAt(index: number): Row | undefined;
  /** Ask for the rows [start, end] (inclusive); fetches the missing pages, debounced. */
  ensure(start: number, end: number): void;
}

const ENSURE_DEBOUNCE_MS = 50;
/** A page scrolled away is kept this long (a scroll back shows it at once), then dropped. */
const PAGE_GC_MS = 30_000;

/** `query` null: the list is known to be empty (no valid period), nothing is asked. */
export function usePagedRows<M extends ListMethod>(method: M, query: ListQuery<M> | null, pageSize = 200): PagedRows<RowOf<M>> {
  const queryId = JSON.stringify(query);
  const [range, setRange] = useState<{ id: string; first: number; last: number }>({ id: queryId, first: 0, last: 0 });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A new query starts at its first page (the table scrolls back to the top).
  const pages = useMemo(() => {
    if (query === null) return [];
    const [first, last] = range.id === queryId ? [range.first, range.last] : [0, 0];
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }, [query, queryId, range]);

  const results = useQueries({
    queries: pages.map((p) => ({
      queryKey: keyOf(method, { ...query, offset: p * pageSize, limit: pageSize } as Input<M>),
      gcTime: PAGE_GC_MS,
    })),
  });

  // The total stays what the list last said while pages scrolled to are on their way.
  const lastTotal = useRef<{ id: string; total: number | null }>({ id: queryId, total: null });
  if (lastTotal.current.id !== queryId) lastTotal.current = { id: queryId, total: null };
  const answered = results.find((r) => r.data);
  if (answered?.data) lastTotal.current.total = (answered.data as Output<M>).total;
  const total = query === null ? 0 : lastTotal.current.total;
  const failed = results.find((r) => r.error);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const ensure = useCallback(
    (start: number, end: number) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const first = Math.max(0, Math.floor(start / pageSize));
        const last = Math.max(first, Math.floor(end / pageSize));
        setRange((r) => (r.id === queryId && r.first === first && r.last === last ? r : { id: queryId, first, last }));
      }, ENSURE_DEBOUNCE_MS);
    },
    [pageSize, queryId],
  );

  const byPage = new Map<number, RowOf<M>[]>();
  results.forEach((r, i) => {
    if (r.data) byPage.set(pages[i]!, (r.data as Output<M>).rows as RowOf<M>[]);
  });
  const rowAt = (index: number): RowOf<M> | undefined => {
    const page = Math.floor(index / pageSize);
    return byPage.get(page)?.[index - page * pageSize];
  };

  return {
    total,
    error: failed ? appErrorOf(failed.error) : null,
    loading: query !== null && total === null && !failed,
    rowAt,
    ensure,
  };
}
