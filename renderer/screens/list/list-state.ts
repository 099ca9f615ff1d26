// A list screen's state: its filters (each kept per screen across visits, useStickyState),
// the query they make, its rows, and where focus goes back when the row's panel closes.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { SortState } from '../../components/VirtualTable.tsx';
import type { Output } from '../../../shared/contract.ts';
import { usePagedRows, type ListQuery, type PagedRows } from '../../hooks/usePagedRows.ts';
import { usePeriod } from '../../hooks/usePeriod.ts';
import { useStickyState } from '../../hooks/useStickyState.ts';

export type ListRoute = 'calls' | 'messages';
const METHOD = { calls: 'calls.list', messages: 'messages.list' } as const;
export type ListRow<R extends ListRoute> = Output<(typeof METHOD)[R]>['rows'][number];

/** A click on the sorted column turns it round; another column starts ascending, the time newest first. */
export function nextSort(sort: SortState, key: string, timeKey: string): SortState {
  return sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === timeKey ? 'desc' : 'asc' };
}

/**
 * The filters (search, the status filter named `statusField`, number, the shared period,
 * sort) and the rows they select. Reversed or missing custom dates: no rows at all, never the
 * previous range's.
 */
export function useListState<R extends ListRoute>(route: R, statusField: string, timeKey: string) {
  const [search, setSearch] = useStickyState(`${route}.search`, () => '');
  const [status, setStatus] = useStickyState(`${route}.${statusField}`, () => '');
  const [number, setNumber] = useStickyState(`${route}.number`, () => '');
  // The period every screen shares (lib/period.ts): the Overview's choice is this one.
  const [range, setRange] = usePeriod();
  const [sort, setSort] = useStickyState<SortState>(`${route}.sort`, () => ({ key: timeKey, dir: 'desc' }));
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);

  const query = useMemo(() => {
    // An empty filter is "any", and is left out.
    const set = Object.entries({ search, [statusField]: status, number }).filter(([, v]) => v !== '');
    return {
      sort: sort.key,
      dir: sort.dir,
      ...Object.fromEntries(set),
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    } as ListQuery<(typeof METHOD)[R]>;
  }, [sort, search, statusField, status, number, range]);
  const resetKey = `${JSON.stringify(query)}${rangeProblem ? '|no range' : ''}`;
  const paged = usePagedRows(METHOD[route], rangeProblem ? null : query, 200) as PagedRows<ListRow<R>>;

  return {
    filters: { search, setSearch, status, setStatus, number, setNumber, range, setRange, setRangeProblem },
    filtered: Boolean(search || status || number),
    rangeProblem: Boolean(rangeProblem),
    sort,
    onSort: (key: string) => setSort(nextSort(sort, key, timeKey)),
    paged,
    resetKey,
  };
}

/** Focus goes back where it was when the panel opened, else to the list's current row. */
export function useReturnFocus(route: ListRoute) {
  const returnFocus = useRef<HTMLElement | null>(null);
  const remember = useCallback(() => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, []);
  const restore = useCallback(() => {
    const el = returnFocus.current;
    requestAnimationFrame(() => {
      if (el && el.isConnected) el.focus();
      else document.querySelector<HTMLElement>(`[data-testid="${route}-table"] tbody tr[tabindex="0"]`)?.focus();
    });
  }, [route]);
  return { remember, restore };
}
