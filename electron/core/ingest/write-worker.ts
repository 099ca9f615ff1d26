// The import's write step on a thread of its own: a worker_threads worker owns a second
// connection to the ledger file (WAL: the main thread's connection reads what it commits)
// and commits whole chunks (commitChunk), while the main thread fetches and parses the next
// pages. Chunks are acknowledged one by one, in order; the importer keeps at most a couple in
// flight (backpressure: memory stays bounded however fast the pages come).
//
// The worker rebuilds what cannot cross threads: the comparison estimator from its rates
// (plain data), the raw rows' RawJson from their text (chunk-commit.ts packChunk).
import { Worker } from 'node:worker_threads';
import type { RateSettings } from '../../../shared/contract.ts';
import type { Logger } from '../util/logger.ts';
import {
  packChunk,
  packReportBatch,
  type ChunkJob,
  type CommitOutcome,
  type PackedChunkJob,
  type PackedReportBatchJob,
  type ReportBatchJob,
} from './chunk-commit.ts';
import type { WritePath } from './apply-records.ts';

export interface WriterInit {
  file: string;
  /** Rates of the comparison estimator (costs/comparison.ts), or none. */
  compareRates?: RateSettings;
  writePath?: WritePath;
  /**
   * Spend alerts evaluated in each chunk's transaction, as the session's watchSpend does on
   * the main thread's connection (its hooks do not see the worker's writes).
   */
  spendAlerts?: boolean;
  /** Caps the worker's young generation (MB; V8 sizes it for throughput otherwise). */
  youngGenerationMb?: number;
  /** Caps the worker's old generation (MB; V8 lets it grow lazily otherwise). */
  oldGenerationMb?: number;
  /** The worker connection's SQLite page cache in MiB (default: open.ts's, 64). */
  cacheMb?: number;
}

/**
 * What the app's imports give their write worker, chosen on `npm run bench -- import-engine
 * --bundled` figures (README, "Measured"; 2026-12-05/06, one run each unless said).
 * - Old generation 128 MB: any limit makes V8 size that generation from it rather than from the
 *   machine's memory (64-512 MB all held the heap near 46 MB instead of ~76); 128 is several
 *   times the live set (one page's records open at a time, a chunk's call ids, statements).
 * - Young generation 8 MB (16 before): the heap 46 -> 38 MB at 1M, 153.0 -> 150.8 µs a record.
 * - Page cache 16 MiB (64 before): at 1M a chunk's transaction dirties more random-id index
 *   pages than any cache that fits the RSS budget, so it spills either way. 64, 48, 40 and 32
 *   MiB: 155.2, 155.3, 155.2 and 145.2-149.0 µs a record, RSS 326 -> 289 MB (100 pages a
 *   commit); 16 against 24 (200 pages): 150.6 against 151.9 µs, 284 against 293 MB (the report
 *   import 146.6 / 151.4 µs, 285 / 292 MB). At 100k, 16 MiB cost 0-4% CPU in two runs each,
 *   within the load's noise.
 */
export const APP_WRITER_LIMITS = { youngGenerationMb: 8, oldGenerationMb: 128, cacheMb: 16 } as const satisfies Pick<
  WriterInit,
  'youngGenerationMb' | 'oldGenerationMb' | 'cacheMb'
>;

/** What a committed chunk or report batch tells the importer: the calls whose cost changed, the jobs it settled. */
export type Committed = Pick<CommitOutcome, 'updatedCallIds' | 'settledJobs'>;

export interface ChunkWriter {
  /** Resolves once the worker has opened the ledger; rejects with the reason it could not. */
  ready: Promise<void>;
  /** Commits the chunk in the worker; resolves once committed, with the calls whose cost changed. */
  write(job: ChunkJob): Promise<Committed>;
  /** Commits a batch of a report's CSV rows in the worker (commitReportBatch), as write() a chunk. */
  writeReportBatch(job: ReportBatchJob): Promise<Committed>;
  close(): Promise<void>;
  /** The worker's V8 heap (the bench's account of where the RSS goes); rejects once it has stopped. */
  heapStatistics?(): Promise<HeapInfo>;
}

/** What worker.getHeapStatistics() tells, in the fields the bench reports. */
export type HeapInfo = Pick<import('node:v8').HeapInfo, 'total_heap_size' | 'used_heap_size'>;

/** What the worker is sent: a job of either kind (answered by id, in order), or close. */
export type WriteMessage =
  { id: number; kind: 'chunk'; job: PackedChunkJob } | { id: number; kind: 'report-batch'; job: PackedReportBatchJob } | { close: true };

type Reply = ({ id: number } & Committed) | { id: number; error: string } | { alertsFired: true } | { ready: true };

/**
 * The worker's entry, beside the module that starts it and with its extension: tsx (dev, CLI,
 * browser host, tests) runs write-worker-main.ts from the sources; the desktop bundle
 * (scripts/build-electron.mjs) emits write-worker-main.cjs beside main.cjs, whose
 * import.meta.url is main.cjs's; the bench's ESM bundle has write-worker-main.js.
 */
export function writeWorkerEntry(startingModule: string = import.meta.url): URL {
  const ext = /\.(ts|cjs|mjs|js)$/.exec(new URL(startingModule).pathname)?.[1] ?? 'js';
  return new URL(`./write-worker-main.${ext}`, startingModule);
}

/** Starts the write worker on `file` (the ledger must exist, migrated: the main thread opened it). */
export function startWriteWorker(init: WriterInit, hooks: { onAlertsFired?(): void } = {}): ChunkWriter {
  const worker = new Worker(writeWorkerEntry(), {
    workerData: init,
    resourceLimits: {
      ...(init.youngGenerationMb ? { maxYoungGenerationSizeMb: init.youngGenerationMb } : {}),
      ...(init.oldGenerationMb ? { maxOldGenerationSizeMb: init.oldGenerationMb } : {}),
    },
  });
  const waiting = new Map<number, { resolve(v: Committed): void; reject(e: Error): void }>();
  let next = 0;
  let dead: Error | null = null;
  let opened: () => void = () => undefined;
  let notOpened: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    opened = resolve;
    notOpened = reject;
  });
  ready.catch(() => undefined); // a caller that never asks still learns it from write()
  const failAll = (err: Error) => {
    // The first cause stays (a worker that threw at start-up then exits: its error says why).
    dead ??= err;
    notOpened(dead);
    for (const w of waiting.values()) w.reject(dead);
    waiting.clear();
  };
  worker.on('message', (m: Reply) => {
    if ('alertsFired' in m) return hooks.onAlertsFired?.();
    if ('ready' in m) return opened();
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if ('error' in m) w.reject(new Error(m.error));
    else w.resolve({ updatedCallIds: m.updatedCallIds, settledJobs: m.settledJobs });
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) =>
    failAll(
      new Error(
        `the ledger's write worker stopped (exit code ${code}); the pages and report rows it had not committed are read again when this range is imported again`,
      ),
    ),
  );
  const send = (message: (id: number) => WriteMessage, transfer: ArrayBuffer[] = []): Promise<Committed> => {
    if (dead) return Promise.reject(dead);
    const id = next++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage(message(id), transfer);
    });
  };
  return {
    ready,
    write: (job) => {
      const packed = packChunk(job);
      return send((id) => ({ id, kind: 'chunk', job: packed.job }), packed.transfer);
    },
    writeReportBatch: (job) => {
      const packed = packReportBatch(job);
      return send((id) => ({ id, kind: 'report-batch', job: packed.job }), packed.transfer);
    },
    heapStatistics: () => worker.getHeapStatistics(),
    async close() {
      if (dead) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true });
      await exited;
    },
  };
}

/**
 * The write worker for an import once it has opened the ledger, or null where it cannot run:
 * the import then commits on the main thread, as it did before the worker existed (slower,
 * never wrong), and `logger` says why, once per import. An in-memory ledger has no file a
 * second connection could open; anything else (the entry missing from a bundle, a file the
 * worker cannot open) is what the worker's start-up failed with.
 */
export async function startImportWriter(init: WriterInit, hooks: { onAlertsFired?(): void }, logger?: Logger): Promise<ChunkWriter | null> {
  const fallBack = (reason: string) => {
    logger?.warn({ file: init.file, reason }, 'the write worker cannot run: this import commits on the main thread');
    return null;
  };
  if (init.file === '' || init.file === ':memory:') return fallBack('the ledger is in memory: no file for a second connection');
  let writer: ChunkWriter;
  try {
    writer = startWriteWorker(init, hooks);
  } catch (err) {
    return fallBack(err instanceof Error ? err.message : String(err));
  }
  try {
    await writer.ready;
    return writer;
  } catch (err) {
    await writer.close();
    return fallBack(err instanceof Error ? err.message : String(err));
  }
}
