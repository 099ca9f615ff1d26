// The samples a learned rate is computed from (costs/learned-rates.ts): a number's most
// recent exact calls in one direction, newest first.
import type { Db } from './open.ts';

export interface RateSample {
  nanos: bigint;
  billedSec: number;
  currency: string;
}

const statements = new WeakMap<Db, ReturnType<Db['prepare']>>();
function statement(db: Db) {
  let s = statements.get(db);
  if (!s) {
    // The inner query walks the (our_number, started_at) index newest first and stops after
    // `scan` calls, so a number with no exact calls yet costs a bounded read, not a table scan.
    s = db.prepare(
      `SELECT exact_nanos, billed_sec, currency FROM (
         SELECT exact_nanos, billed_sec, currency, cost_status, direction, started_at FROM calls
         WHERE our_number = @ourNumber ORDER BY started_at DESC LIMIT @scan)
       WHERE direction = @direction AND cost_status = 'exact' AND exact_nanos IS NOT NULL
         AND billed_sec > 0 AND currency IS NOT NULL
       ORDER BY started_at DESC LIMIT @take`,
    );
    statements.set(db, s);
  }
  return s;
}

/** Up to `take` exact calls of `ourNumber` in `direction`, among its `scan` most recent calls. */
export function recentExactCalls(db: Db, p: { ourNumber: string; direction: string; scan: number; take: number }): RateSample[] {
  const rows = statement(db).all(p) as { exact_nanos: number | bigint; billed_sec: number; currency: string }[];
  return rows.map((r) => ({ nanos: BigInt(r.exact_nanos), billedSec: Number(r.billed_sec), currency: r.currency }));
}
