// A statement's period: one calendar month in UTC, [first day 00:00, next month's first day).
import { AppFailure } from '../api/types.ts';

export interface Period {
  month: string; // "2026-01"
  from: number;
  to: number;
  /** "January 2026 (UTC)": what every page and sheet names. */
  label: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function monthPeriod(month: string): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = m ? Number(m[1]) : NaN;
  const index = m ? Number(m[2]) - 1 : NaN;
  if (!m || year < 2000 || year > 9999 || index < 0 || index > 11) {
    throw new AppFailure('invalid_input', `the month must be YYYY-MM (e.g. 2026-01), not "${month}"`);
  }
  return { month, from: Date.UTC(year, index, 1), to: Date.UTC(year, index + 1, 1), label: `${MONTHS[index]} ${year} (UTC)` };
}
