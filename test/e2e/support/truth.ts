// What the screens must show, worked out independently of the views: from the simulator's
// ground truth (GeneratedAccount) and from the ledger file read with better-sqlite3 directly
// (a second, read-only connection; the ledger is in WAL mode so it sees every commit).
import Database from 'better-sqlite3';
import { formatMoney } from '../../../shared/money.ts';
import type { GeneratedAccount, SimRecordType } from '../../../electron/core/simulator/index.ts';
import { onClose } from './app.ts';

export const ALL_RECORD_TYPES: SimRecordType[] = ['call-control', 'sip-trunking', 'webrtc', 'messaging'];

/**
 * Rows the detail-records endpoint lists for records created in [from, to) that exist by
 * `asOf` (a duplicated record is listed twice), and how many distinct records that is.
 */
export function recordsInRange(account: GeneratedAccount, from: number, to: number, asOf: number, types = ALL_RECORD_TYPES) {
  const inRange = (t: number) => t >= from && t < to && t <= asOf;
  let listed = 0;
  let distinct = 0;
  for (let i = 0; i < account.callCount; i++) {
    for (const r of account.call(i).records) {
      if (!types.includes(r.recordType) || !inRange(r.createdMs)) continue;
      distinct++;
      listed += r.duplicated ? 2 : 1;
    }
  }
  if (types.includes('messaging')) {
    for (let i = 0; i < account.messageCount; i++) {
      const m = account.message(i);
      if (!m.hasRecord || m.recordCreatedMs === null || !inRange(m.recordCreatedMs)) continue;
      distinct++;
      listed += m.duplicated ? 2 : 1;
    }
  }
  return { listed, distinct };
}

/** A read-only connection to a ledger file, closed with the test file. */
export function readLedger(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  onClose(() => {
    db.close();
  });
  return db;
}

/** Digits of the currency's minor unit, as ISO 4217 (through Node's Intl) has them. */
export function minorUnit(currency: string): number {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "1234.5" -> "1,234.5" (en-US, the e2e contexts' locale), on the digit string. */
function grouped(plain: string): string {
  const [whole, frac] = plain.replace(/^-/, '').split('.') as [string, string | undefined];
  const body = `${BigInt(whole).toLocaleString('en-US')}${frac ? `.${frac}` : ''}`;
  return plain.startsWith('-') && /[1-9]/.test(plain) ? `-${body}` : body;
}

/**
 * "168.25 USD": how the renderer prints a total — rounded half away from zero to the minor
 * unit, grouped. Worked out here on the bigint, independently of renderer/lib/money.ts.
 */
export function shownTotal(nanos: bigint, currency: string): string {
  const digits = minorUnit(currency);
  const step = 10n ** BigInt(9 - digits);
  const abs = nanos < 0n ? -nanos : nanos;
  const units = (abs * 2n + step) / (2n * step);
  const text = units.toString().padStart(digits + 1, '0');
  const plain = `${nanos < 0n ? '-' : ''}${text.slice(0, text.length - digits)}${digits ? `.${text.slice(text.length - digits)}` : ''}`;
  return `${grouped(plain)} ${currency}`;
}

/** "0.00385 USD": one call's or message's amount, every digit it has (at least the minor unit). */
export function shownAmount(nanos: bigint, currency: string): string {
  return `${grouped(formatMoney(nanos, minorUnit(currency)))} ${currency}`;
}

/** The exact value a money cell carries in data-amount (and, grouped, in its title). */
export function exactAmount(nanos: bigint): string {
  return formatMoney(nanos);
}

export interface LedgerTotals {
  calls: number;
  estimated: bigint;
  exact: bigint;
  booked: bigint;
  messages: number;
  messagesTotal: bigint;
}

/**
 * Per number and currency over [from, to), straight from the rows: estimated = every call's
 * estimate, exact = Telnyx's cost where one is known (any source but the estimate), booked =
 * exact where known else the estimate. A call's currency is its exact cost's, else its
 * estimate's. Messages by sent_at.
 */
export function ledgerTotals(db: Database.Database, from: number, to: number): Map<string, LedgerTotals> {
  const out = new Map<string, LedgerTotals>();
  const get = (number: string, currency: string) => {
    const k = `${number} ${currency}`;
    let t = out.get(k);
    if (!t) out.set(k, (t = { calls: 0, estimated: 0n, exact: 0n, booked: 0n, messages: 0, messagesTotal: 0n }));
    return t;
  };
  const calls = db
    .prepare(
      `SELECT our_number, currency, estimate_currency, estimated_nanos, exact_nanos, cost_source FROM calls
       WHERE started_at >= ? AND started_at < ?`,
    )
    .all(from, to) as Array<Record<string, unknown>>;
  for (const c of calls) {
    const exact = c.cost_source !== null && c.cost_source !== 'estimate';
    const currency = String(c.currency ?? c.estimate_currency ?? 'USD');
    const t = get(String(c.our_number), currency);
    t.calls++;
    const est = typeof c.estimated_nanos === 'bigint' ? c.estimated_nanos : null;
    const act = typeof c.exact_nanos === 'bigint' ? c.exact_nanos : null;
    if (est !== null && c.estimate_currency === currency) t.estimated += est;
    if (exact && act !== null) t.exact += act;
    t.booked += exact ? (act ?? 0n) : (est ?? 0n);
  }
  const messages = db.prepare('SELECT our_number, currency, cost_nanos FROM messages WHERE sent_at >= ? AND sent_at < ?').all(from, to) as Array<
    Record<string, unknown>
  >;
  for (const m of messages) {
    const t = get(String(m.our_number), String(m.currency ?? 'USD'));
    t.messages++;
    if (typeof m.cost_nanos === 'bigint') t.messagesTotal += m.cost_nanos;
  }
  return out;
}

/** Sums a LedgerTotals map per currency. */
export function perCurrency(totals: Map<string, LedgerTotals>): Map<string, LedgerTotals> {
  const out = new Map<string, LedgerTotals>();
  for (const [k, t] of totals) {
    const currency = k.split(' ')[1]!;
    const s = out.get(currency) ?? { calls: 0, estimated: 0n, exact: 0n, booked: 0n, messages: 0, messagesTotal: 0n };
    s.calls += t.calls;
    s.estimated += t.estimated;
    s.exact += t.exact;
    s.booked += t.booked;
    s.messages += t.messages;
    s.messagesTotal += t.messagesTotal;
    out.set(currency, s);
  }
  return out;
}

/** The Overview's money columns (each cell's data-col) with the amount `t` gives each one. */
export function moneyColumns(t: LedgerTotals): ReadonlyArray<readonly [col: string, nanos: bigint]> {
  return [
    ['estimated', t.estimated],
    ['exact', t.exact],
    ['booked', t.booked],
    ['messages-total', t.messagesTotal],
  ];
}
