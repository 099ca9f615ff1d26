// GET /v2/usage_reports (beta), as developers.telnyx.com documents it: product (required),
// dimensions, metrics, start_date (inclusive) / end_date (exclusive, at most 31 days, UTC),
// JSON rows { product, <dimensions>, cost, customer_carrier_fee, count } with costs as JSON
// numbers. Aggregated here from the account's own items by start (calls) or creation
// (messages) time, over items that have a record (what Telnyx bills), per currency.
// `usageOffset` makes the report disagree with the records by a fixed amount per row.
import { formatMoney, type Nanos } from '../../../shared/money.ts';
import type { GeneratedAccount } from './account.ts';
import { errorBody, type RouteResult } from './routes.ts';

const MAX_RANGE_MS = 31 * 86_400_000;
export const USAGE_PRODUCTS = ['call-control', 'sip-trunking', 'webrtc', 'messaging'] as const;

export function usageReport(a: GeneratedAccount, q: URLSearchParams, offset: Nanos): RouteResult {
  const product = q.get('product') ?? '';
  if (!(USAGE_PRODUCTS as readonly string[]).includes(product))
    return errorBody(400, '10003', 'Product invalid value', `product must be one of ${USAGE_PRODUCTS.join(', ')}`, 'product');
  const from = Date.parse(q.get('start_date') ?? '');
  const to = Date.parse(q.get('end_date') ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from || to - from > MAX_RANGE_MS) {
    return errorBody(400, '10015', 'Bad Request', 'start_date and end_date are required, end after start, at most 31 days apart', 'start_date');
  }
  const cost = new Map<string, { cost: Nanos; fee: Nanos; count: number }>();
  const add = (currency: string, c: Nanos, fee: Nanos) => {
    const row = cost.get(currency) ?? { cost: 0n, fee: 0n, count: 0 };
    row.cost += c;
    row.fee += fee;
    row.count++;
    cost.set(currency, row);
  };
  if (product === 'messaging') {
    const [lo, hi] = a.messageIndexRange(from, to);
    for (let i = lo; i < hi; i++) {
      const m = a.messageCore(i);
      if (m.createdMs < from || m.createdMs >= to || !m.recorded) continue;
      const k = a.messageCosts(m);
      add(a.numbers[m.numberIndex]!.currency, k.cost - k.carrierFeeNanos, k.carrierFeeNanos);
    }
  } else {
    const [lo, hi] = a.callIndexRange(from, to);
    for (let i = lo; i < hi; i++) {
      const c = a.callCore(i);
      if (c.startMs < from || c.startMs >= to || !c.recorded) continue;
      const k = a.callCosts(c);
      const currency = a.numbers[c.numberIndex]!.currency;
      if (product === 'sip-trunking' && c.sip) add(currency, k.sip, 0n);
      if (product === (c.webrtc ? 'webrtc' : 'call-control')) add(currency, k.main, 0n);
    }
  }
  const rows = [...cost.entries()].sort().map(([currency, r]) => ({
    product,
    currency,
    // JSON numbers, as Telnyx sends them (every amount here has few enough digits to be exact).
    cost: Number(formatMoney(r.cost + offset, 0)),
    customer_carrier_fee: Number(formatMoney(r.fee, 0)),
    count: r.count,
  }));
  return { status: 200, records: rows.length, body: { data: rows, meta: { page_number: 1, page_size: 5000, total_pages: 1, total_results: rows.length } } };
}
