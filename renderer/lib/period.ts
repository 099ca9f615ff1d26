// The period the screens open with, defined once, and the one key they share it under: a
// period chosen on the Overview is the one Calls and Messages show (and back), so a number's
// figures and the calls behind them always cover the same days. Plain data: the boot module
// prefetches the Overview's answers for this period before React loads.
import { choosePreset, type RangeChoice } from './ranges.ts';

/** Every screen's first period: the last 7 days (local time, today included). */
export const defaultPeriod = (): RangeChoice => choosePreset('last7');

/** The sticky-state key the Overview, Calls and Messages read and write the period under (null: "All time"). */
export const PERIOD_KEY = 'period';
