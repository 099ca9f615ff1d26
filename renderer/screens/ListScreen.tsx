// What the Calls and Messages screens share: a server-side paged, virtualized list under a
// toolbar of filters, its count in the head, the way back to the Overview, and the panel of
// the opened row, which lies over the list and gives focus back to the row when it closes.
import { useCallback, useRef, type ReactNode } from 'react';
import { DrillBack } from '../components/DrillBack.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ScreenPage } from '../components/ScreenPage.tsx';
import { VirtualTable, type Column, type SortState } from '../components/VirtualTable.tsx';
import { usePagedRows, type ListQuery, type PagedRows } from '../hooks/usePagedRows.ts';
import { intText } from '../lib/format.ts';
import { TITLES } from '../lib/routes.ts';

type ListRoute = 'calls' | 'messages';
const METHOD = { calls: 'calls.list', messages: 'messages.list' } as const;
const NOUN = { calls: 'call', messages: 'message' } as const;

/** The filters that are set, in their order (an empty text is "any", and is left out). */
export function setFilters<T extends Record<string, string>>(f: T): { [K in keyof T]?: Exclude<T[K], ''> } {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== '')) as { [K in keyof T]?: Exclude<T[K], ''> };
}

/** A click on the sorted column turns it round; another column starts ascending, the time newest first. */
export function nextSort(sort: SortState, key: string, timeKey: string): SortState {
  return sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === timeKey ? 'desc' : 'asc' };
}

/**
 * The list's rows, and the key that scrolls the table back to the top when the query changes.
 * Reversed or missing custom dates: no rows at all, never the previous range's.
 */
export function useListRows<R extends ListRoute>(route: R, query: ListQuery<(typeof METHOD)[R]>, rangeProblem: boolean) {
  const resetKey = `${JSON.stringify(query)}${rangeProblem ? '|no range' : ''}`;
  const paged = usePagedRows(METHOD[route], rangeProblem ? null : query, 200);
  return { paged, resetKey };
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

interface Props<Row> {
  route: ListRoute;
  /** The number the list is filtered to (the Overview's drill-down offers the way back). */
  number: string;
  filters: ReactNode;
  /** A filter beside the period is set: an empty list says so. */
  filtered: boolean;
  rangeProblem: boolean;
  paged: PagedRows<Row>;
  resetKey: string;
  columns: Column<Row>[];
  sort: SortState;
  onSort(key: string): void;
  onOpen(row: Row): void;
  activeKey: string | number | null;
  /** The opened row's panel, or null. */
  panel: ReactNode;
}

export function ListScreen<Row extends { id: string | number }>(p: Props<Row>) {
  const { route, paged } = p;
  const noun = NOUN[route];
  return (
    <ScreenPage
      route={route}
      fill
      head={
        <p className="count" role="status" aria-live="polite" data-testid={`${route}-total`}>
          {paged.total === null ? (paged.error ? '' : 'Loading…') : `${intText(paged.total)} ${noun}${paged.total === 1 ? '' : 's'}`}
        </p>
      }
    >
      <DrillBack screen={route} number={p.number} />
      <div className="toolbar" role="search" aria-label={`${noun[0]!.toUpperCase()}${noun.slice(1)} filters`}>
        {p.filters}
      </div>
      {paged.error && <ErrorNotice error={paged.error} testId={`${route}-error`} />}
      <div className={`split${p.panel ? ' split-open' : ''}`}>
        <VirtualTable
          label={TITLES[route]}
          testId={`${route}-table`}
          columns={p.columns}
          paged={paged}
          resetKey={p.resetKey}
          rowKey={(r) => r.id}
          rowTestId={(r) => `${noun}-row-${r.id}`}
          sort={p.sort}
          onSort={p.onSort}
          onOpen={p.onOpen}
          activeKey={p.activeKey}
          empty={
            <p data-testid={`${route}-empty`}>
              {p.rangeProblem
                ? `No ${route} shown: the dates above do not make a period.`
                : p.filtered
                  ? `No ${route} match these filters.`
                  : `No ${route} in this range — import a date range or wait for the next sync.`}
            </p>
          }
        />
        {p.panel}
      </div>
    </ScreenPage>
  );
}
