// The write worker's entry (write-worker.ts starts it): opens its own connection to the
// ledger and commits each job it is sent (a chunk of pages, a batch of a report's rows), in
// order, answering with its outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { openLedgerFile } from '../ledger/index.ts';
import { comparisonEstimator } from '../costs/comparison.ts';
import { watchSpend } from '../alerts/api.ts';
import { commitChunk, commitReportBatch, unpackChunk, unpackReportBatch } from './chunk-commit.ts';
import type { WriteMessage, WriterInit } from './write-worker.ts';

const init = workerData as WriterInit;
// Another page cache than the main connection's where asked (the bench compares them).
const ledger = openLedgerFile(init.file, init.cacheMb ? { cacheMb: init.cacheMb } : undefined);
// Firings are stamped with the chunk's clock, as the main thread's watchSpend stamps them with its own.
let now = 0;
if (init.spendAlerts)
  watchSpend(
    ledger,
    () => now,
    () => parentPort!.postMessage({ alertsFired: true }),
  );
const options = { compare: init.compareRates ? comparisonEstimator(init.compareRates) : undefined, writePath: init.writePath };
// The ledger is open: the importer may send chunks (startImportWriter waits for this).
parentPort!.postMessage({ ready: true });

parentPort!.on('message', (m: WriteMessage) => {
  if ('close' in m) {
    ledger.close();
    parentPort!.close();
    return;
  }
  try {
    now = m.job.now;
    const out = m.kind === 'chunk' ? commitChunk(ledger, unpackChunk(m.job), options) : commitReportBatch(ledger, unpackReportBatch(m.job), options);
    parentPort!.postMessage({ id: m.id, updatedCallIds: out.updatedCallIds, settledJobs: out.settledJobs });
  } catch (err) {
    parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
