// The sane span of a date range, declared once: the importer refuses a range outside it, and
// the CLI names the offending argument (`--from 1970-01-01: ...`) before it starts the core.
// zod-free, like the rest of what both sides of the contract import.

/** Telnyx has no records before this; an earlier date is a typo. */
export const EARLIEST_MS = Date.UTC(2010, 0, 1);
/** A range may end in the future (this month, say), but not years ahead (9999-12-31 is a typo too). */
export const LATEST_AHEAD_MS = 366 * 86_400_000;

/** Why a range is out of the sane span (and which end), or null. The CLI and every host check the same. */
export function saneRangeProblem(from: number, to: number, now: number): { end: 'from' | 'to'; message: string } | null {
  if (from < EARLIEST_MS) return { end: 'from', message: 'the range starts before 2010-01-01: Telnyx has no records that old' };
  if (to > now + LATEST_AHEAD_MS) return { end: 'to', message: 'the range ends more than a year from now: check the end date' };
  return null;
}
