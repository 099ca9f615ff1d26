// How a report is read page by page: keyset pages out of SQLite (views/keyset-pager.ts), or
// rows already in memory.
import type { NextPage } from '../views/keyset-pager.ts';

export { keysetPager, keysetReader, type KeysetQuery, type NextPage, type NextRows, type Page } from '../views/keyset-pager.ts';

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
