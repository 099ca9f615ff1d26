// Turning ledger values into CSV cells. Every cell is a string by the time it reaches
// csv-stringify, so the quoting rules see exactly what a spreadsheet will see.
//
// Formula neutralization (OWASP "CSV Injection"): a cell that a spreadsheet would run as a
// formula gets a leading `'`. It applies to TEXT columns only (ids, phone numbers, reasons,
// statuses, methods, JSON): those hold what Telnyx or a person typed. Columns we generate
// ourselves (money from formatMoney, integers, ISO times, percentages) are numbers by
// construction and stay numbers, so a negative variance "-0.003" still sums in Excel.
// Consequence, on purpose: a phone number "+15551234567" in a text column is exported as
// "'+15551234567" — Excel would otherwise parse it as a formula/number and drop the "+".
import { formatMoney } from '../../../shared/money.ts';

/**
 * First characters a spreadsheet treats as the start of a formula: the OWASP set
 * (= + - @ TAB CR) plus their full-width forms, which Apple Numbers normalizes to ASCII.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

export function needsNeutralizing(s: string): boolean {
  return s.length > 0 && FORMULA_START.has(s[0]!);
}

/** A text cell: null is empty; formula-like text gets a leading `'`. */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return needsNeutralizing(s) ? `'${s}` : s;
}

/** An integer cell (safeIntegers hands back bigint). */
export function int(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return text(v); // not an integer after all: treat as untrusted text
}

/** Epoch ms as ISO 8601 UTC ("2026-01-15T12:00:05.000Z"); empty when null. */
export function iso(v: unknown): string {
  if (v === null || v === undefined) return '';
  const ms = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) {
    const d = new Date(ms);
    // A time no Date can hold (corrupt row): show the raw number rather than fail the export.
    return Number.isNaN(d.getTime()) ? int(v) : d.toISOString();
  }
  // Rows come in time order, so consecutive times share their day: the date part is
  // formatted once per day and the time of day by arithmetic (toISOString per cell was
  // a tenth of the export's CPU). Same output as Date#toISOString.
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, -13); // "2026-01-15T"
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const sec = t % 60;
  t = (t - sec) / 60;
  const min = t % 60;
  const hour = (t - min) / 60;
  return `${lastDayPrefix}${two(hour)}:${two(min)}:${two(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

const DAY_MS = 86_400_000;
const MAX_MS = 8.64e15;
let lastDay = NaN;
let lastDayPrefix = '';
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Nano-units as an exact decimal string ("0.0018", "-0.003"); empty when null. */
export function money(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return formatMoney(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return formatMoney(BigInt(v));
  throw new Error(`money column holds a non-integer: ${String(v)}`);
}

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** A decimal Telnyx sent as text (a rate): kept as a number when it is one, else text. */
export function decimal(v: unknown): string {
  if (typeof v === 'string' && PLAIN_DECIMAL.test(v)) return v;
  return text(v);
}
