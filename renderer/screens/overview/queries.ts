// The Overview's queries as plain data. The boot module asks for the default ones before
// React loads; the screen builds its inputs with the same functions, so a prefetched answer
// matches the screen's first call exactly (same method, same JSON) and is used instead of a
// second request.
import type { GroupBy, Input } from '../../../shared/contract.ts';
import type { RangeChoice } from '../../lib/ranges.ts';
import { defaultPeriod } from '../../lib/period.ts';

/** The period every screen starts with (lib/period.ts). */
export const defaultRange = defaultPeriod;
export const DEFAULT_NUMBER = '';
/** "All time": every call from 1970 to 2100 (the summary reads the daily totals cache). */
export const ALL_TIME: RangeChoice = { preset: 'custom', from: 0, to: Date.UTC(2100, 0, 1) };

export function summaryInput(range: Pick<RangeChoice, 'from' | 'to'>, number: string): Input<'overview.summary'> {
  const r = { from: range.from, to: range.to };
  return number ? { range: r, numbers: [number] } : { range: r };
}

export function dailyInput(range: Pick<RangeChoice, 'from' | 'to'>, number: string): Input<'overview.daily'> {
  const r = { from: range.from, to: range.to };
  return number ? { range: r, number } : { range: r };
}

export function groupsInput(range: Pick<RangeChoice, 'from' | 'to'>, number: string, by: GroupBy): Input<'overview.groups'> {
  const r = { from: range.from, to: range.to };
  return number ? { range: r, by, numbers: [number] } : { range: r, by };
}

/** The first glance's top destinations: the period's totals by destination country. */
export const destinationsInput = (range: Pick<RangeChoice, 'from' | 'to'>, number: string) => groupsInput(range, number, 'country');
