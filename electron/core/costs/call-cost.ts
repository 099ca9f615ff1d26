// Reading a call.cost event's payload as Telnyx sends it. The sources disagree on its shape
// (../shared/telnyx-api.md): openapi/spec3.yml #/components/schemas/CallCost types
// total_cost, cost_parts[].cost and .rate as JSON numbers and gives `status` the values
// valid|invalid|call_hangup|cancelled|cancelled_amd (example "valid"); another published
// reading has status success|error and the amounts as decimal strings. Both are read: the
// amounts exactly (strings as written; a JSON number as the decimal it spells, never through
// a rounding float: see util/exact-json.ts), any status but "error" is a cost, and the
// currency is read on each part (the payload has no top-level currency).
import { MoneyError, normalizeCurrency, parseOptionalMoney } from '../../../shared/money.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { CallCostEventParts, EventPart } from './parts.ts';

type Obj = Record<string, unknown>;

export type CallCostReading =
  | { kind: 'cost'; value: Omit<CallCostEventParts, 'eventId'>; status: string | null }
  | { kind: 'error_status'; status: string }
  | { kind: 'invalid'; reason: string };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function amount(v: unknown, what: string): bigint | null {
  if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') {
    throw new MoneyError(`${what}: not an amount: ${JSON.stringify(v).slice(0, 40)}`);
  }
  try {
    return parseOptionalMoney(v);
  } catch (err) {
    throw err instanceof MoneyError ? new MoneyError(`${what}: ${err.message}`) : err;
  }
}

function seconds(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function readPart(p: unknown, i: number): EventPart {
  if (!isObj(p)) throw new MoneyError(`cost_parts[${i}] is not an object`);
  const name = typeof p.call_part === 'string' && p.call_part.trim() !== '' ? p.call_part.trim() : null;
  if (name === null) throw new MoneyError(`cost_parts[${i}] has no call_part`);
  const nanos = amount(p.cost, `cost_parts[${i}].cost`);
  const rate = amount(p.rate, `cost_parts[${i}].rate`);
  const currency = p.currency === null || p.currency === undefined || p.currency === '' ? null : normalizeCurrency(p.currency);
  if (nanos !== null && currency === null) throw new MoneyError(`cost_parts[${i}] (${name}) has a cost but no currency`);
  return { part: name, nanos, currency, rate: rate === null ? null : formatMoney(rate, 0), billedSec: seconds(p.billed_duration_secs) };
}

/** Reads a call.cost payload; a bad amount or part makes it invalid (reported, not booked). */
export function readCallCost(p: Obj): CallCostReading {
  const status = typeof p.status === 'string' ? p.status.trim() : null;
  if (status !== null && status.toLowerCase() === 'error') return { kind: 'error_status', status };
  try {
    const totalNanos = amount(p.total_cost, 'total_cost');
    const rawParts = p.cost_parts;
    if (rawParts !== undefined && rawParts !== null && !Array.isArray(rawParts)) throw new MoneyError('cost_parts is not a list');
    const parts = (rawParts ?? []).map(readPart);
    if (parts.length === 0) {
      return { kind: 'invalid', reason: totalNanos === null ? 'no cost_parts and no total_cost' : 'total_cost without cost_parts (no currency)' };
    }
    return { kind: 'cost', status, value: { totalNanos, billedSec: seconds(p.billed_duration_secs), parts } };
  } catch (err) {
    if (err instanceof MoneyError) return { kind: 'invalid', reason: err.message };
    throw err;
  }
}
