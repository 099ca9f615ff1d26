// CSV reports: calls, messages, per-number summary and the cost history, streamed from the
// ledger to any Writable (a file in the desktop app, an HTTP download in the browser host).
// See cells.ts for how values become cells (exact money, ISO times, formula neutralizing)
// and csv-writer.ts / pager.ts for how a million rows stream at flat memory.
import type { Writable } from 'node:stream';
import { ExportRequest, type ExportCurrencyTotal, type ReportKind } from '../../../shared/contract.ts';
import { AppFailure } from '../api/types.ts';
import type { Db } from '../ledger/open.ts';
import { CALL_COLUMNS, callsPager } from './calls.ts';
import { writeCsv } from './csv-writer.ts';
import { HISTORY_COLUMNS, historyPager } from './history.ts';
import { MESSAGE_COLUMNS, messagesPager } from './messages.ts';
import { SUMMARY_COLUMNS, summaryPager } from './summary.ts';
import { localTimeZone, resolveTimeZone, timeCell } from './times.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';

export { ExportAbortedError } from './csv-writer.ts';
export { needsNeutralizing } from './cells.ts';

export interface ExportOptions {
  /** Start the file with a UTF-8 BOM (for Excel on Windows). Default: no BOM. */
  bom?: boolean;
  /** Rows per SQLite page (tests use small pages to cross page boundaries). */
  pageRows?: number;
}

/** What a written report holds: data rows (Total rows excluded), per-currency totals, the zone of its times. */
export interface ExportResult {
  rows: number;
  totals: ExportCurrencyTotal[];
  timeZone: string;
}

const REPORTS: Record<ReportKind, { columns: readonly string[]; pager: (db: Db, f: ReportFilter, ctx: ReportContext) => ReportPages }> = {
  calls: { columns: CALL_COLUMNS, pager: callsPager },
  messages: { columns: MESSAGE_COLUMNS, pager: messagesPager },
  summary: { columns: SUMMARY_COLUMNS, pager: summaryPager },
  history: { columns: HISTORY_COLUMNS, pager: historyPager },
};

/** The header row of a report, in order. */
export function reportColumns(report: ReportKind): readonly string[] {
  return REPORTS[report].columns;
}

/**
 * Writes the CSV for `request` to `out` and ends it; resolves with the number of data rows
 * (header and Total rows excluded), the per-currency totals and the time zone used. Rejects
 * with ExportAbortedError when `signal` aborts, or with the error of `out`; on a rejection
 * `out` is left to the caller to destroy.
 */
export async function exportReport(db: Db, request: ExportRequest, out: Writable, signal?: AbortSignal, options: ExportOptions = {}): Promise<ExportResult> {
  const parsed = ExportRequest.safeParse(request);
  if (!parsed.success) {
    throw new AppFailure('invalid_input', `not a valid export request: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const { report, range, number, billingGroup, connection, profile, tag, country, historyBy } = parsed.data;
  const attribution = Object.fromEntries(Object.entries({ billingGroup, connection, profile, tag, country, historyBy }).filter(([, v]) => v !== undefined));
  const timeZone = resolveTimeZone(parsed.data.timeZone ?? localTimeZone());
  const ctx: ReportContext = { time: timeCell(timeZone), totalRows: parsed.data.totals ?? true };
  const spec = REPORTS[report];
  const pages = spec.pager(db, { ...(number === undefined ? { from: range.from, to: range.to } : { ...range, number }), ...attribution }, ctx);
  const rows = await writeCsv(out, spec.columns, pages.next, { signal, bom: options.bom, pageRows: options.pageRows });
  return { rows, totals: pages.totals?.outcome() ?? [], timeZone };
}

/** exportReport bound to a ledger: the host's ExportReportFn. */
export function reportExporter(db: Db, options: ExportOptions = {}) {
  return (request: ExportRequest, out: Writable, signal?: AbortSignal): Promise<ExportResult> => exportReport(db, request, out, signal, options);
}
