// Columns the Calls and Messages lists show the same way. Widths fit the longest value each
// column shows (a money cell holds "-0.000000001 USD"), and a list's columns together fit a
// 1280 px window.
import type { MoneyValue } from '../../../shared/domain.ts';
import { Badge } from '../../components/Badge.tsx';
import { LocalTime } from '../../components/LocalTime.tsx';
import { Money } from '../../components/Money.tsx';
import type { Column } from '../../components/VirtualTable.tsx';
import { humanize } from '../../lib/format.ts';

interface Parties {
  direction: 'inbound' | 'outbound';
  ourNumber: string;
  otherNumber: string;
}

/** When it happened (local time), sortable. */
export function timeColumn<R>(id: string, header: string, sortKey: string, at: (r: R) => number | null): Column<R> {
  return { id, header, width: 156, sortKey, cell: (r) => <LocalTime ms={at(r)} /> };
}

/** Direction, our number (sortable) and the other party's number. */
export function partyColumns<R extends Parties>(otherSortKey?: string): Column<R>[] {
  return [
    { id: 'direction', header: 'Dir.', width: 44, cell: (r) => (r.direction === 'inbound' ? 'In' : 'Out') },
    { id: 'our', header: 'Our number', width: 132, sortKey: 'ourNumber', cell: (r) => <span className="mono">{r.ourNumber}</span> },
    { id: 'other', header: 'Other number', width: 132, sortKey: otherSortKey, cell: (r) => <span className="mono">{r.otherNumber}</span> },
  ];
}

/** One amount, every digit it has (a call's or message's cost is never rounded). */
export function moneyColumn<R>(id: string, header: string, value: (r: R) => MoneyValue | null, sortKey?: string): Column<R> {
  return { id, header, width: 136, align: 'right', sortKey, cell: (r) => <Money value={value(r)} /> };
}

/** Where the cost stands, as a badge; where it came from is in the badge's title (and the panel). */
export function costStatusColumn<R extends { costSource: string | null }>(id: string, header: string, width: number, status: (r: R) => string): Column<R> {
  return {
    id,
    header,
    width,
    grow: true,
    cell: (r) => <Badge value={status(r)} title={r.costSource ? `Cost source: ${humanize(r.costSource)}` : undefined} />,
  };
}
