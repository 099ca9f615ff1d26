// "Booked": what a call counts as in totals. Its exact cost when the cost is Telnyx's
// (cost_source set and not 'estimate'), else its estimate, each in its own currency
// (calls.currency for the exact cost, calls.estimate_currency for the estimate). Written once
// for SQL and once for TypeScript; every reader of a booked amount uses one of the two.
//
// Why the test is on cost_source and not COALESCE(exact_nanos, estimated_nanos): the cost
// writers (costs/apply.ts through ledger/calls.ts setCost and insertPriced) always write
// exact_nanos and cost_source together, so on any row they leave the two tests agree. The
// schema does not tie the two columns (no CHECK), so a row written by hand or restored from
// an edited file could hold an exact_nanos beside cost_source 'estimate'; the source then
// decides, because it is what says whose cost the number is (test/unit/booked-rule.test.ts).
// (The overview's cache groups calls by the stored currency pair, migration 3: it relies on
// the writers' other half of the same invariant, calls.currency set only with an exact cost.)
import type { CostSource } from '../../../shared/domain.ts';

/** True when a call's cost source is Telnyx's (or a person's): its exact cost is booked. */
export function isExactSource(source: CostSource | string | null): boolean {
  return source !== null && source !== 'estimate';
}

export interface BookedCost {
  nanos: bigint | null;
  currency: string | null;
  /** True when the booked amount is the exact cost. */
  exact: boolean;
}

/** A call's booked amount and its currency (the TypeScript twin of bookedSql). */
export function bookedCost(c: {
  costSource: CostSource | null;
  exactNanos: bigint | null;
  currency: string | null;
  estimatedNanos: bigint | null;
  estimateCurrency: string | null;
}): BookedCost {
  return isExactSource(c.costSource)
    ? { nanos: c.exactNanos, currency: c.currency, exact: true }
    : { nanos: c.estimatedNanos, currency: c.estimateCurrency, exact: false };
}

/**
 * The booked rule as SQL expressions over the calls table, its columns prefixed by `alias`
 * ('c' for `c.cost_source`, '' for bare column names).
 */
export function bookedSql(alias = 'c') {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  const isExact = `(${col('cost_source')} IS NOT NULL AND ${col('cost_source')} <> 'estimate')`;
  return {
    /** 1 when the booked amount is the exact cost. */
    isExact,
    /** The booked amount in nano-units (NULL when the call has none yet). */
    nanos: `(CASE WHEN ${isExact} THEN ${col('exact_nanos')} ELSE ${col('estimated_nanos')} END)`,
    /** The booked amount's currency. */
    currency: `(CASE WHEN ${isExact} THEN ${col('currency')} ELSE ${col('estimate_currency')} END)`,
    /** The exact cost where it is booked, else NULL (what an "exact" total sums). */
    exactNanos: `(CASE WHEN ${isExact} THEN ${col('exact_nanos')} END)`,
  };
}

/** The rule over calls aliased `c`, the alias the views and the summary cache use. */
export const BOOKED = bookedSql('c');
