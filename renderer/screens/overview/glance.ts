// The first glance's figures, per currency, from the overview's per-number rows (never summed
// across currencies): booked (calls and SMS), the share of call costs already exact, the
// estimate still open, variance (n/a when nothing can be compared) and the top numbers.
import type { GroupSummary, NumberSummary } from '../../../shared/contract.ts';
import { toNanos } from '../../lib/money.ts';
import type { RangeChoice } from '../../lib/ranges.ts';

export interface Glance {
  currency: string;
  booked: bigint;
  exact: bigint;
  /** Booked on estimates, not yet replaced by an exact cost. */
  open: bigint;
  variance: bigint | null;
  top: Array<{ number: string; booked: bigint }>;
}

const n = (a: string) => toNanos(a) ?? 0n;

export function glances(rows: readonly NumberSummary[], topN = 3): Glance[] {
  const by = new Map<string, NumberSummary[]>();
  for (const r of rows) by.set(r.currency, [...(by.get(r.currency) ?? []), r]);
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, rs]) => {
      const bookedOf = (r: NumberSummary) => n(r.bookedTotal.amount) + n(r.messagesTotal.amount);
      const callsBooked = rs.reduce((s, r) => s + n(r.bookedTotal.amount), 0n);
      const exact = rs.reduce((s, r) => s + n(r.exactTotal.amount), 0n);
      const compared = rs.filter((r) => r.variance !== null);
      return {
        currency,
        booked: rs.reduce((s, r) => s + bookedOf(r), 0n),
        exact,
        open: callsBooked - exact,
        variance: compared.length > 0 ? compared.reduce((s, r) => s + n(r.variance!.amount), 0n) : null,
        top: rs
          .map((r) => ({ number: r.number, booked: bookedOf(r) }))
          .sort((a, b) => (b.booked > a.booked ? 1 : b.booked < a.booked ? -1 : a.number < b.number ? -1 : 1))
          .slice(0, topN),
      };
    });
}

/** Percent of `part` in `whole` with one decimal ("62.5"), null without a whole. */
export function shareText(part: bigint, whole: bigint): string | null {
  if (whole <= 0n) return null;
  const tenths = (part * 2000n + whole) / (whole * 2n);
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** Change from `before` to `now` in percent ("+12.5", "-3.0"), null without a base. */
export function changeText(now: bigint, before: bigint | undefined): string | null {
  if (before === undefined || before === 0n) return null;
  const diff = now - before;
  const abs = diff < 0n ? -diff : diff;
  const base = before < 0n ? -before : before;
  const tenths = (abs * 2000n + base) / (base * 2n);
  return `${diff < 0n ? '-' : '+'}${tenths / 10n}.${tenths % 10n}`;
}

/** The period before `range`: the previous calendar month for month presets, else as long. */
export function previousRange(range: RangeChoice): { from: number; to: number } {
  if (range.preset === 'thisMonth' || range.preset === 'lastMonth') {
    const d = new Date(range.from);
    return { from: new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime(), to: range.from };
  }
  return { from: Math.max(0, range.from - (range.to - range.from)), to: range.from };
}

/** The groups (here: destination countries) with a value, in `currency`, biggest total first. */
export function topDestinations(rows: readonly GroupSummary[], currency: string, topN = 3): Array<{ key: string; label: string; booked: bigint }> {
  return rows
    .filter((r) => r.currency === currency && r.key !== null)
    .map((r) => ({ key: r.key!, label: r.label, booked: n(r.total.amount) }))
    .filter((d) => d.booked !== 0n)
    .sort((a, b) => (b.booked > a.booked ? 1 : b.booked < a.booked ? -1 : a.key < b.key ? -1 : 1))
    .slice(0, topN);
}
