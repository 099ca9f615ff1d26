// The one place batches of parsed detail records become ledger rows during an import, for
// both ways records arrive: pages of /detail_records (importer.ts) and a batch report's CSV
// (report-import/). The bulk path (bulk-write.ts) is the default; the row-by-row path is kept
// as the reference the bulk path is property-tested equal to (test/unit/bulk-write.test.ts).
// Call inside ledger.tx.
import type { ComparisonEstimator } from '../costs/comparison.ts';
import type { Ledger } from '../ledger/index.ts';
import { writeRecordBatches, type RecordBatch } from './bulk-write.ts';
import { emptyOutcome, storeMessageRecords, storeVoiceRecords, type StoreOutcome } from './store-records.ts';

export type { RecordBatch } from './bulk-write.ts';

/** How records are written: 'bulk' (default) or 'per-record' (the reference path). */
export type WritePath = 'bulk' | 'per-record';

export function applyRecordBatches(
  ledger: Ledger,
  batches: readonly RecordBatch[],
  o: { compare?: ComparisonEstimator; writePath?: WritePath },
  now: number,
  out: StoreOutcome = emptyOutcome(),
): StoreOutcome {
  if (o.writePath !== 'per-record') return writeRecordBatches(ledger, batches, { compare: o.compare }, now, out);
  for (const b of batches) {
    if (b.voice.length) storeVoiceRecords(ledger, b.voice, { createCalls: true, compare: o.compare }, now, out);
    if (b.messages.length) storeMessageRecords(ledger, b.messages, now, out);
  }
  return out;
}
