// A statement checked against Telnyx's own totals for its month: GET /usage_reports (beta),
// read by the same client and summed the same way as `verify --month` (verify/month.ts),
// over the same products (call-control, sip-trunking, webrtc, messaging). Per currency, the
// statement's exact costs (calls priced by Telnyx plus messages' costs) beside Telnyx's total,
// with the difference when they disagree; estimates are not compared, only counted.
//
// The usage report is the account's: this build asks it with dimensions=currency only (the
// per-product dimensions a number or a billing group would need are listed by
// /usage_reports/options and are not confirmed by Telnyx's published spec), so a statement
// for one number or one billing group says it was not compared, and why.
import type { TelnyxClient } from '../telnyx/index.ts';
import { telnyxSums, VERIFY_PRODUCTS } from '../verify/month.ts';
import type { Statement, TelnyxCheck } from './model.ts';

export const NOT_ACCOUNT_WIDE =
  "Telnyx's usage report is compared for a statement of every number: it is the account's total, not one number's or one billing group's.";

/** The statement's exact cost per currency: what Telnyx's usage report should also hold. */
export function statementExact(st: Statement): Map<string, bigint> {
  return new Map(st.sections.map((s) => [s.currency, s.callsTotal.exact + s.messagesTotal.cost]));
}

export async function checkWithTelnyx(
  st: Statement,
  client: Pick<TelnyxClient, 'usageReport'> | null,
  now: number,
  signal?: AbortSignal,
): Promise<TelnyxCheck> {
  const notChecked = (reason: string): TelnyxCheck => ({ status: 'not_checked', reason, rows: [], checkedAt: now });
  if (st.scope.kind !== 'all') return notChecked(NOT_ACCOUNT_WIDE);
  if (!client) return notChecked('No Telnyx API key is set.');
  const telnyx = new Map<string, bigint>();
  try {
    for (const product of VERIFY_PRODUCTS) {
      for (const [currency, v] of telnyxSums(await client.usageReport({ product, from: st.period.from, to: st.period.to, signal })))
        telnyx.set(currency, (telnyx.get(currency) ?? 0n) + v);
    }
  } catch (err) {
    return notChecked(`Telnyx's usage report could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ours = statementExact(st);
  const rows = [...new Set([...ours.keys(), ...telnyx.keys()])].sort().map((currency) => {
    const statement = ours.get(currency) ?? 0n;
    const t = telnyx.get(currency) ?? 0n;
    return { currency, statement, telnyx: t, difference: statement - t, matches: statement === t };
  });
  return { status: rows.every((r) => r.matches) ? 'matches' : 'differs', reason: null, rows, checkedAt: now };
}
