// Messages: the same server-side paged, virtualized list as Calls, for SMS/MMS.
import { useState } from 'react';
import type { MessageRow } from '../../shared/contract.ts';
import type { MessageCostStatus } from '../../shared/domain.ts';
import { badgeChoices } from '../components/Badge.tsx';
import type { Column } from '../components/VirtualTable.tsx';
import { humanize } from '../lib/format.ts';
import { costStatusColumn, moneyColumn, partyColumns, timeColumn } from './list/columns.tsx';
import { ListScreen, type ListSpec } from './list/ListScreen.tsx';
import { MessageDetailPanel } from './MessageDetailPanel.tsx';

const COST_STATUSES: MessageCostStatus[] = ['open', 'exact', 'not_billable', 'no_record'];

const COLUMNS: Column<MessageRow>[] = [
  timeColumn('sent', 'Sent', 'sentAt', (r) => r.sentAt),
  ...partyColumns<MessageRow>(),
  { id: 'type', header: 'Type', width: 48, cell: (r) => r.messageType ?? '—' },
  { id: 'parts', header: 'Parts', width: 48, align: 'right', cell: (r) => (r.parts === null ? '—' : String(r.parts)) },
  // Rate per part is in the message panel (with parts, carrier fee and total): the table keeps
  // to what fits at 1280 px.
  { id: 'status', header: 'Delivery', width: 140, cell: (r) => <span title={humanize(r.status)}>{humanize(r.status)}</span> },
  moneyColumn('cost', 'Cost', (r) => r.cost, 'cost'),
  moneyColumn('fee', 'Carrier fee', (r) => r.carrierFee),
  costStatusColumn('costStatus', 'Cost status', 100, (r) => r.costStatus),
];

const SPEC: ListSpec<'messages'> = {
  route: 'messages',
  noun: 'message',
  columns: COLUMNS,
  timeKey: 'sentAt',
  searchPlaceholder: 'Digits of a number, or a message id',
  status: {
    field: 'costStatus',
    label: 'Cost status',
    choices: [['', 'Any status'], ...badgeChoices(COST_STATUSES)],
    testId: 'messages-status',
  },
};

export function Messages() {
  const [selected, setSelected] = useState<MessageRow | null>(null);
  return (
    <ListScreen
      spec={SPEC}
      activeKey={selected?.id ?? null}
      onSelect={setSelected}
      panel={(close) => (selected ? <MessageDetailPanel message={selected} onClose={close} /> : null)}
    />
  );
}
