// Times in a report, in the zone the person chose: ISO 8601 with that zone's offset at each
// moment ("2026-03-08T01:59:59.000-05:00", one second later "2026-03-08T03:00:00.000-04:00"),
// so every cell names one instant even across a daylight-saving change, and a spreadsheet or
// parser reads it back exactly. UTC is written with "Z", as before.
//
// The offset comes from the runtime's IANA database (Intl). Asking Intl costs microseconds,
// a few times per row of a million-row export, so offsets are cached per UTC hour: an hour
// whose first and last millisecond have the same offset has it throughout (zones change at
// most once within an hour). An hour that holds a change is answered per cell.
import { iso, isoBody, MAX_MS } from './cells.ts';

/** Formats one time column's value (epoch ms, as number or bigint) as a CSV field. */
export type TimeCell = (v: unknown) => string;

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);
const HOUR_MS = 3_600_000;
const SLOTS = 256; // a power of two: the slot is the hour's low bits

/** The zone of the machine running the core: the user's, for the desktop app and the CLI. */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The runtime's canonical name for `zone` (throws RangeError for an unknown zone). */
export function resolveTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** A TimeCell for `zone` (an IANA name the contract validated). */
export function timeCell(zone: string): TimeCell {
  if (UTC_NAMES.has(zone)) return iso;
  const offsetAt = offsetReader(zone);
  const hourKey = new Float64Array(SLOTS).fill(-1);
  const hourOffset = new Float64Array(SLOTS); // NaN: the hour holds a change
  const suffixes = new Map<number, string>();
  const suffix = (offset: number) => {
    let s = suffixes.get(offset);
    if (s === undefined) {
      s = offsetText(offset);
      suffixes.set(offset, s);
    }
    return s;
  };
  return (v) => {
    if (v === null || v === undefined) return '';
    const ms = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
    if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) return iso(v);
    const hour = Math.floor(ms / HOUR_MS);
    const slot = hour & (SLOTS - 1);
    if (hourKey[slot] !== hour) {
      const start = hour * HOUR_MS;
      const first = offsetAt(start);
      hourOffset[slot] = first === offsetAt(Math.min(start + HOUR_MS - 1, MAX_MS)) ? first : NaN;
      hourKey[slot] = hour;
    }
    let offset = hourOffset[slot]!;
    if (Number.isNaN(offset)) offset = offsetAt(ms);
    const wall = ms + offset;
    // An offset in seconds (local mean time before ~1900) has no ISO 8601 form, and a wall
    // time outside what a Date holds has none either: that instant is written in UTC.
    if (offset % 60_000 !== 0 || wall < 0 || wall > MAX_MS) return iso(ms);
    return isoBody(wall, suffix(offset));
  };
}

/** "+05:45", "-04:00", "+00:00" for an offset in whole minutes. */
function offsetText(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** The zone's offset (wall clock minus UTC, in ms) at an instant, read from Intl's calendar fields. */
function offsetReader(zone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (ms) => {
    const f: Record<string, string> = {};
    for (const p of format.formatToParts(ms)) f[p.type] = p.value;
    const wall = new Date(0);
    wall.setUTCFullYear(Number(f.year), Number(f.month) - 1, Number(f.day));
    wall.setUTCHours(Number(f.hour), Number(f.minute), Number(f.second), 0);
    const whole = ms - (((ms % 1000) + 1000) % 1000); // Intl shows whole seconds
    return wall.getTime() - whole;
  };
}
