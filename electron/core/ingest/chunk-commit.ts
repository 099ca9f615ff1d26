// One chunk of an import's pages into the ledger: the pages' records, their problems, their
// "done" marks and the heartbeat in one transaction (a kill before COMMIT leaves none of it,
// after it all of it, and a resume skips those pages). The same function runs on the main
// thread (importer.ts) and in the write worker (write-worker.ts), so both ledgers are equal
// by construction; the worker only adds the hand-off (packChunk / unpackChunk).
import type { RecordType } from '../../../shared/domain.ts';
import type { Ledger } from '../ledger/index.ts';
import type { ComparisonEstimator } from '../costs/comparison.ts';
import { applyRecordBatches, type WritePath } from './apply-records.ts';
import { emptyOutcome, RawJson, stringify, type StoreOutcome } from './store-records.ts';
import type { RecordPage, UnreadableRow } from './importer.ts';

export interface ChunkJob {
  importId: number;
  owner: string;
  recordType: RecordType;
  pages: readonly RecordPage[];
  /** The importer's clock at the chunk's commit (every row's timestamp). */
  now: number;
}

export function commitChunk(ledger: Ledger, job: ChunkJob, o: { compare?: ComparisonEstimator; writePath?: WritePath }): StoreOutcome {
  const { importId, recordType, pages, now } = job;
  return ledger.tx(() => {
    const stored = emptyOutcome();
    for (const p of pages) {
      ledger.imports.setTotals(importId, recordType, p.totalPages, p.totalResults);
      // A page read again replaces what its last reading could not read.
      ledger.imports.setProblems(importId, recordType, p.page, p.problems ?? unnamedProblems(p.rejected), now);
    }
    applyRecordBatches(ledger, pages, o, now, stored);
    for (const p of pages) ledger.imports.markPageDone(importId, recordType, p.page, p.voice.length + p.messages.length, now);
    ledger.imports.heartbeat(importId, job.owner, now);
    return stored;
  });
}

/** A source that only counted its unreadable rows: keep that they were there. */
export function unnamedProblems(count: number): UnreadableRow[] {
  return Array.from({ length: count }, (_, index) => ({ index, reason: 'unreadable row (the source kept no copy)', raw: null }));
}

/**
 * The chunk as postMessage carries it: structured clone keeps bigints and plain objects but
 * not classes, so each record's RawJson travels as its text (a string clones cheaply; the
 * parsed row's object tree would cost as much as parsing it again).
 */
export function packChunk(job: ChunkJob): ChunkJob {
  const text = <R extends { raw: unknown }>(r: R): R => ({ ...r, raw: stringify(r.raw) });
  return { ...job, pages: job.pages.map((p) => ({ ...p, voice: p.voice.map(text), messages: p.messages.map(text) })) };
}

/** The worker's side of packChunk: the raw texts back into RawJson. */
export function unpackChunk(job: ChunkJob): ChunkJob {
  for (const p of job.pages) {
    for (const r of p.voice) r.raw = new RawJson(r.raw as unknown as string) as unknown as Record<string, unknown>;
    for (const r of p.messages) r.raw = new RawJson(r.raw as unknown as string) as unknown as Record<string, unknown>;
  }
  return job;
}
