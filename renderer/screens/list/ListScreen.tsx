// What the Calls and Messages screens share: a server-side paged, virtualized list under a
// toolbar of filters, its count in the head, the way back to the Overview, and the panel of
// the opened row, which lies over the list and gives focus back to the row when it closes.
import { useCallback, type ReactNode } from 'react';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { DrillBack } from '../../components/DrillBack.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { SelectField, type Choices } from '../../components/SelectField.tsx';
import { VirtualTable, type Column } from '../../components/VirtualTable.tsx';
import { intText } from '../../lib/format.ts';
import { TITLES } from '../../lib/routes.ts';
import { useListState, useReturnFocus, type ListRoute, type ListRow } from './list-state.ts';

/** What makes one list screen: its rows' columns and filters. */
export interface ListSpec<R extends ListRoute> {
  route: R;
  /** 'call', 'message': the count and the rows' test ids say it. */
  noun: string;
  columns: Column<ListRow<R>>[];
  /** The time column's sort key: sorted newest first at first. */
  timeKey: string;
  searchPlaceholder: string;
  /** The status filter: its query field, label and choices. */
  status: { field: string; label: string; choices: Choices<string>; testId: string };
}

interface Props<R extends ListRoute> {
  spec: ListSpec<R>;
  /** The opened row's key, or null. */
  activeKey: string | number | null;
  /** A row opened, or (null) the panel closed. */
  onSelect(row: ListRow<R> | null): void;
  /** The opened row's panel, given its close function; null when no row is open. */
  panel(close: () => void): ReactNode;
}

export function ListScreen<R extends ListRoute>({ spec, activeKey, onSelect, panel }: Props<R>) {
  const { route, noun } = spec;
  const list = useListState(route, spec.status.field, spec.timeKey);
  const f = list.filters;
  const paged = list.paged;
  const { remember, restore } = useReturnFocus(route);
  const close = useCallback(() => {
    onSelect(null);
    restore();
  }, [onSelect, restore]);
  const shown = panel(close);

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
      <DrillBack screen={route} number={f.number} />
      <div className="toolbar" role="search" aria-label={`${noun[0]!.toUpperCase()}${noun.slice(1)} filters`}>
        <SearchBox value={f.search} onChange={f.setSearch} label="Search number or id" placeholder={spec.searchPlaceholder} testId={`${route}-search`} />
        <SelectField label={spec.status.label} value={f.status} onChange={f.setStatus} choices={spec.status.choices} testId={spec.status.testId} />
        <NumberSelect value={f.number} onChange={f.setNumber} testId={`${route}-number`} />
        <DateRangeFilter value={f.range} onChange={f.setRange} onProblem={f.setRangeProblem} allowAll testId={`${route}-range`} />
      </div>
      {paged.error && <ErrorNotice error={paged.error} testId={`${route}-error`} />}
      <div className={`split${shown ? ' split-open' : ''}`}>
        <VirtualTable
          label={TITLES[route]}
          testId={`${route}-table`}
          columns={spec.columns}
          paged={paged}
          resetKey={list.resetKey}
          rowKey={(r) => r.id}
          rowTestId={(r) => `${noun}-row-${r.id}`}
          sort={list.sort}
          onSort={list.onSort}
          onOpen={(row) => {
            remember();
            onSelect(row);
          }}
          activeKey={activeKey}
          empty={
            <p data-testid={`${route}-empty`}>
              {list.rangeProblem
                ? `No ${route} shown: the dates above do not make a period.`
                : list.filtered
                  ? `No ${route} match these filters.`
                  : `No ${route} in this range — import a date range or wait for the next sync.`}
            </p>
          }
        />
        {shown}
      </div>
    </ScreenPage>
  );
}
