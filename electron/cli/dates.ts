// Date arguments for the CLI. "2026-01-15" is a whole UTC day: as --from it is that day's
// start, as --to it includes that day (the range ends at the next midnight). Full ISO
// datetimes are taken as given (and must carry a zone, or they are read as UTC).
import { saneRangeProblem } from '../../shared/ranges.ts';

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** The calendar date is real (no February 30th: Date.UTC would roll it into March). */
function realDate(name: string, text: string, y: number, m: number, d: number): number {
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new CliUsageError(`${name}: ${text} is not a real date`);
  }
  return ms;
}

export function parseDateArg(name: string, text: string, end: boolean): number {
  const day = DAY.exec(text);
  if (day) {
    const ms = realDate(name, text, Number(day[1]), Number(day[2]), Number(day[3]));
    return end ? ms + 86_400_000 : ms;
  }
  const iso = ISO.exec(text);
  if (iso) {
    // The same check as a plain day: a datetime on February 30th is refused, not moved.
    realDate(name, text, Number(iso[1]), Number(iso[2]), Number(iso[3]));
    const ms = Date.parse(iso[8] ? text : `${text}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new CliUsageError(`${name}: cannot read "${text}" as a date (use YYYY-MM-DD or an ISO datetime like 2026-01-15T08:00:00Z)`);
}

export function parseRange(fromText: string | undefined, toText: string | undefined, now: number): { from: number; to: number } {
  if (!fromText) throw new CliUsageError('--from is required');
  const from = parseDateArg('--from', fromText, false);
  const to = toText ? parseDateArg('--to', toText, true) : now;
  const sane = saneRangeProblem(from, to, now);
  if (sane) throw new CliUsageError(`${sane.end === 'from' ? `--from ${fromText}` : `--to ${toText}`}: ${sane.message}`);
  if (from >= to) throw new CliUsageError(`--from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`);
  if (from > now) throw new CliUsageError('--from is in the future');
  return { from, to };
}
