// Batch detail-record reports as a phase of the date-range import (phase.ts), and how the
// import's progress shows them.
import type { ImportProgress } from '../../../../shared/contract.ts';
import type { Ledger } from '../../ledger/index.ts';
import { reportStore } from '../../ledger/import-reports.ts';

import type { ReportSettings } from './phase.ts';

export { runReportPhase, REPORT_TAIL_MS, type ReportPhaseOptions, type ReportSettings } from './phase.ts';
export { csvBatches, ReportUnusable } from './csv-records.ts';

/** The product's report settings from Settings' whole days (0: no reports, pages only). */
export function reportSettings(minDays: number | undefined): ReportSettings | undefined {
  const days = minDays ?? 1;
  return days > 0 ? { minRangeMs: days * 86_400_000 } : undefined;
}

/** The import's reports as its progress shows them (undefined when it used none). */
export function reportViews(ledger: Ledger, importId: number): ImportProgress['reports'] {
  const rows = reportStore(ledger.db).list(importId);
  if (rows.length === 0) return undefined;
  return rows.map((r) => ({
    recordType: r.recordType,
    phase: r.state,
    range: { from: r.coveredFrom, to: r.coveredTo },
    bytes: r.bytesDone,
    totalBytes: r.totalBytes,
    rows: r.rowsDone,
    note: r.note,
  }));
}
