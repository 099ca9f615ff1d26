// SQLite's SUM stops with "integer overflow" past int64 (9.2e18 nano-units, ~9.2 billion in
// a currency). One absurd record must not stop a summary, so a reader that meets the overflow
// asks again with big_sum: the same sum, exact, in a JS bigint, handed back as an integer
// when it fits in int64 and as its decimal text when it does not. `asBig` reads either.
import type { Db } from '../ledger/open.ts';

export const BIG_SUM = 'cost_desk_big_sum';
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const registered = new WeakSet<object>();

/** Registers big_sum on this connection (once). */
export function registerBigSum(db: Db): void {
  if (registered.has(db)) return;
  db.aggregate(BIG_SUM, {
    safeIntegers: true,
    deterministic: true,
    start: () => 0n,
    step: (total: bigint, v: unknown) => {
      if (v === null || v === undefined) return total;
      if (typeof v === 'bigint') return total + v;
      if (typeof v === 'number' && Number.isInteger(v)) return total + BigInt(v);
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return total + BigInt(v);
      throw new TypeError(`${BIG_SUM}: not an integer: ${String(v).slice(0, 40)}`);
    },
    result: (total: bigint) => (total > INT64_MAX || total < INT64_MIN ? total.toString() : total),
  });
  registered.add(db);
}

/** The same SQL with every SUM( made a big_sum( (register it first). */
export function withBigSums(sql: string): string {
  return sql.replace(/\bSUM\(/g, `${BIG_SUM}(`);
}

export function isOverflow(err: unknown): boolean {
  return err instanceof Error && /integer overflow/i.test(err.message);
}

/** A sum as read through either statement: integer, bigint or (past int64) decimal text. */
export function asBig(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return 0n;
}
