// Turning ledger values into CSV fields. Every function here returns a field ready to go
// between two commas: text is neutralized, then quoted when RFC 4180 asks for it; the
// fields we generate (integers, ISO times, money) are digits and punctuation that never
// need quotes. These run ~20 times per row of a million-row export, so they avoid
// allocations where they can (see money and iso).
//
// Formula neutralization (OWASP "CSV Injection"): a cell that a spreadsheet would run as a
// formula gets a leading `'`. It applies to TEXT columns only (ids, phone numbers, reasons,
// statuses, methods, JSON): those hold what Telnyx or a person typed. Columns we generate
// ourselves (money, integers, ISO times, percentages) are numbers by construction and stay
// numbers, so a negative variance "-0.003" still sums in Excel.
// One exception (issue 13): a phone number in E.164 ("+15551234567": a plus and digits only)
// is written as it is. It cannot run as a formula (no function, reference or operator after
// the sign), and an accountant's file must carry the number as the ledger has it.
import { formatMoney } from '../../../shared/money.ts';
import { needsQuotes, quoted } from './csv.ts';

/**
 * First characters a spreadsheet treats as the start of a formula: the OWASP set
 * (= + - @ TAB CR) plus their full-width forms, which Apple Numbers normalizes to ASCII.
 */
export function needsNeutralizing(s: string): boolean {
  switch (s.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // TAB
    case 0x0d: // CR
    case 0xff1d:
    case 0xff0b:
    case 0xff0d:
    case 0xff20:
      return true;
    default:
      return false; // includes NaN: the empty string
  }
}

/** A text field: null is empty; formula-like text gets a leading `'`; quoted as needed. */
export function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  // Test `s` itself, not `'` + s: the regex would first copy that new (cons) string flat.
  const field = needsNeutralizing(s) && !isE164(s) ? `'${s}` : s;
  return needsQuotes(s) ? quoted(field) : field;
}

/** "+" then 2 to 15 digits, nothing else (no allocation: it runs for every number cell). */
export function isE164(s: string): boolean {
  if (s.length < 3 || s.length > 16 || s.charCodeAt(0) !== 0x2b) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** An integer field: a number or, beyond 2^53, a bigint (pager.ts). */
export function int(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return String(v);
  return text(v); // not an integer after all: treat as untrusted text
}

/** Epoch ms as ISO 8601 UTC ("2026-01-15T12:00:05.000Z"); empty when null. */
export function iso(v: unknown): string {
  if (v === null || v === undefined) return '';
  const ms = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) {
    const d = new Date(ms);
    // A time no Date can hold (corrupt row): show the raw number rather than fail the export.
    return Number.isNaN(d.getTime()) ? int(v) : d.toISOString();
  }
  return isoBody(ms, 'Z');
}

/**
 * `ms` (an integer in [0, MAX_MS]) as "YYYY-MM-DDTHH:MM:SS.sss" read as UTC, then `suffix`.
 * times.ts passes a wall-clock time (UTC plus a zone's offset) and the offset as suffix.
 */
export function isoBody(ms: number, suffix: string): string {
  // Times in a report are close to each other (rows come in time order; a call's answer and
  // end are minutes after its start), so "2026-01-15T12:00:" is kept per minute in a small
  // direct-mapped cache and only seconds and milliseconds are added per cell (toISOString
  // per cell was a tenth of the export's CPU). Same output as Date#toISOString.
  const rest = ms % MINUTE_MS;
  const minute = (ms - rest) / MINUTE_MS;
  const slot = minute & (SLOTS - 1);
  let prefix = slotPrefix[slot]!;
  if (slotMinute[slot] !== minute) {
    prefix = new Date(ms - rest).toISOString().slice(0, -7); // without "SS.sssZ"; years past 9999 are longer
    slotMinute[slot] = minute;
    slotPrefix[slot] = prefix;
  }
  const milli = rest % 1000;
  return `${prefix}${PAD2[(rest - milli) / 1000]}.${PAD3[milli]}${suffix}`;
}

const MINUTE_MS = 60_000;
export const MAX_MS = 8.64e15;
const SLOTS = 64; // a power of two: the slot is the minute's low bits
const slotMinute = new Float64Array(SLOTS).fill(-1);
const slotPrefix: string[] = new Array<string>(SLOTS).fill('');
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * A money column's value as exact nano-units: a safe integer as a number, a bigger one as
 * bigint; null when it holds no integer (NULL, or something that is not money).
 */
export function nanos(v: unknown): number | bigint | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v === 'bigint') return v;
  return null;
}

/** a - b, exact: in Number arithmetic while the result is a safe integer, else in bigint. */
export function difference(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const d = a - b;
    // Beyond 2^53 the double is rounded, and no longer a safe integer: redo it exactly.
    if (Number.isSafeInteger(d)) return d;
  }
  return BigInt(a) - BigInt(b);
}

/** Nano-units as an exact decimal field ("0.0018", "-0.003"), as formatMoney writes it; empty when null. */
export function money(v: unknown): string {
  if (v === null || v === undefined) return '';
  const n = nanos(v);
  if (n === null) throw new Error(`money column holds a non-integer: ${String(v)}`);
  if (typeof n === 'number') return safeNanos(n);
  return n >= MIN_SAFE && n <= MAX_SAFE ? safeNanos(Number(n)) : formatMoney(n);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/**
 * formatMoney(BigInt(n)) for a safe integer, without bigint division: % and the division
 * of an exact multiple are exact on doubles below 2^53. The money test checks both agree.
 */
function safeNanos(n: number): string {
  const abs = n < 0 ? -n : n;
  let frac = abs % 1e9;
  const whole = (abs - frac) / 1e9;
  let body: string;
  if (frac === 0) {
    body = `${whole}.00`;
  } else {
    let decimals = 9;
    while (frac % 10 === 0) {
      frac /= 10;
      decimals--;
    }
    const digits = String(frac);
    // Zeros between the point and the first significant digit; at least two decimals.
    body = `${whole}.${ZEROS[decimals - digits.length]}${digits}${decimals === 1 ? '0' : ''}`;
  }
  return n < 0 ? `-${body}` : body;
}

const ZEROS = Array.from({ length: 9 }, (_, i) => '0'.repeat(i));

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** A decimal Telnyx sent as text (a rate): kept as a number when it is one, else text. */
export function decimal(v: unknown): string {
  if (typeof v === 'string' && PLAIN_DECIMAL.test(v)) return v;
  return text(v);
}
