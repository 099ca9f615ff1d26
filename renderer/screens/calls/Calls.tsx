// Calls: server-side paged, sorted and filtered list (virtualized; fine at a million rows)
// with a detail panel for the selected call.
import { useCallback, useMemo, useState } from 'react';
import type { CallRow, CallsQuery } from '../../../shared/contract.ts';
import type { CallBadge } from '../../../shared/domain.ts';
import { Badge, badgeLabel } from '../../components/Badge.tsx';
import { Billed } from '../../components/Billed.tsx';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { LocalTime } from '../../components/LocalTime.tsx';
import { Money } from '../../components/Money.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { SelectField, type Choices } from '../../components/SelectField.tsx';
import type { Column, SortState } from '../../components/VirtualTable.tsx';
import { usePeriod } from '../../hooks/usePeriod.ts';
import { useStickyState } from '../../hooks/useStickyState.ts';
import { humanize } from '../../lib/format.ts';
import { ListScreen, nextSort, setFilters, useListRows, useReturnFocus } from '../ListScreen.tsx';
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

const BADGE_CHOICES: Choices<CallBadge | ''> = [['', 'Any status'], ...BADGES.map((b) => [b, badgeLabel(b)] as const)];

export function Calls() {
  const [search, setSearch] = useStickyState('calls.search', () => '');
  const [badge, setBadge] = useStickyState<CallBadge | ''>('calls.badge', () => '');
  const [number, setNumber] = useStickyState('calls.number', () => '');
  // The period every screen shares (lib/period.ts): the Overview's choice is this one.
  const [range, setRange] = usePeriod();
  const [sort, setSort] = useStickyState<SortState>('calls.sort', () => ({ key: 'startedAt', dir: 'desc' }));
  // Sticky: a job's link opens its call here (setSticky), and the panel stays across screens.
  const [selected, setSelected] = useStickyState<number | null>('calls.selected', () => null);
  const { remember, restore } = useReturnFocus('calls');

  const query = useMemo(
    () => ({
      sort: sort.key as CallSortKey,
      dir: sort.dir,
      ...setFilters({ search, badge, number }),
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    }),
    [sort, search, badge, number, range],
  );
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);
  const { paged, resetKey } = useListRows('calls', query, Boolean(rangeProblem));

  const open = (row: CallRow) => {
    remember();
    setSelected(row.id);
  };
  const close = useCallback(() => {
    setSelected(null);
    restore();
  }, [setSelected, restore]);

  return (
    <ListScreen
      route="calls"
      number={number}
      filters={
        <>
          <SearchBox
            value={search}
            onChange={setSearch}
            label="Search number or id"
            placeholder="Digits of a number, or a call leg / session id"
            testId="calls-search"
          />
          <SelectField label="Status" value={badge} onChange={setBadge} choices={BADGE_CHOICES} testId="calls-badge" />
          <NumberSelect value={number} onChange={setNumber} testId="calls-number" />
          <DateRangeFilter value={range} onChange={setRange} onProblem={setRangeProblem} allowAll testId="calls-range" />
        </>
      }
      filtered={Boolean(search || badge || number)}
      rangeProblem={Boolean(rangeProblem)}
      paged={paged}
      resetKey={resetKey}
      columns={COLUMNS}
      sort={sort}
      onSort={(key) => setSort(nextSort(sort, key, 'startedAt'))}
      onOpen={open}
      activeKey={selected}
      panel={selected !== null ? <CallDetailPanel id={selected} onClose={close} /> : null}
    />
  );
}
