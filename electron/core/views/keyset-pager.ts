// Paging a report (core/reports) out of SQLite without holding the connection.
//
// better-sqlite3 marks the connection busy while an iterator is open: any write on it (the
// poller, the job runner — they share the app's one connection) throws "This database
// connection is busy executing a query". An export to a slow browser download can take
// minutes, so no statement may stay open across an await. Each page is therefore one
// synchronous query of at most `limit` rows, resumed by keyset — (time, id) strictly after
// the last row written — on an index that already has that order, so no page sorts and no
// page re-reads earlier rows. Pages are read at different moments: a cost that changes
// mid-export shows its state when its page was read (no row is skipped or repeated, since
// the key of a row never changes).
//
// A page comes back as ONE value: a JSON array of row arrays, built by SQLite
// (json_array per row, group_concat per page) and read with JSON.parse. better-sqlite3 on
// Node 20 builds every value it returns through the V8 API, ~100 ns each: 20 columns a row
// made that the largest cost of a million-row export. One string per page cut reading 1M
// calls rows from ~2.8 to ~1.8 s of CPU, the whole export by about a fifth (A/B runs of
// the test/bench/export.ts fixture). JSON keeps text exact (every character, NUL
// included) and integers up to 2^53. Anything else — a bigger integer, a float, a BLOB
// (json_array refuses it), rows out of order (group_concat does not promise its order) —
// is detected, and that page is read again the plain way: raw rows with safeIntegers, as
// exact as SQLite holds them. cells.ts formats both forms the same.
import type { Db } from '../ledger/open.ts';

/** Up to `limit` records as CSV text (CRLF-terminated lines). */
export interface Page {
  text: string;
  rows: number;
  /** False once the report has no rows after this page. */
  more: boolean;
}

/** Reads the next page synchronously. */
export type NextPage = (limit: number) => Page;

const BEFORE_ANY_ID = -(2n ** 63n);

export interface KeysetQuery {
  /** The row's SQL expressions, in order. */
  columns: readonly string[];
  /** FROM and joins. */
  from: string;
  /** The time and id keys (integers): an index must hold (time, id) in this order. */
  time: string;
  id: string;
  /** Where the keys are in the row, to resume after the last one. */
  timeAt: number;
  idAt: number;
  /** Extra condition (the number filter), or ''. */
  filter: string;
}

/**
 * A keyset pager. The WHERE bounds the index range with `time >= @afterTime` and skips what
 * was written with `(time > @afterTime OR id > @afterId)`: the row-value form
 * `(time, id) > (...)` reads right but SQLite then seeks from the range's start on every
 * page (quadratic; measured 5x slower at 100k rows). The first page starts at `from` with
 * an id below any id. `params` holds @to and whatever `filter` names.
 */
export function keysetPager(db: Db, q: KeysetQuery, from: number, params: Record<string, unknown>, toLine: (row: unknown[]) => string): NextPage {
  const read = keysetReader(db, q, from, params);
  return (limit) => {
    const { rows, more } = read(limit);
    let text = '';
    for (let i = 0; i < rows.length; i++) text += toLine(rows[i]!);
    return { text, rows: rows.length, more };
  };
}

/** Up to `limit` raw rows in (time, id) order; `more` false once none are left. */
export type NextRows = (limit: number) => { rows: unknown[][]; more: boolean };

/** The rows of keysetPager, before they become CSV lines (reports/history.ts merges two of them). */
export function keysetReader(db: Db, q: KeysetQuery, from: number, params: Record<string, unknown>): NextRows {
  const page = `${q.from}
    WHERE ${q.time} >= @afterTime AND ${q.time} < @to ${q.filter ? `AND ${q.filter}` : ''}
      AND (${q.time} > @afterTime OR ${q.id} > @afterId)
    ORDER BY ${q.time}, ${q.id} LIMIT @limit`;
  const columns = q.columns.join(', ');
  // json_array in the inner query: one value a row leaves it (measured ~10% cheaper than 20).
  const asJson = db.prepare(`SELECT '[' || group_concat(r, ',') || ']' FROM (SELECT json_array(${columns}) AS r ${page})`).pluck();
  const plain = db.prepare(`SELECT ${columns} ${page}`).raw(true).safeIntegers(true);
  const bind: Record<string, unknown> = { ...params, afterTime: from, afterId: BEFORE_ANY_ID, limit: 0 };
  let done = false;

  const readJson = (): unknown[][] | null => {
    let rows: unknown[][];
    try {
      const json = asJson.get(bind) as string | null; // NULL: no rows
      if (json === null) return [];
      rows = JSON.parse(json) as unknown[][];
    } catch {
      return null; // a BLOB, say; the plain read reports a real failure again
    }
    let time = -Infinity;
    let id = -Infinity;
    for (const row of rows) {
      for (const v of row) if (typeof v === 'number' && !Number.isSafeInteger(v)) return null;
      const t = row[q.timeAt] as number;
      const i = row[q.idAt] as number;
      if (t < time || (t === time && i <= id)) return null;
      time = t;
      id = i;
    }
    return rows;
  };

  return (limit) => {
    if (done) return NO_ROWS;
    bind.limit = limit;
    const rows = readJson() ?? (plain.all(bind) as unknown[][]);
    const last = rows[rows.length - 1];
    if (last) {
      bind.afterTime = last[q.timeAt];
      bind.afterId = last[q.idAt];
    }
    done = rows.length < limit;
    return { rows, more: !done };
  };
}

const NO_ROWS = { rows: [] as unknown[][], more: false };
