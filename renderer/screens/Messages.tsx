// Messages: the same server-side paged, virtualized list as Calls, for SMS/MMS.
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import type { MessageRow } from '../../shared/contract.ts';
import type { MessageCostStatus } from '../../shared/domain.ts';
import { Badge, badgeLabel } from '../components/Badge.tsx';
import { DateRangeFilter } from '../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LocalTime } from '../components/LocalTime.tsx';
import { Money } from '../components/Money.tsx';
import { NumberSelect } from '../components/NumberSelect.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { VirtualTable, type Column, type SortState } from '../components/VirtualTable.tsx';
import { usePagedRows } from '../hooks/usePagedRows.ts';
import { DrillBack } from '../components/DrillBack.tsx';
import { ScreenPage } from '../components/ScreenPage.tsx';
import { usePeriod } from '../hooks/usePeriod.ts';
import { useStickyState } from '../hooks/useStickyState.ts';
import { humanize, intText } from '../lib/format.ts';
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

export function Messages() {
  const [search, setSearch] = useStickyState('messages.search', () => '');
  const [number, setNumber] = useStickyState('messages.number', () => '');
  // The period every screen shares (lib/period.ts): the Overview's choice is this one.
  const [range, setRange] = usePeriod();
  const [sort, setSort] = useStickyState<SortState>('messages.sort', () => ({ key: 'sentAt', dir: 'desc' }));
  const [costStatus, setCostStatus] = useStickyState<MessageCostStatus | ''>('messages.costStatus', () => '');
  const statusId = useId();
  const [selected, setSelected] = useState<MessageRow | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const query = useMemo(
    () => ({
      sort: sort.key as MessageSortKey,
      dir: sort.dir,
      ...(search ? { search } : {}),
      ...(number ? { number } : {}),
      ...(costStatus ? { costStatus } : {}),
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    }),
    [sort, search, number, costStatus, range],
  );
  // Reversed or missing custom dates: no rows at all, never the previous range's.
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);
  const queryKey = `${JSON.stringify(query)}${rangeProblem ? '|no range' : ''}`;
  const paged = usePagedRows('messages.list', rangeProblem ? null : query, 200);

  const open = (row: MessageRow) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setSelected(row);
  };
  const close = useCallback(() => {
    setSelected(null);
    const el = returnFocus.current;
    requestAnimationFrame(() => {
      if (el && el.isConnected) el.focus();
      else document.querySelector<HTMLElement>('[data-testid="messages-table"] tbody tr[tabindex="0"]')?.focus();
    });
  }, []);

  const onSort = (key: string) =>
    setSort(sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'sentAt' ? 'desc' : 'asc' });

  return (
    <ScreenPage
      route="messages"
      fill
      head={
        <p className="count" role="status" aria-live="polite" data-testid="messages-total">
          {paged.total === null ? (paged.error ? '' : 'Loading…') : `${intText(paged.total)} message${paged.total === 1 ? '' : 's'}`}
        </p>
      }
    >
      <DrillBack screen="messages" number={number} />
      <div className="toolbar" role="search" aria-label="Message filters">
        <SearchBox value={search} onChange={setSearch} label="Search number or id" placeholder="Digits of a number, or a message id" testId="messages-search" />
        <div className="field">
          <label htmlFor={statusId}>Cost status</label>
          <select id={statusId} value={costStatus} onChange={(e) => setCostStatus(e.target.value as MessageCostStatus | '')} data-testid="messages-status">
            <option value="">Any status</option>
            {COST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {badgeLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <NumberSelect value={number} onChange={setNumber} testId="messages-number" />
        <DateRangeFilter value={range} onChange={setRange} onProblem={setRangeProblem} allowAll testId="messages-range" />
      </div>
      {paged.error && <ErrorNotice error={paged.error} testId="messages-error" />}
      <div className={`split${selected ? ' split-open' : ''}`}>
        <VirtualTable
          label="Messages"
          testId="messages-table"
          columns={COLUMNS}
          paged={paged}
          resetKey={queryKey}
          rowKey={(r) => r.id}
          rowTestId={(r) => `message-row-${r.id}`}
          sort={sort}
          onSort={onSort}
          onOpen={open}
          activeKey={selected?.id ?? null}
          empty={
            rangeProblem ? (
              <p data-testid="messages-empty">No messages shown: the dates above do not make a period.</p>
            ) : search || number || costStatus ? (
              <p data-testid="messages-empty">No messages match these filters.</p>
            ) : (
              <p data-testid="messages-empty">No messages in this range — import a date range or wait for the next sync.</p>
            )
          }
        />
        {selected && <MessageDetailPanel message={selected} onClose={close} />}
      </div>
    </ScreenPage>
  );
}
