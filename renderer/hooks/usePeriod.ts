// The period shared by the Overview, Calls and Messages (lib/period.ts): one value, so a
// change on one screen is the period of the others. null is "All time".
import { defaultPeriod, PERIOD_KEY } from '../lib/period.ts';
import type { RangeChoice } from '../lib/ranges.ts';
import { useStickyState } from './useStickyState.ts';

export function usePeriod(): [RangeChoice | null, (v: RangeChoice | null) => void] {
  return useStickyState<RangeChoice | null>(PERIOD_KEY, defaultPeriod);
}
