// The one place a batch of parsed detail records becomes ledger rows during an import, for
// both ways records arrive: pages of /detail_records (importer.ts) and a batch report's CSV
// (report-import/). A faster write path replaces the inside of this function and both gain.
// Call it inside ledger.tx.
import type { ComparisonEstimator } from '../costs/comparison.ts';
import type { Ledger } from '../ledger/index.ts';
import { emptyOutcome, storeMessageRecords, storeVoiceRecords, type MessageRecordLike, type StoreOutcome, type VoiceRecordLike } from './store-records.ts';

export interface RecordBatch {
  voice: readonly VoiceRecordLike[];
  messages: readonly MessageRecordLike[];
}

export function applyRecordBatch(
  ledger: Ledger,
  batch: RecordBatch,
  o: { compare?: ComparisonEstimator },
  now: number,
  out: StoreOutcome = emptyOutcome(),
): StoreOutcome {
  if (batch.voice.length) storeVoiceRecords(ledger, batch.voice, { createCalls: true, compare: o.compare }, now, out);
  if (batch.messages.length) storeMessageRecords(ledger, batch.messages, now, out);
  return out;
}
