// Calls: server-side paged, sorted and filtered list (virtualized; fine at a million rows)
// with a detail panel for the selected call.
import { useCallback } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import type { CallBadge } from '../../../shared/domain.ts';
import { badgeChoices } from '../../components/Badge.tsx';
import { Billed } from '../../components/Billed.tsx';
import type { Column } from '../../components/VirtualTable.tsx';
import { useStickyState } from '../../hooks/useStickyState.ts';
import { costStatusColumn, moneyColumn, partyColumns, timeColumn } from '../list/columns.tsx';
import { ListScreen, type ListSpec } from '../list/ListScreen.tsx';
import { CallDetailPanel } from './CallDetailPanel.tsx';

const BADGES: CallBadge[] = ['estimated', 'exact', 'partial', 'pending', 'failed', 'not_billable', 'no_record', 'open'];

// The cost source is in the status badge's title and the panel.
const COLUMNS: Column<CallRow>[] = [
  timeColumn('started', 'Started', 'startedAt', (r) => r.startedAt),
  ...partyColumns<CallRow>('otherNumber'),
  { id: 'billed', header: 'Billed', width: 80, align: 'right', sortKey: 'billedSec', cell: (r) => <Billed call={r} /> },
  moneyColumn('estimated', 'Estimated', (r) => r.estimated, 'estimated'),
  moneyColumn('exact', 'Exact', (r) => r.exact, 'exact'),
  moneyColumn('booked', 'Booked', (r) => r.booked, 'booked'),
  costStatusColumn('status', 'Status', 104, (r) => r.badge),
];

const SPEC: ListSpec<'calls'> = {
  route: 'calls',
  noun: 'call',
  columns: COLUMNS,
  timeKey: 'startedAt',
  searchPlaceholder: 'Digits of a number, or a call leg / session id',
  status: { field: 'badge', label: 'Status', choices: [['', 'Any status'], ...badgeChoices(BADGES)], testId: 'calls-badge' },
};

export function Calls() {
  // Sticky: a job's link opens its call here (setSticky), and the panel stays across screens.
  const [selected, setSelected] = useStickyState<number | null>('calls.selected', () => null);
  const onSelect = useCallback((row: CallRow | null) => setSelected(row?.id ?? null), [setSelected]);
  return (
    <ListScreen
      spec={SPEC}
      activeKey={selected}
      onSelect={onSelect}
      panel={(close) => (selected !== null ? <CallDetailPanel id={selected} onClose={close} /> : null)}
    />
  );
}
