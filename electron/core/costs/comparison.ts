// The estimate a call would have been booked at, for a call that never had one: a call first
// seen through its detail record (a date-range import of past calls) arrives already exact.
// The overview compares estimates with exact costs, which is the product's whole point, so
// such a call gets the estimate the fallback rate in Settings would have booked, labelled as
// a comparison. It is never booked (the call's cost stays its exact one) and writes no history.
import type { RateSettings } from '../../../shared/contract.ts';
import type { Direction } from '../../../shared/domain.ts';
import type { ComparisonEstimate } from './apply.ts';
import { estimateIn } from './estimate.ts';

/** Null when the call's currency has no fallback rate in Settings: no comparison then, not one in another currency. */
export type ComparisonEstimator = (call: {
  ourNumber: string;
  direction: Direction;
  callSec: number | null;
  currency: string | null;
}) => ComparisonEstimate | null;

export function comparisonEstimator(rates: RateSettings): ComparisonEstimator {
  // The fallback alone: learned rates come from these very exact costs.
  const fixed = { ...rates, learnRates: false };
  return (call) => {
    const e = estimateIn(call, fixed, null, { currency: call.currency });
    if (!e) return null;
    return { nanos: e.nanos, currency: e.currency, rate: e.rate, method: `for comparison, never booked (imported with its exact cost): ${e.method}` };
  };
}
