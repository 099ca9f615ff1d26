// The Overview's queries as plain data. The boot module asks for the default ones before
// React loads; the screen builds its inputs with the same functions, so a prefetched answer
// matches the screen's first call exactly (same method, same JSON) and is used instead of a
// second request.
import type { Input } from '../../../shared/contract.ts';
import { choosePreset, type RangeChoice } from '../../lib/ranges.ts';

export const defaultRange = (): RangeChoice => choosePreset('last7');
export const DEFAULT_NUMBER = '';

export function summaryInput(range: RangeChoice, number: string): Input<'overview.summary'> {
  const r = { from: range.from, to: range.to };
  return number ? { range: r, numbers: [number] } : { range: r };
}

export function dailyInput(range: RangeChoice, number: string): Input<'overview.daily'> {
  const r = { from: range.from, to: range.to };
  return number ? { range: r, number } : { range: r };
}
