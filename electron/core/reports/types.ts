import type { NextPage } from './pager.ts';
import type { TimeCell } from './times.ts';
import type { CurrencyTotals } from './totals.ts';

/** What a report is cut to: `to` is exclusive (epoch ms); `number` is one of our numbers. */
export interface ReportFilter {
  from: number;
  to: number;
  number?: string;
  /** Cost attribution filters (views/attribution.ts): calls and messages reports. */
  billingGroup?: string;
  connection?: string;
  profile?: string;
  tag?: string;
  country?: string;
  /** History report: filter and order by the change's time (default) or its call's / message's. */
  historyBy?: 'change' | 'call';
}

/** How a report writes what is not the ledger's own text: times, and whether totals rows end it. */
export interface ReportContext {
  time: TimeCell;
  totalRows: boolean;
}

/** A report's pages, and the per-currency sums they collect (null: the report has none). */
export interface ReportPages {
  next: NextPage;
  totals: CurrencyTotals | null;
}
