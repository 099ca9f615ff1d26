// A number's or a group's totals in one currency, as the overview shows them: what the
// per-number summary (summary.ts) and the groups (groups.ts) share, built in one place.
import type { NumberSummary } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { CALL_SUM_COLUMNS } from '../ledger/call-totals.ts';
import type { SumRow } from './call-sums.ts';
import { percent } from './money-view.ts';

export type CurrencySummary = Omit<NumberSummary, 'number'>;

/** Nothing in this currency yet (messages only, until their totals are added). */
export function noTotals(currency: string): CurrencySummary {
  const zero = { amount: '0.00', currency };
  return {
    currency,
    calls: 0,
    minutes: '0.0',
    messages: 0,
    estimatedTotal: zero,
    exactTotal: zero,
    bookedTotal: zero,
    variance: null,
    variancePct: null,
    messagesTotal: zero,
    pendingCalls: 0,
    failedCalls: 0,
    exactCalls: 0,
  };
}

/** The calls' totals in one currency from their sums (call-sums.ts rows of that currency). */
export function callTotals(currency: string, parts: readonly SumRow[]): CurrencySummary {
  const t = (column: (typeof CALL_SUM_COLUMNS)[number]) => parts.reduce((sum, r) => sum + r[column], 0n);
  const billedSec = t('billed_sec');
  const variance = t('variance');
  const base = t('variance_base');
  const m = (v: bigint) => ({ amount: formatMoney(v), currency });
  return {
    ...noTotals(currency),
    calls: Number(t('calls')),
    minutes: `${billedSec / 60n}.${((billedSec % 60n) * 10n) / 60n}`,
    estimatedTotal: m(t('estimated')),
    exactTotal: m(t('exact')),
    bookedTotal: m(t('booked')),
    // No call with both an estimate and an exact cost in this currency: no variance (n/a),
    // not a variance of 0. (Sums of 0 and 0 are read as that; compared calls that were
    // estimated and charged 0 each are the one case shown n/a needlessly.)
    variance: variance === 0n && base === 0n ? null : m(variance),
    variancePct: percent(variance, base),
    exactCalls: Number(t('exact_calls')),
    pendingCalls: Number(t('pending')),
    failedCalls: Number(t('failed')),
  };
}
