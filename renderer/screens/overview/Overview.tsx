// Overview: period, number and group-by filters, the first glance, totals per number (each
// opening its calls and messages) or per group, the daily chart, export.
import { lazy, Suspense, useDeferredValue, useRef, useState } from 'react';
import type { GroupBy } from '../../../shared/contract.ts';
import { ScrollRegion } from '../../components/ScrollRegion.tsx';
import { DateRangeFilter } from '../../components/DateRangeFilter.tsx';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { NumberSelect } from '../../components/NumberSelect.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { ScreenPage } from '../../components/ScreenPage.tsx';
import { right, TableHead } from '../../components/TableHead.tsx';
import { useQuery } from '../../hooks/useQuery.ts';
import { useStickyState } from '../../hooks/useStickyState.ts';
import { usePeriod } from '../../hooks/usePeriod.ts';
import { totalText } from '../../lib/money.ts';
import { ALL_TIME, DEFAULT_NUMBER, dailyInput, destinationsInput, groupsInput, summaryInput } from './queries.ts';
import { FirstGlance } from './FirstGlance.tsx';
import { previousRange } from './glance.ts';
import { MoneyLegend, SummaryTable } from './SummaryTable.tsx';
import { GROUP_BYS, GROUP_LABELS, GroupTable } from './GroupTable.tsx';

// Not needed for the first paint: the chart (recharts is the biggest dependency) comes after
// the table, the export dialog when asked for.
const DailyChart = lazy(() => import('./DailyChart.tsx'));
const ExportDialog = lazy(() => import('./ExportDialog.tsx').then((m) => ({ default: m.ExportDialog })));

const GROUP_CHOICES = GROUP_BYS.map((g) => [g, GROUP_LABELS[g]] as const);

export function Overview() {
  // null: "All time".
  const [range, setRange] = usePeriod();
  const [number, setNumber] = useStickyState<string>('overview.number', () => DEFAULT_NUMBER);
  const [by, setBy] = useStickyState<GroupBy>('overview.groupBy', () => 'number');
  const [exportOpen, setExportOpen] = useState(false);
  // Reversed or missing custom dates: the figures of the last valid period are hidden.
  const [rangeProblem, setRangeProblem] = useState<string | null>(null);

  const period = range ?? ALL_TIME;
  const summary = useQuery('overview.summary', summaryInput(period, number));
  const daily = useQuery('overview.daily', dailyInput(period, number));
  // The period before, for the first glance (none for "All time").
  const previous = useQuery('overview.summary', range && !rangeProblem ? summaryInput(previousRange(range), number) : null);
  // Top destinations (by country) for the first glance, and the period before's.
  const destinations = useQuery('overview.groups', destinationsInput(period, number));
  const previousDestinations = useQuery('overview.groups', range && !rangeProblem ? destinationsInput(previousRange(range), number) : null);
  // By number the table is the summary's rows (through the caches); by anything else the core groups.
  const groups = useQuery('overview.groups', by !== 'number' && !rangeProblem ? groupsInput(period, number, by) : null);
  // What the rows shown are grouped by: while another grouping loads, the previous rows stay
  // (no flicker), headed by their own grouping, never by the new one.
  const groupsBy = useRef<GroupBy>(by);
  if (groups.data && !groups.previous) groupsBy.current = by;

  const rows = summary.data?.rows ?? [];
  // The per-day section (chart and table) follows the table in a render of its own: the
  // first render, with answers prefetched at boot, then commits the table sooner.
  const dailyData = useDeferredValue(daily.data, null);
  const points = dailyData?.points ?? [];

  return (
    <ScreenPage
      route="overview"
      head={
        <button type="button" className="btn" onClick={() => setExportOpen(true)} data-testid="export-open">
          Export…
        </button>
      }
    >
      <div className="toolbar" role="search" aria-label="Overview filters">
        <DateRangeFilter value={range} onChange={setRange} onProblem={setRangeProblem} allowAll testId="overview-range" />
        <NumberSelect value={number} onChange={setNumber} testId="overview-number" />
        <SelectField label="Group by" value={by} onChange={setBy} choices={GROUP_CHOICES} testId="overview-group-by" />
        {(summary.loading || daily.loading || groups.loading) && (
          <span className="muted" role="status">
            Updating…
          </span>
        )}
      </div>

      {!rangeProblem && summary.data && rows.length > 0 && (
        <>
          <h2 className="section-title">At a glance</h2>
          <FirstGlance
            rows={rows}
            previous={range ? (previous.data?.rows ?? []) : null}
            destinations={destinations.data?.rows ?? null}
            previousDestinations={range ? (previousDestinations.data?.rows ?? []) : null}
          />
        </>
      )}

      <h2 className="section-title">Per {GROUP_LABELS[by].toLowerCase()}</h2>
      {summary.error && <ErrorNotice error={summary.error} testId="overview-error" />}
      {groups.error && <ErrorNotice error={groups.error} testId="groups-error" />}
      {rangeProblem ? (
        <div className="empty-state" data-testid="overview-empty">
          <p>No figures shown: the dates above do not make a period.</p>
        </div>
      ) : summary.data && rows.length === 0 ? (
        <div className="empty-state" data-testid="overview-empty">
          <p>No calls or messages in this period.</p>
          <p className="muted">Import a date range (Import) or wait for the next sync.</p>
        </div>
      ) : rows.length > 0 ? (
        <>
          {by === 'number' ? <SummaryTable rows={rows} /> : groups.data ? <GroupTable by={groupsBy.current} rows={groups.data.rows} /> : null}
          <MoneyLegend />
        </>
      ) : null}

      <h2 className="section-title">Per day</h2>
      {daily.error && <ErrorNotice error={daily.error} testId="daily-error" />}
      {rangeProblem ? null : dailyData && points.length === 0 ? (
        <p className="muted" data-testid="daily-empty">
          Nothing booked per day in this period.
        </p>
      ) : points.length > 0 ? (
        <>
          <Suspense fallback={<p className="muted">Loading chart…</p>}>
            <DailyChart points={points} />
          </Suspense>
          <details className="daily-table">
            <summary>Daily figures as a table</summary>
            <ScrollRegion label="Daily figures">
              <table className="data-table" data-testid="daily-table">
                <caption className="sr-only">Cost per day and currency</caption>
                <TableHead columns={['Day', 'Currency', right('Estimated'), right('Exact known'), right('Booked')]} />
                <tbody>
                  {points.map((p) => (
                    <tr key={`${p.day}|${p.currency}`}>
                      <th scope="row">{p.day}</th>
                      <td>{p.currency}</td>
                      <td className="align-right money" title={`${p.estimated} ${p.currency}`}>
                        {totalText(p.estimated, p.currency)}
                      </td>
                      <td className="align-right money" title={`${p.exact} ${p.currency}`}>
                        {totalText(p.exact, p.currency)}
                      </td>
                      <td className="align-right money" title={`${p.booked} ${p.currency}`}>
                        {totalText(p.booked, p.currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </details>
        </>
      ) : null}

      {exportOpen && (
        <Suspense fallback={null}>
          <ExportDialog range={period} number={number} onClose={() => setExportOpen(false)} />
        </Suspense>
      )}
    </ScreenPage>
  );
}
