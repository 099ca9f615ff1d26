// What a message detail record says a message cost. The MDR report docs state "Cost is
// calculated as rate * parts", with `carrier_fee` a separate field (../shared/telnyx-api.md;
// example: developers.telnyx.com search-detail-records, test/fixtures/telnyx/mdr.*), while a
// message.finalized `cost.amount` already includes the fee (openapi/spec3.yml
// OutboundMessagePayload example: 0.00205 + 0.00305 = 0.0051). The fee must be counted once:
// an MDR's cost is taken to exclude it, unless its numbers show it is already inside.
import { formatMoney, MoneyError, parseMoney } from '../../../shared/money.ts';

export interface MdrAmounts {
  costNanos: bigint;
  carrierFeeNanos: bigint | null;
  rate: string | null;
  parts: number | null;
}

export interface MdrTotal {
  /** The message's cost, carrier fee counted once. */
  nanos: bigint;
  /** How the record was read (for the history). */
  reading: 'no_fee' | 'fee_added' | 'fee_included' | 'fee_added_unverified';
  reason: string;
}

export function mdrTotal(r: MdrAmounts): MdrTotal {
  const fee = r.carrierFeeNanos ?? 0n;
  if (fee === 0n) return { nanos: r.costNanos, reading: 'no_fee', reason: 'exact cost from message detail record (no carrier fee)' };
  const rateParts = rateTimesParts(r.rate, r.parts);
  const shown = (n: bigint) => formatMoney(n);
  if (rateParts !== null && r.costNanos === rateParts) {
    return {
      nanos: r.costNanos + fee,
      reading: 'fee_added',
      reason: `exact cost from message detail record: rate ${r.rate} x ${r.parts} part(s) ${shown(r.costNanos)} + carrier fee ${shown(fee)}`,
    };
  }
  if (rateParts !== null && r.costNanos === rateParts + fee) {
    return {
      nanos: r.costNanos,
      reading: 'fee_included',
      reason: `exact cost from message detail record (its cost ${shown(r.costNanos)} already includes the carrier fee ${shown(fee)})`,
    };
  }
  // Neither spelling checks out (or no rate/parts to check): the documented reading, flagged.
  const why = rateParts === null ? 'no rate or parts to check it against' : `rate x parts is ${shown(rateParts)}`;
  return {
    nanos: r.costNanos + fee,
    reading: 'fee_added_unverified',
    reason: `cost from message detail record ${shown(r.costNanos)} + carrier fee ${shown(fee)} as documented (unverified: ${why})`,
  };
}

function rateTimesParts(rate: string | null, parts: number | null): bigint | null {
  if (rate === null || parts === null) return null;
  try {
    return parseMoney(rate) * BigInt(parts);
  } catch (err) {
    if (err instanceof MoneyError) return null;
    throw err;
  }
}
