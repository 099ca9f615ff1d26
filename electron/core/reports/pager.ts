// Paging a report out of SQLite without holding the connection.
//
// better-sqlite3 marks the connection busy while an iterator is open: any write on it (the
// poller, the job runner — they share the app's one connection) throws "This database
// connection is busy executing a query". An export to a slow browser download can take
// minutes, so no statement may stay open across an await. Each page is therefore one
// synchronous stmt.all() of at most `limit` rows, resumed by keyset — (time, id)
// strictly after the last row written — on an index that already has that order, so no
// page sorts and no page re-reads earlier rows. Pages are read at different moments: a
// cost that changes mid-export shows its state when its page was read (no row is skipped
// or repeated, since the key of a row never changes).
import type { Statement } from 'better-sqlite3';

/** Up to `limit` records as CSV text (CRLF-terminated lines). */
export interface Page {
  text: string;
  rows: number;
  /** False once the report has no rows after this page. */
  more: boolean;
}

/** Reads the next page synchronously. */
export type NextPage = (limit: number) => Page;

const END: Page = { text: '', rows: 0, more: false };
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
  toLine: (row: unknown[]) => string,
): NextPage {
  stmt.raw(true).safeIntegers(true);
  const bind: Record<string, unknown> = { ...params, afterTime: from, afterId: BEFORE_ANY_ID, limit: 0 };
  let done = false;
  return (limit) => {
    if (done) return END;
    bind.limit = limit;
    const rows = stmt.all(bind) as unknown[][];
    let text = '';
    for (let i = 0; i < rows.length; i++) text += toLine(rows[i]!);
    const last = rows[rows.length - 1];
    if (last) {
      bind.afterTime = last[keys.timeAt];
      bind.afterId = last[keys.idAt];
    }
    done = rows.length < limit;
    return { text, rows: rows.length, more: !done };
  };
}

/** A pager over rows already in memory (the summary: one row per number and currency). */
export function arrayPager<T>(rows: readonly T[], toLine: (row: T) => string): NextPage {
  let i = 0;
  return (limit) => {
    const start = i;
    const end = Math.min(rows.length, i + limit);
    let text = '';
    for (; i < end; i++) text += toLine(rows[i]!);
    return { text, rows: end - start, more: i < rows.length };
  };
}
