// A real <table> (th scope, aria-sort, aria-rowcount/rowindex) whose body is virtualized
// with @tanstack/react-virtual: only the rows on screen exist in the DOM. Rows come from
// usePagedRows, so a million-row list fetches only what is visible. Lists taller than the
// browser's maximum element height scroll proportionally (see scrollScale.ts).
// Keyboard: one row is in the tab order (roving tabindex); arrows/Page/Home/End move,
// Enter or Space opens the row.
import { elementScroll, observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { PagedRows } from '../hooks/usePagedRows.ts';
import { scrollScale } from './scrollScale.ts';

export interface Column<Row> {
  id: string;
  header: string;
  /** Minimum width in px; `grow` columns share the spare width. */
  width: number;
  grow?: boolean;
  align?: 'left' | 'right' | 'center';
  sortKey?: string;
  cell(row: Row): ReactNode;
}

export interface SortState {
  key: string;
  dir: 'asc' | 'desc';
}

interface Props<Row> {
  label: string;
  testId: string;
  columns: Column<Row>[];
  paged: PagedRows<Row>;
  /** Changes whenever the query changes: scrolls back to the top. */
  resetKey: string;
  rowKey(row: Row): string | number;
  rowTestId?(row: Row): string;
  sort?: SortState;
  onSort?(key: string): void;
  onOpen?(row: Row, index: number): void;
  activeKey?: string | number | null;
  empty: ReactNode;
  rowHeight?: number;
}

const HEADER_PX = 32;

export function VirtualTable<Row>(props: Props<Row>) {
  const { columns, paged, rowHeight = 32, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const focusRef = useRef(0);
  const pendingFocus = useRef<number | null>(null);
  const total = paged.total ?? 0;
  const ensure = paged.ensure;

  const viewport = Math.max((scrollRef.current?.clientHeight ?? 600) - HEADER_PX, rowHeight);
  const scale = scrollScale(total, rowHeight, viewport);
  const ratio = useRef(scale.ratio);
  ratio.current = scale.ratio;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    // Report and write scroll positions in list ("virtual") pixels.
    observeElementOffset: (instance, cb) => observeElementOffset(instance, (offset, scrolling) => cb(offset * ratio.current, scrolling)),
    scrollToFn: (offset, options, instance) =>
      elementScroll(offset / ratio.current, { ...options, adjustments: (options.adjustments ?? 0) / ratio.current }, instance),
  });
  const items = virtualizer.getVirtualItems();
  const offset = virtualizer.scrollOffset ?? 0;
  // DOM position of virtual pixel v inside the body: scrollTop + (v - offset).
  const shift = offset / scale.ratio - offset;
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  // The tab stop stays on the remembered row while it is rendered, else the first one shown.
  const tabStop = focusIndex >= first && focusIndex <= last ? focusIndex : first;

  useEffect(() => {
    if (total > 0) ensure(first, last);
  }, [first, last, total, ensure]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    focusRef.current = 0;
    setFocusIndex(0);
  }, [props.resetKey]);

  useEffect(() => {
    if (total > 0 && focusRef.current >= total) {
      focusRef.current = total - 1;
      setFocusIndex(total - 1);
    }
  }, [total]);

  // Focus a row once it is rendered (after keyboard moves that scrolled it into view).
  useLayoutEffect(() => {
    const want = pendingFocus.current;
    if (want === null) return;
    const el = bodyRef.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${want}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });

  const scrollIntoView = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const vp = Math.max(el.clientHeight - HEADER_PX, rowHeight);
      const top = index * rowHeight;
      const current = virtualizer.scrollOffset ?? 0;
      let target: number | null = null;
      if (top < current) target = top;
      else if (top + rowHeight > current + vp) target = top + rowHeight - vp;
      if (target !== null) el.scrollTop = target / ratio.current;
    },
    [rowHeight, virtualizer],
  );

  const moveTo = (index: number) => {
    if (total === 0) return;
    const i = Math.max(0, Math.min(total - 1, index));
    focusRef.current = i;
    setFocusIndex(i);
    pendingFocus.current = i;
    scrollIntoView(i);
    const el = bodyRef.current?.querySelector<HTMLTableRowElement>(`tr[data-index="${i}"]`);
    if (el && el.getBoundingClientRect().height > 0) {
      // Already on screen: focus now so fast key repeats never act on a stale row.
      el.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  };

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, row: Row | undefined) => {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_PX) / rowHeight) - 1);
    const at = focusRef.current;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(at + 1);
        break;
      case 'ArrowUp':
        moveTo(at - 1);
        break;
      case 'PageDown':
        moveTo(at + page);
        break;
      case 'PageUp':
        moveTo(at - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(total - 1);
        break;
      case 'Enter':
      case ' ':
        if (row && onOpen) onOpen(row, at);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const sortFor = (c: Column<Row>): 'ascending' | 'descending' | undefined =>
    props.sort && c.sortKey && props.sort.key === c.sortKey ? (props.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined;

  const interactive = Boolean(onOpen);
  const gridTemplateColumns = columns.map((c) => (c.grow ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)).join(' ');
  const minWidth = columns.reduce((s, c) => s + c.width, 0);

  return (
    <div className="vt-wrap">
      <div
        className="vt-scroll"
        ref={scrollRef}
        // Without focusable rows the scroller itself must be reachable to scroll by keyboard.
        tabIndex={interactive ? undefined : 0}
        role={interactive ? undefined : 'region'}
        aria-label={interactive ? undefined : `${props.label} (scrollable)`}
      >
        <table
          className="vt"
          aria-label={props.label}
          aria-rowcount={total + 1}
          data-testid={props.testId}
          data-total={paged.total ?? undefined}
          style={{ minWidth }}
        >
          <thead className="vt-head">
            <tr className="vt-row" aria-rowindex={1} style={{ gridTemplateColumns, height: HEADER_PX }}>
              {columns.map((c) => (
                <th key={c.id} scope="col" className={`align-${c.align ?? 'left'}`} aria-sort={sortFor(c)}>
                  {c.sortKey && props.onSort ? (
                    <button type="button" className="th-sort" onClick={() => props.onSort?.(c.sortKey!)} data-testid={`${props.testId}-sort-${c.id}`}>
                      {c.header}
                      <span aria-hidden="true" className="sort-mark">
                        {sortFor(c) === 'ascending' ? '▲' : sortFor(c) === 'descending' ? '▼' : ''}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody ref={bodyRef} className="vt-body" style={{ height: scale.bodyPx }}>
            {items.map((vi) => {
              const row = paged.rowAt(vi.index);
              const active = row !== undefined && props.activeKey !== undefined && props.activeKey === props.rowKey(row);
              return (
                <tr
                  // Keyed by position, not by row id: the element (and its focus) survives its
                  // page arriving, a refresh, or a re-sort.
                  key={vi.index}
                  data-index={vi.index}
                  aria-rowindex={vi.index + 2}
                  className={`vt-row${interactive ? ' vt-row-interactive' : ''}${active ? ' vt-row-active' : ''}${vi.index % 2 ? ' vt-row-odd' : ''}`}
                  style={{ gridTemplateColumns, height: rowHeight, transform: `translateY(${vi.start + shift}px)` }}
                  tabIndex={interactive ? (vi.index === tabStop ? 0 : -1) : undefined}
                  aria-current={active ? 'true' : undefined}
                  aria-busy={row ? undefined : true}
                  data-testid={row && props.rowTestId ? props.rowTestId(row) : undefined}
                  onClick={
                    interactive && row
                      ? () => {
                          focusRef.current = vi.index;
                          setFocusIndex(vi.index);
                          onOpen?.(row, vi.index);
                        }
                      : undefined
                  }
                  onFocus={
                    interactive
                      ? () => {
                          focusRef.current = vi.index;
                          setFocusIndex(vi.index);
                        }
                      : undefined
                  }
                  onKeyDown={interactive ? (e) => onRowKey(e, row) : undefined}
                >
                  {row
                    ? columns.map((c) => (
                        <td key={c.id} className={`align-${c.align ?? 'left'}`} data-col={c.id}>
                          {c.cell(row)}
                        </td>
                      ))
                    : columns.map((c, i) => (
                        <td key={c.id} className="vt-loading">
                          {i === 0 ? 'Loading…' : ''}
                        </td>
                      ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        {paged.total === 0 && !paged.loading && !paged.error && <div className="empty-state">{props.empty}</div>}
      </div>
    </div>
  );
}
