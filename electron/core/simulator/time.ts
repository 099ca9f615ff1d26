// Fast ISO-8601 formatting. A page of 50 rows formats ~200 timestamps; Date#toISOString is
// the slowest part of that, so the date part is cached per UTC day and the time of day is
// built from a table of two-digit strings. Output is identical to toISOString.
const DAY_MS = 86_400_000;
const TWO: string[] = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE: string[] = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

let cachedDay = NaN;
let cachedPrefix = '';

function dayPrefix(day: number): string {
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  return cachedPrefix;
}

function timeOfDay(ms: number): [string, number] {
  const day = Math.floor(ms / DAY_MS);
  let r = ms - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  const frac = r - s * 1000;
  return [`${dayPrefix(day)}${TWO[h]}:${TWO[m]}:${TWO[s]}`, frac];
}

/** "2026-01-02T03:04:05.678Z", same as new Date(ms).toISOString() for years 0..9999. */
export function isoMs(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString();
  const [t, frac] = timeOfDay(ms);
  return `${t}.${THREE[frac]}Z`;
}

/** "2026-01-02T03:04:05Z": second precision, as Telnyx prints record timestamps. */
export function isoSeconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0 || ms >= 253402300800000) return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
  return `${timeOfDay(Math.floor(ms))[0]}Z`;
}
