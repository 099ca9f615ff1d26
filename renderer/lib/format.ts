// Dates, times and counts for display. Times arrive as epoch ms and are shown in local time.

/** Made on first use: each formatter costs a locale lookup, and a screen needs only some. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

const DAY_AND_TIME: Intl.DateTimeFormatOptions = { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' };
const dateTimeYearFmt = once(() => new Intl.DateTimeFormat(undefined, { year: 'numeric', ...DAY_AND_TIME }));
/** Within the current year the year is noise in a dense table. */
const dateTimeFmt = once(() => new Intl.DateTimeFormat(undefined, DAY_AND_TIME));
const timeFmt = once(() => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
const dateFmt = once(() => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' }));
const intFmt = once(() => new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }));

function isToday(ms: number): boolean {
  const d = new Date(ms);
  const n = new Date();
  return d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
}

export function dateTimeText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).getFullYear() === new Date().getFullYear() ? dateTimeFmt().format(ms) : dateTimeYearFmt().format(ms);
}

/** Time only when it is today, date and time otherwise. */
export function whenText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return isToday(ms) ? timeFmt().format(ms) : dateTimeText(ms);
}

export function timeText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return timeFmt().format(ms);
}

export function dateText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return dateFmt().format(ms);
}

/** A period of whole days (`to` exclusive) as dates: one date, or the first – the last. */
export function rangeText(r: { from: number; to: number }): string {
  const a = dateText(r.from);
  const b = dateText(r.to - 1);
  return a === b ? a : `${a} – ${b}`;
}

export function intText(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return intFmt().format(n);
}

export function secondsText(sec: number | null | undefined): string {
  if (sec === null || sec === undefined) return '—';
  if (sec < 60) return `${sec}s`;
  const m = Math.floor(sec / 60);
  const s = sec % 60;
  if (m < 60) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return '—';
  return secondsText(Math.round(ms / 1000));
}

/** "call_cost_event" -> "call cost event". */
export function humanize(word: string | null | undefined): string {
  if (!word) return '—';
  return word.replace(/[_-]+/g, ' ');
}

/** "2026-12-04 10:59:08 UTC": the same moment in UTC, for a title. */
export function utcText(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Where a cost came from, in words. */
const SOURCES: Record<string, string> = {
  estimate: 'Estimate',
  call_cost_event: 'Telnyx call.cost event',
  detail_record: 'Telnyx detail record',
  message_sent_event: 'Telnyx message.sent event',
  message_finalized_event: 'Telnyx message.finalized event',
  manual: 'Entered by hand',
};
export function sourceText(source: string | null | undefined): string {
  if (!source) return '—';
  return SOURCES[source] ?? humanize(source);
}

/** The status a source implies (an estimate is "estimated", Telnyx's cost "exact"): not worth repeating. */
export function impliedStatus(source: string): string {
  return source === 'estimate' ? 'estimated' : 'exact';
}
