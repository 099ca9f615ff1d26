// A call's leg, control and session ids, kept in two levels (migration 18) as an LSM tree
// keeps its keys: triggers on calls add each new key to the small call_keys_recent, whose
// pages stay in the page cache however many commits touch them, and merge() moves them into
// the big call_keys in key order, so it writes each page of call_keys once per merge instead
// of every commit dirtying a page per key (random UUIDs land on a different page each).
// Lookups read both levels through the view call_key_lookup; merging changes no answer.
// The import's bulk path adds its new calls' keys itself, sorted (deferInserts, addFor).
import type { Db } from './open.ts';

/** The kind column of call_keys: which of a call's ids the key is. */
export const CALL_KEY = { leg: 0, control: 1, session: 2 } as const;
export type CallKeyKind = (typeof CALL_KEY)[keyof typeof CALL_KEY];

/**
 * Keys the recent level may hold before a merge: ~100k calls' three ids (~20 MiB of pages).
 * Merging every 50k-100k calls of a 1M import gave 1.65-1.84x the rows/s of the indexes in
 * SQLite alone (npm run bench -- two-level-keys); every 500k, 1.07x.
 */
export const RECENT_KEYS_LIMIT = 300_000;

export function callKeysRepo(db: Db) {
  const recentCount = db.prepare('SELECT count(*) FROM call_keys_recent').pluck();
  // The recent level is read in its own key order (a WITHOUT ROWID table's scan), so the
  // insert walks call_keys from left to right. OR FAIL, not the default ABORT: a statement
  // that may abort keeps a statement journal, which in WAL mode holds a copy of every page of
  // call_keys the merge changes (in memory: temp_store = MEMORY; the 1M page import's RSS 289 -> 416 MB). No key
  // can clash (each is in one level, and call_id is in the key); a failure would roll the
  // whole transaction back anyway.
  const moveUp = db.prepare('INSERT OR FAIL INTO call_keys (kind, key, call_id) SELECT kind, key, call_id FROM call_keys_recent ORDER BY kind, key, call_id');
  const clearRecent = db.prepare('DELETE FROM call_keys_recent');
  // A slice of the merge: the recent keys before the (n+1)-th in key order, a key range of
  // call_keys (row values compare column by column, in the primary key's order).
  const sliceEnd = db.prepare('SELECT kind, key, call_id FROM call_keys_recent ORDER BY kind, key, call_id LIMIT 1 OFFSET ?').raw();
  const below = 'WHERE (kind, key, call_id) < (?, ?, ?)';
  const moveUpBelow = db.prepare(
    `INSERT OR FAIL INTO call_keys (kind, key, call_id) SELECT kind, key, call_id FROM call_keys_recent ${below} ORDER BY kind, key, call_id`,
  );
  const clearBelow = db.prepare(`DELETE FROM call_keys_recent ${below}`);
  const defer = db.prepare('INSERT OR IGNORE INTO call_keys_deferred (one) VALUES (1)');
  const undefer = db.prepare('DELETE FROM call_keys_deferred');
  // The keys of the listed calls (JSON), sorted, so the insert walks call_keys_recent once from
  // left to right instead of landing each key on a random page. OR FAIL as in moveUp: new
  // calls have no keys yet (call_id is in the key), so nothing can clash.
  const ofIds = (column: string) =>
    `SELECT ${column} AS key, id AS call_id FROM calls WHERE id IN (SELECT value FROM json_each(@ids)) AND ${column} IS NOT NULL`;
  const addKeys = db.prepare(
    `INSERT OR FAIL INTO call_keys_recent (kind, key, call_id)
       SELECT ${CALL_KEY.leg}, key, call_id FROM (${ofIds('call_leg_id')})
       UNION ALL SELECT ${CALL_KEY.control}, key, call_id FROM (${ofIds('call_control_id')})
       UNION ALL SELECT ${CALL_KEY.session}, key, call_id FROM (${ofIds('call_session_id')})
       ORDER BY 1, 2, 3`,
  );
  /**
   * Moves every recent key into call_keys, in the caller's transaction (the move and the
   * clear commit together, so a kill leaves each key in exactly one level). Returns how many.
   */
  const merge = (): number => {
    const moved = moveUp.run().changes;
    clearRecent.run();
    return moved;
  };
  return {
    recentCount: (): number => Number(recentCount.get()),
    /**
     * While on (the flag row of migration 19), calls' insert triggers neither check the new
     * call's leg and control ids against the keys nor add its keys: the caller has checked
     * them (bulk-write.ts: the chunk's ids, looked up at its start, and its own) and adds the
     * keys with addFor before anything looks a call up. Set and cleared inside one transaction.
     */
    deferInserts(on: boolean): void {
      (on ? defer : undefer).run();
    },
    /** Adds the keys of these calls (inserted while deferred), in key order. */
    addFor(callIds: readonly number[]): void {
      if (callIds.length) addKeys.run({ ids: JSON.stringify(callIds) });
    },
    merge,
    /**
     * Moves the first `keys` recent keys in key order (every one if there are no more), as
     * merge() does, in the caller's transaction. Its pages are a key range of call_keys, so a
     * slice takes about keys / recentCount of a whole merge's time.
     */
    mergeSlice(keys: number): number {
      const end = sliceEnd.get(keys) as [number, string, number] | undefined;
      if (!end) return merge();
      const moved = moveUpBelow.run(...end).changes;
      clearBelow.run(...end);
      return moved;
    },
  };
}
export type CallKeysRepo = ReturnType<typeof callKeysRepo>;
