// "Check against Telnyx": a month's exact totals in the ledger beside Telnyx's own aggregate
// (GET /usage_reports, beta: product, dimensions=currency, metrics cost and
// customer_carrier_fee; start_date inclusive, end_date exclusive, UTC). Per product and
// currency: the ledger's total, Telnyx's total, the difference, and what in the ledger can
// explain one (calls still estimated, without a record, partial; messages without a cost).
// Usage-report costs are JSON numbers: the client reads them as the decimals written.
import type { VerifyReport } from '../../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import type { Ledger } from '../ledger/index.ts';
import type { TelnyxClient } from '../telnyx/index.ts';
import { exactSumsByCurrency, unsettledCounts } from '../views/verify-month.ts';

export const VERIFY_PRODUCTS = ['call-control', 'sip-trunking', 'webrtc', 'messaging'] as const;

export function monthRange(month: string): { from: number; to: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return { from: Date.UTC(y, mo - 1, 1), to: Date.UTC(y, mo, 1) };
}

type Sums = Map<string, bigint>;

/** The ledger's exact total of one product per currency, over calls started / messages sent in [from, to). */
function ledgerSums(ledger: Ledger, product: string, r: { from: number; to: number }): Sums {
  return exactSumsByCurrency(ledger.db, product, r);
}

/** Telnyx's total per currency: cost + customer_carrier_fee (the fee is reported apart). */
export function telnyxSums(rows: Record<string, unknown>[]): Sums {
  const out: Sums = new Map();
  for (const row of rows) {
    const currency = typeof row.currency === 'string' && row.currency ? row.currency.toUpperCase() : 'USD';
    const amount = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? parseMoney(v) : 0n);
    out.set(currency, (out.get(currency) ?? 0n) + amount(row.cost) + amount(row.customer_carrier_fee));
  }
  return out;
}

function explain(ledger: Ledger, r: { from: number; to: number }): VerifyReport['explain'] {
  return unsettledCounts(ledger.db, r);
}

export async function verifyMonth(ledger: Ledger, client: Pick<TelnyxClient, 'usageReport'>, month: string, signal?: AbortSignal): Promise<VerifyReport> {
  const range = monthRange(month);
  const rows: VerifyReport['rows'] = [];
  for (const product of VERIFY_PRODUCTS) {
    const telnyx = telnyxSums(await client.usageReport({ product, ...range, signal }));
    const ours = ledgerSums(ledger, product, range);
    for (const currency of [...new Set([...telnyx.keys(), ...ours.keys()])].sort()) {
      const l = ours.get(currency) ?? 0n;
      const t = telnyx.get(currency) ?? 0n;
      rows.push({ product, currency, ledger: formatMoney(l), telnyx: formatMoney(t), difference: formatMoney(l - t), matches: l === t });
    }
  }
  return { month, from: range.from, to: range.to, rows, matches: rows.every((r) => r.matches), explain: explain(ledger, range) };
}
