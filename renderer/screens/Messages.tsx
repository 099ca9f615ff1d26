// Messages: the same server-side paged, virtualized list as Calls, for SMS/MMS.
import { useCallback, useMemo, useState } from 'react';
import type { MessageRow } from '../../shared/contract.ts';
import type { MessageCostStatus } from '../../shared/domain.ts';
import { Badge, badgeLabel } from '../components/Badge.tsx';
import { DateRangeFilter } from '../components/DateRangeFilter.tsx';
import { LocalTime } from '../components/LocalTime.tsx';
import { Money } from '../components/Money.tsx';
import { NumberSelect } from '../components/NumberSelect.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { SelectField, type Choices } from '../components/SelectField.tsx';
import type { Column, SortState } from '../components/VirtualTable.tsx';
import { usePeriod } from '../hooks/usePeriod.ts';
import { useStickyState } from '../hooks/useStickyState.ts';
import { humanize } from '../lib/format.ts';
import { ListScreen, nextSort, setFilters, useListRows, useReturnFocus } from './ListScreen.tsx';
import { MessageDetailPanel } from './MessageDetailPanel.tsx';

const COST_STATUSES: MessageCostStatus[] = ['open', 'exact', 'not_billable', 'no_record'];

type MessageSortKey = 'sentAt' | 'ourNumber' | 'cost';

// Widths as in Calls: the longest value fits, and the table fits a 1280 px window.
const COLUMNS: Column<MessageRow>[] = [
  { id: 'sent', header: 'Sent', width: 156, sortKey: 'sentAt', cell: (r) => <LocalTime ms={r.sentAt} /> },
  { id: 'direction', header: 'Dir.', width: 44, cell: (r) => (r.direction === 'inbound' ? 'In' : 'Out') },
  { id: 'our', header: 'Our number', width: 132, sortKey: 'ourNumber', cell: (r) => <span className="mono">{r.ourNumber}</span> },
  { id: 'other', header: 'Other number', width: 132, cell: (r) => <span className="mono">{r.otherNumber}</span> },
  { id: 'type', header: 'Type', width: 48, cell: (r) => r.messageType ?? '—' },
  { id: 'parts', header: 'Parts', width: 48, align: 'right', cell: (r) => (r.parts === null ? '—' : String(r.parts)) },
  // Rate per part is in the message panel (with parts, carrier fee and total): the table keeps
  // to what fits at 1280 px.
  { id: 'status', header: 'Delivery', width: 140, cell: (r) => <span title={humanize(r.status)}>{humanize(r.status)}</span> },
  { id: 'cost', header: 'Cost', width: 136, align: 'right', sortKey: 'cost', cell: (r) => <Money value={r.cost} /> },
  { id: 'fee', header: 'Carrier fee', width: 136, align: 'right', cell: (r) => <Money value={r.carrierFee} /> },
  {
    id: 'costStatus',
    header: 'Cost status',
    width: 100,
    grow: true,
    cell: (r) => <Badge value={r.costStatus} title={r.costSource ? `Cost source: ${humanize(r.costSource)}` : undefined} />,
  },
];

const STATUS_CHOICES: Choices<MessageCostStatus | ''> = [['', 'Any status'], ...COST_STATUSES.map((s) => [s, badgeLabel(s)] as const)];

export function Messages() {
  const [search, setSearch] = useStickyState('messages.search', () => '');
  const [number, setNumber] = useStickyState('messages.number', () => '');
  // The period every screen shares (lib/period.ts): the Overview's choice is this one.
  const [range, setRange] = usePeriod();
  const [sort, setSort] = useStickyState<SortState>('messages.sort', () => ({ key: 'sentAt', dir: 'desc' }));
  const [costStatus, setCostStatus] = useStickyState<MessageCostStatus | ''>('messages.costStatus', () => '');
  const [selected, setSelected] = useState<MessageRow | null>(null);
  const { remember, restore } = useReturnFocus('messages');

  const query = useMemo(
    () => ({
      sort: sort.key as MessageSortKey,
      dir: sort.dir,
      ...setFilters({ search, number, costStatus }),
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    }),
    [sort, search, number, costStatus, range],
  );
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);
  const { paged, resetKey } = useListRows('messages', query, Boolean(rangeProblem));

  const open = (row: MessageRow) => {
    remember();
    setSelected(row);
  };
  const close = useCallback(() => {
    setSelected(null);
    restore();
  }, [restore]);

  return (
    <ListScreen
      route="messages"
      number={number}
      filters={
        <>
          <SearchBox
            value={search}
            onChange={setSearch}
            label="Search number or id"
            placeholder="Digits of a number, or a message id"
            testId="messages-search"
          />
          <SelectField label="Cost status" value={costStatus} onChange={setCostStatus} choices={STATUS_CHOICES} testId="messages-status" />
          <NumberSelect value={number} onChange={setNumber} testId="messages-number" />
          <DateRangeFilter value={range} onChange={setRange} onProblem={setRangeProblem} allowAll testId="messages-range" />
        </>
      }
      filtered={Boolean(search || number || costStatus)}
      rangeProblem={Boolean(rangeProblem)}
      paged={paged}
      resetKey={resetKey}
      columns={COLUMNS}
      sort={sort}
      onSort={(key) => setSort(nextSort(sort, key, 'sentAt'))}
      onOpen={open}
      activeKey={selected?.id ?? null}
      panel={selected ? <MessageDetailPanel message={selected} onClose={close} /> : null}
    />
  );
}
