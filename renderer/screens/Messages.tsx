// Messages: the same server-side paged, virtualized list as Calls, for SMS/MMS.
import { useCallback, useMemo } from 'react';
import type { MessageRow } from '../../shared/contract.ts';
import { useApi } from '../app/context.ts';
import { Badge } from '../components/Badge.tsx';
import { DateRangeFilter } from '../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { Money } from '../components/Money.tsx';
import { NumberSelect } from '../components/NumberSelect.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { VirtualTable, type Column, type SortState } from '../components/VirtualTable.tsx';
import { useEvent } from '../hooks/useEvent.ts';
import { usePagedRows } from '../hooks/usePagedRows.ts';
import { useStickyState } from '../hooks/useStickyState.ts';
import { dateTimeText, humanize, intText } from '../lib/format.ts';
import type { RangeChoice } from '../lib/ranges.ts';

type MessageSortKey = 'sentAt' | 'ourNumber' | 'cost';

const COLUMNS: Column<MessageRow>[] = [
  { id: 'sent', header: 'Sent', width: 170, sortKey: 'sentAt', cell: (r) => dateTimeText(r.sentAt) },
  { id: 'direction', header: 'Dir.', width: 52, cell: (r) => (r.direction === 'inbound' ? 'In' : 'Out') },
  { id: 'our', header: 'Our number', width: 140, sortKey: 'ourNumber', cell: (r) => <span className="mono">{r.ourNumber}</span> },
  { id: 'other', header: 'Other number', width: 140, cell: (r) => <span className="mono">{r.otherNumber}</span> },
  { id: 'type', header: 'Type', width: 70, cell: (r) => r.messageType ?? '—' },
  { id: 'parts', header: 'Parts', width: 60, align: 'right', cell: (r) => (r.parts === null ? '—' : String(r.parts)) },
  { id: 'status', header: 'Delivery', width: 110, cell: (r) => humanize(r.status) },
  { id: 'rate', header: 'Rate / part', width: 96, align: 'right', cell: (r) => <span className="mono">{r.rate ?? '—'}</span> },
  { id: 'cost', header: 'Total', width: 124, align: 'right', sortKey: 'cost', cell: (r) => <Money value={r.cost} /> },
  { id: 'fee', header: 'Carrier fee', width: 124, align: 'right', cell: (r) => <Money value={r.carrierFee} /> },
  { id: 'costStatus', header: 'Cost status', width: 110, cell: (r) => <Badge value={r.costStatus} /> },
  { id: 'source', header: 'Source', width: 120, grow: true, cell: (r) => <span className="muted">{humanize(r.costSource)}</span> },
];

export function Messages() {
  const api = useApi();
  const [search, setSearch] = useStickyState('messages.search', () => '');
  const [number, setNumber] = useStickyState('messages.number', () => '');
  const [range, setRange] = useStickyState<RangeChoice | null>('messages.range', () => null);
  const [sort, setSort] = useStickyState<SortState>('messages.sort', () => ({ key: 'sentAt', dir: 'desc' }));

  const query = useMemo(
    () => ({
      sort: sort.key as MessageSortKey,
      dir: sort.dir,
      ...(search ? { search } : {}),
      ...(number ? { number } : {}),
      ...(range ? { range: { from: range.from, to: range.to } } : {}),
    }),
    [sort, search, number, range],
  );
  const queryKey = JSON.stringify(query);
  const fetchPage = useCallback((offset: number, limit: number) => api.call('messages.list', { ...query, offset, limit }), [api, query]);
  const paged = usePagedRows(fetchPage, queryKey, 200);

  useEvent('ledger.changed', () => paged.refresh(), 3000);

  const onSort = (key: string) =>
    setSort(sort.key === key ? { key, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'sentAt' ? 'desc' : 'asc' });

  return (
    <section className="screen screen-fill" aria-labelledby="messages-title" data-testid="screen-messages">
      <div className="screen-head">
        <h1 id="messages-title" tabIndex={-1}>
          Messages
        </h1>
        <p className="count" role="status" aria-live="polite" data-testid="messages-total">
          {paged.total === null ? (paged.error ? '' : 'Loading…') : `${intText(paged.total)} message${paged.total === 1 ? '' : 's'}`}
        </p>
      </div>
      <div className="toolbar" role="search" aria-label="Message filters">
        <SearchBox value={search} onChange={setSearch} label="Search number or id" placeholder="+1555…, message id" testId="messages-search" />
        <NumberSelect value={number} onChange={setNumber} testId="messages-number" />
        <DateRangeFilter value={range} onChange={setRange} allowAll testId="messages-range" />
      </div>
      {paged.error && <ErrorNotice error={paged.error} testId="messages-error" />}
      <div className="split">
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
          empty={
            search || number ? (
              <p data-testid="messages-empty">No messages match these filters.</p>
            ) : (
              <p data-testid="messages-empty">No messages in this range — import a date range or wait for the next sync.</p>
            )
          }
        />
      </div>
    </section>
  );
}
