// Per-currency totals of a report, summed exactly while its rows stream past, and written
// after the last row as one "Total" row per currency (amounts in two currencies are never
// added). The same sums answer export.run's outcome (rows and booked total per currency).
import type { ExportCurrencyTotal } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import { nanos } from './cells.ts';
import type { Db } from '../ledger/open.ts';
import { reportQuery, type ReportSource } from '../views/report-columns.ts';
import { keysetPager, type NextPage } from './pager.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';

// Amounts below 2^40 nano-units are added as doubles while the running sum stays below
// 2^52, so every addition is exact (|sum + v| < 2^53); anything larger goes to a bigint.
const SMALL = 2 ** 40;
const FLUSH = 2 ** 52;

/** An exact sum of nano-units; `seen` says whether anything was added (empty is n/a, not 0). */
export class ExactSum {
  seen = false;
  #small = 0;
  #big = 0n;

  add(v: unknown): void {
    const n = nanos(v);
    if (n === null) return;
    this.seen = true;
    if (typeof n === 'number' && n < SMALL && n > -SMALL) {
      this.#small += n;
      if (this.#small >= FLUSH || this.#small <= -FLUSH) this.flush();
    } else {
      this.#big += BigInt(n);
    }
  }

  value(): bigint {
    this.flush();
    return this.#big;
  }

  /** The sum as the reports write money ("0.0018"); empty when nothing was added. */
  text(): string {
    return this.seen ? formatMoney(this.value()) : '';
  }

  private flush(): void {
    this.#big += BigInt(this.#small);
    this.#small = 0;
  }
}

/** One currency's counters: its data rows and one ExactSum per summed column. */
export interface CurrencyAcc {
  rows: number;
  sums: ExactSum[];
}

/** Sums per currency over `columns` money columns; `booked` is the one the outcome reports. */
export class CurrencyTotals {
  readonly #by = new Map<string, CurrencyAcc>();
  constructor(
    readonly columns: number,
    readonly booked: number,
  ) {}

  /** The counters of `currency` (a text cell's value: anything else is not a currency). */
  of(currency: unknown): CurrencyAcc | null {
    if (typeof currency !== 'string' || currency === '') return null;
    let acc = this.#by.get(currency);
    if (!acc) {
      acc = { rows: 0, sums: Array.from({ length: this.columns }, () => new ExactSum()) };
      this.#by.set(currency, acc);
    }
    return acc;
  }

  /** Currencies that summed anything, in code order (three ASCII letters compare as plain strings). */
  entries(): [string, CurrencyAcc][] {
    return [...this.#by.entries()].filter(([, acc]) => acc.rows > 0 || acc.sums.some((s) => s.seen)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  outcome(): ExportCurrencyTotal[] {
    return this.entries()
      .filter(([, acc]) => acc.rows > 0)
      .map(([currency, acc]) => ({ currency, rows: acc.rows, booked: acc.sums[this.booked]!.text() || '0.00' }));
  }
}

/**
 * `next`, with `lines()` (the Total rows) appended to its last page when `write` is set. The
 * page's `rows` stays the count of data rows: a Total row is not a call or a message.
 */
export function withTotalRows(next: NextPage, write: boolean, lines: () => string): NextPage {
  if (!write) return next;
  return (limit) => {
    const page = next(limit);
    return page.more ? page : { ...page, text: page.text + lines() };
  };
}

/** The readable form of a JSON array of tags ("support; sales"); text that is no such array, as it is. */
export function tagsText(v: unknown): string | null {
  if (typeof v !== 'string') return v === null || v === undefined ? null : String(v);
  try {
    const parsed = JSON.parse(v) as unknown;
    if (Array.isArray(parsed)) return parsed.map((t) => (typeof t === 'string' ? t : JSON.stringify(t))).join('; ');
  } catch {
    // not JSON: written as stored
  }
  return v;
}

/**
 * A report read from SQLite by keyset pages (its columns in views/report-columns.ts), each
 * row a line of `toLine`, which adds it into `totals`; then its Total rows when asked for.
 */
export function totalledReport(
  db: Db,
  source: ReportSource,
  f: ReportFilter,
  ctx: ReportContext,
  totals: CurrencyTotals,
  toLine: (row: unknown[]) => string,
  totalLines: () => string,
): ReportPages {
  const { query, params } = reportQuery(source, f);
  return { next: withTotalRows(keysetPager(db, query, f.from, params, toLine), ctx.totalRows, totalLines), totals };
}
