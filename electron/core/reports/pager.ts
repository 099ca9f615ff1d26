// Paging a report out of SQLite without holding the connection.
//
// better-sqlite3 marks the connection busy while an iterator is open: any write on it (the
// poller, the job runner — they share the app's one connection) throws "This database
// connection is busy executing a query". An export to a slow browser download can take
// minutes, so the iterator must never stay open across an await. Each page is therefore
// one synchronous stmt.iterate() of at most `limit` rows, resumed by keyset — (time, id)
// strictly after the last row written — on an index that already has that order, so no
// page sorts and no page re-reads earlier rows. Pages are read at different moments: a
// cost that changes mid-export shows its state when its page was read (no row is skipped
// or repeated, since the key of a row never changes).
import type { Statement } from 'better-sqlite3';

/** Emits up to `limit` rows synchronously; returns false once there are no more rows. */
export type NextPage = (emit: (cells: string[]) => void, limit: number) => boolean;

const BEFORE_ANY_ID = -(2n ** 63n);

/**
 * A keyset pager over a raw (array-row) statement ordered by (time, id) that takes @afterTime,
 * @afterId, @limit (+ `params`: @to, maybe @number). Its WHERE must bound the index range
 * with `time >= @afterTime` and skip what was written with `(time > @afterTime OR id >
 * @afterId)`: the row-value form `(time, id) > (...)` reads right but SQLite then seeks
 * from the range's start on every page (quadratic; measured 5x slower at 100k rows).
 * The first page starts at `from` with an id below any id. Money columns stay exact: the
 * statement runs with safeIntegers(true).
 */
export function keysetPager(
  stmt: Statement,
  from: number,
  params: Record<string, unknown>,
  keys: { timeAt: number; idAt: number },
  toCells: (row: unknown[]) => string[],
): NextPage {
  stmt.raw(true).safeIntegers(true);
  let afterTime: unknown = from;
  let afterId: unknown = BEFORE_ANY_ID;
  let done = false;
  return (emit, limit) => {
    if (done) return false;
    let n = 0;
    let last: unknown[] | undefined;
    for (const row of stmt.iterate({ ...params, afterTime, afterId, limit }) as Iterable<unknown[]>) {
      emit(toCells(row));
      last = row;
      n++;
    }
    if (last) {
      afterTime = last[keys.timeAt];
      afterId = last[keys.idAt];
    }
    done = n < limit;
    return !done;
  };
}

/** A pager over rows already in memory (the summary: one row per number and currency). */
export function arrayPager<T>(rows: readonly T[], toCells: (row: T) => string[]): NextPage {
  let i = 0;
  return (emit, limit) => {
    const end = Math.min(rows.length, i + limit);
    for (; i < end; i++) emit(toCells(rows[i]!));
    return i < rows.length;
  };
}
