// Calls: server-side paged, sorted and filtered list (virtualized; fine at a million rows)
// with a detail panel for the selected call.
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import type { CallRow, CallsQuery } from '../../../shared/contract.ts';
import type { CallBadge } from '../../../shared/domain.ts';
import { Badge, badgeLabel } from '../../components/Badge.tsx';
import { Billed } from '../../components/Billed.tsx';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { LocalTime } from '../../components/LocalTime.tsx';
import { Money } from '../../components/Money.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { VirtualTable, type Column, type SortState } from '../../components/VirtualTable.tsx';
import { usePagedRows } from '../../hooks/usePagedRows.ts';
import { DrillBack } from '../../components/DrillBack.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { usePeriod } from '../../hooks/usePeriod.ts';
import { useStickyState } from '../../hooks/useStickyState.ts';
import { humanize, intText } from '../../lib/format.ts';
import { CallDetailPanel } from './CallDetailPanel.tsx';

type CallSortKey = NonNullable<CallsQuery['sort']>;

const BADGES: CallBadge[] = ['estimated', 'exact', 'partial', 'pending', 'failed', 'not_billable', 'no_record', 'open'];

// Widths fit the longest value each column shows (a money cell holds "-0.000000001 USD"),
// and together fit a 1280 px window; the cost source is in the status badge's title and the panel.
const COLUMNS: Column<CallRow>[] = [
  { id: 'started', header: 'Started', width: 156, sortKey: 'startedAt', cell: (r) => <LocalTime ms={r.startedAt} /> },
  { id: 'direction', header: 'Dir.', width: 44, cell: (r) => (r.direction === 'inbound' ? 'In' : 'Out') },
  { id: 'our', header: 'Our number', width: 132, sortKey: 'ourNumber', cell: (r) => <span className="mono">{r.ourNumber}</span> },
  { id: 'other', header: 'Other number', width: 132, sortKey: 'otherNumber', cell: (r) => <span className="mono">{r.otherNumber}</span> },
  { id: 'billed', header: 'Billed', width: 80, align: 'right', sortKey: 'billedSec', cell: (r) => <Billed call={r} /> },
  { id: 'estimated', header: 'Estimated', width: 136, align: 'right', sortKey: 'estimated', cell: (r) => <Money value={r.estimated} /> },
  { id: 'exact', header: 'Exact', width: 136, align: 'right', sortKey: 'exact', cell: (r) => <Money value={r.exact} /> },
  { id: 'booked', header: 'Booked', width: 136, align: 'right', sortKey: 'booked', cell: (r) => <Money value={r.booked} /> },
  {
    id: 'status',
    header: 'Status',
    width: 104,
    grow: true,
    cell: (r) => <Badge value={r.badge} title={r.costSource ? `Cost source: ${humanize(r.costSource)}` : undefined} />,
  },
];

export function Calls() {
  const badgeId = useId();
  const [search, setSearch] = useStickyState('calls.search', () => '');
  const [badge, setBadge] = useStickyState<CallBadge | ''>('calls.badge', () => '');
  const [number, setNumber] = useStickyState('calls.number', () => '');
  // The period every screen shares (lib/period.ts): the Overview's choice is this one.
  const [range, setRange] = usePeriod();
  const [sort, setSort] = useStickyState<SortState>('calls.sort', () => ({ key: 'startedAt', dir: 'desc' }));
  // Sticky: a job's link opens its call here (setSticky), and the panel stays across screens.
  const [selected, setSelected] = useStickyState<number | null>('calls.selected', () => null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const query = useMemo(
    () => ({
      sort: sort.key as CallSortKey,
      dir: sort.dir,
      ...(search ? { search } : {}),
      ...(badge ? { badge } : {}),
      ...(number ? { number } : {}),
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    }),
    [sort, search, badge, number, range],
  );
  // Reversed or missing custom dates: no rows at all, never the previous range's.
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);
  const queryKey = `${JSON.stringify(query)}${rangeProblem ? '|no range' : ''}`;
  const paged = usePagedRows('calls.list', rangeProblem ? null : query, 200);

  const onSort = (key: string) =>
    setSort(sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'startedAt' ? 'desc' : 'asc' });

  const open = (row: CallRow) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setSelected(row.id);
  };
  const close = useCallback(() => {
    setSelected(null);
    const el = returnFocus.current;
    requestAnimationFrame(() => {
      if (el && el.isConnected) el.focus();
      else document.querySelector<HTMLElement>('[data-testid="calls-table"] tbody tr[tabindex="0"]')?.focus();
    });
  }, [setSelected]);

  const filtered = Boolean(search || badge || number);

  return (
    <ScreenPage
      route="calls"
      fill
      head={
        <p className="count" role="status" aria-live="polite" data-testid="calls-total">
          {paged.total === null ? (paged.error ? '' : 'Loading…') : `${intText(paged.total)} call${paged.total === 1 ? '' : 's'}`}
        </p>
      }
    >
      <DrillBack screen="calls" number={number} />
      <div className="toolbar" role="search" aria-label="Call filters">
        <SearchBox
          value={search}
          onChange={setSearch}
          label="Search number or id"
          placeholder="Digits of a number, or a call leg / session id"
          testId="calls-search"
        />
        <div className="field">
          <label htmlFor={badgeId}>Status</label>
          <select id={badgeId} value={badge} onChange={(e) => setBadge(e.target.value as CallBadge | '')} data-testid="calls-badge">
            <option value="">Any status</option>
            {BADGES.map((b) => (
              <option key={b} value={b}>
                {badgeLabel(b)}
              </option>
            ))}
          </select>
        </div>
        <NumberSelect value={number} onChange={setNumber} testId="calls-number" />
        <DateRangeFilter value={range} onChange={setRange} onProblem={setRangeProblem} allowAll testId="calls-range" />
      </div>
      {paged.error && <ErrorNotice error={paged.error} testId="calls-error" />}
      <div className={`split${selected !== null ? ' split-open' : ''}`}>
        <VirtualTable
          label="Calls"
          testId="calls-table"
          columns={COLUMNS}
          paged={paged}
          resetKey={queryKey}
          rowKey={(r) => r.id}
          rowTestId={(r) => `call-row-${r.id}`}
          sort={sort}
          onSort={onSort}
          onOpen={open}
          activeKey={selected}
          empty={
            rangeProblem ? (
              <p data-testid="calls-empty">No calls shown: the dates above do not make a period.</p>
            ) : filtered ? (
              <p data-testid="calls-empty">No calls match these filters.</p>
            ) : (
              <p data-testid="calls-empty">No calls in this range — import a date range or wait for the next sync.</p>
            )
          }
        />
        {selected !== null && <CallDetailPanel id={selected} onClose={close} />}
      </div>
    </ScreenPage>
  );
}
