// A write worker the test stops mid-import: the worker thread ends after the jobs already
// sent to it, so the next chunk or report batch finds it gone (the import must fail clearly).
import type { ImportProgress, RateSettings } from '../../shared/contract.ts';
import { startWriteWorker, type ChunkWriter } from '../../electron/core/ingest/write-worker.ts';

/** A worker on `file`, once it has opened the ledger, and an onProgress that closes it the first time `when` holds. */
export async function workerStoppedWhen(
  file: string,
  compareRates: RateSettings,
  when: (p: ImportProgress) => boolean,
): Promise<{ writer: ChunkWriter; onProgress(p: ImportProgress): void }> {
  const writer = startWriteWorker({ file, compareRates });
  await writer.ready;
  let stopping = false;
  return {
    writer,
    onProgress: (p) => {
      if (stopping || !when(p)) return;
      stopping = true;
      void writer.close();
    },
  };
}
