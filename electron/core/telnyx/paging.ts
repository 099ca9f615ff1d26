// Walks every page of a Telnyx listing: page 1 first (it tells total_pages), then the rest
// with at most `concurrency` pages fetched or waiting at once, delivered strictly in page
// order. In-order delivery is what lets a consumer commit page by page and, after a crash or
// a cancel, resume by skipping the pages it already committed.
import { TelnyxError } from './errors.ts';

export interface PagedOptions {
  /** Pages fetched or buffered ahead of the consumer at once (>= 1). */
  concurrency?: number;
  /** Pages already committed by an earlier run: not fetched (page 1 is fetched for its meta, not delivered). */
  skipPages?: ReadonlySet<number>;
  signal?: AbortSignal;
}

export async function* pagesInOrder<P extends { meta: { totalPages: number } }>(
  fetchPage: (page: number, signal: AbortSignal) => Promise<P>,
  options: PagedOptions = {},
): AsyncGenerator<P, void, undefined> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const skip = options.skipPages ?? new Set<number>();
  // Our own controller: abandoning the walk (break, error) cancels the prefetched pages.
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw new TelnyxError({ kind: 'cancelled', path: null });
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const pending = new Map<number, Promise<P>>();
  try {
    const first = await fetchPage(1, controller.signal);
    let total = first.meta.totalPages;
    if (!skip.has(1)) yield first;

    let next = 2;
    const fill = () => {
      while (pending.size < concurrency && next <= total) {
        const n = next++;
        if (skip.has(n)) continue;
        const p = fetchPage(n, controller.signal);
        p.catch(() => {}); // awaited below in order; this only silences early rejections
        pending.set(n, p);
      }
    };

    for (let page = 2; page <= total; page++) {
      if (skip.has(page)) continue;
      fill();
      const p = pending.get(page);
      if (!p) continue; // cannot happen: fill() schedules every unskipped page in order
      const result = await p;
      pending.delete(page);
      // Records created while we walk can add pages; a shrinking total only leaves empty pages.
      total = Math.max(total, result.meta.totalPages);
      yield result;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (pending.size > 0) controller.abort();
  }
}
