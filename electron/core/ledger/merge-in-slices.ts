// The calls' key merge (call-keys.ts) on a thread that must stay responsive: the poller runs
// on the app's main thread, where a whole merge of 300k keys into a 1M-call ledger holds
// everything else for 0.85-1.0 s (npm run bench -- key-merge). So it goes in slices, each its
// own transaction, with the event loop free between them: 25k keys hold it ~45 ms, up to
// ~180 ms for a slice whose commit checkpoints the WAL. Each slice is a key range of
// call_keys: together they take what one merge takes.
import { RECENT_KEYS_LIMIT } from './call-keys.ts';
import type { Ledger } from './index.ts';

/** Keys a slice moves: a twelfth of a due merge. */
export const MERGE_SLICE_KEYS = 25_000;

/** Once the recent level holds `limit` keys, moves all of them, a slice at a time. Returns how many. */
export async function mergeCallKeysInSlices(ledger: Ledger, o: { limit?: number; sliceKeys?: number; signal?: AbortSignal } = {}): Promise<number> {
  const slice = o.sliceKeys ?? MERGE_SLICE_KEYS;
  if (ledger.callKeys.recentCount() < (o.limit ?? RECENT_KEYS_LIMIT)) return 0;
  let moved = 0;
  for (;;) {
    const n = ledger.mergeCallKeysSlice(slice);
    moved += n;
    // Stopped early (cancelled), the keys left wait in the recent level, as lookups expect.
    if (n < slice || o.signal?.aborted) return moved;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
