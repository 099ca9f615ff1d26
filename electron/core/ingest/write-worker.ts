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
import { packChunk, type ChunkJob } from './chunk-commit.ts';
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
}

export interface ChunkWriter {
  /** Commits the chunk in the worker; resolves once committed, with the calls whose cost changed. */
  write(job: ChunkJob): Promise<{ updatedCallIds: number[] }>;
  close(): Promise<void>;
}

type Reply = { id: number; updatedCallIds: number[] } | { id: number; error: string } | { alertsFired: true };

/** Starts the write worker on `file` (the ledger must exist, migrated: the main thread opened it). */
export function startWriteWorker(init: WriterInit, hooks: { onAlertsFired?(): void } = {}): ChunkWriter {
  // tsx (dev, tests, bench) runs the .ts entry; a bundle ships it as write-worker-main.js.
  const worker = new Worker(new URL(`./write-worker-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url), {
    workerData: init,
    ...(init.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: init.youngGenerationMb } } : {}),
  });
  const waiting = new Map<number, { resolve(v: { updatedCallIds: number[] }): void; reject(e: Error): void }>();
  let next = 0;
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    // The first cause stays (a worker that threw at start-up then exits: its error says why).
    dead ??= err;
    for (const w of waiting.values()) w.reject(dead);
    waiting.clear();
  };
  worker.on('message', (m: Reply) => {
    if ('alertsFired' in m) return hooks.onAlertsFired?.();
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if ('error' in m) w.reject(new Error(m.error));
    else w.resolve({ updatedCallIds: m.updatedCallIds });
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`the ledger's write worker stopped (exit code ${code})`)));
  return {
    write(job) {
      if (dead) return Promise.reject(dead);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, job: packChunk(job) });
      });
    },
    async close() {
      if (dead) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true });
      await exited;
    },
  };
}
