// Date-range presets in local time. Ranges are { from, to } epoch ms with `to` exclusive;
// days are built with the Date constructor so DST changes give 23/25-hour days correctly.
export type PresetId = 'today' | 'yesterday' | 'last7' | 'thisMonth' | 'lastMonth' | 'custom';
export type RangeChoice = { preset: PresetId; from: number; to: number };

/** The choices of a period picker: value and words. */
export const PRESETS: ReadonlyArray<readonly [PresetId, string]> = [
  ['today', 'Today'],
  ['yesterday', 'Yesterday'],
  ['last7', 'Last 7 days'],
  ['thisMonth', 'This month'],
  ['lastMonth', 'Last month'],
  ['custom', 'Custom…'],
];

function startOfDay(d: Date, addDays = 0): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + addDays).getTime();
}

export function presetRange(preset: Exclude<PresetId, 'custom'>, now = new Date()): { from: number; to: number } {
  switch (preset) {
    case 'today':
      return { from: startOfDay(now), to: startOfDay(now, 1) };
    case 'yesterday':
      return { from: startOfDay(now, -1), to: startOfDay(now) };
    case 'last7':
      return { from: startOfDay(now, -6), to: startOfDay(now, 1) };
    case 'thisMonth':
      return {
        from: new Date(now.getFullYear(), now.getMonth(), 1).getTime(),
        to: new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime(),
      };
    case 'lastMonth':
      return {
        from: new Date(now.getFullYear(), now.getMonth() - 1, 1).getTime(),
        to: new Date(now.getFullYear(), now.getMonth(), 1).getTime(),
      };
  }
}

export function choosePreset(preset: Exclude<PresetId, 'custom'>): RangeChoice {
  return { preset, ...presetRange(preset) };
}

/** "2024-05-01" (local) for <input type="date">. */
export function toDateInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Start of that local day, or null if the text is not a date. */
export function fromDateInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isFinite(t) ? t : null;
}

/** Inclusive "to" day from the input -> exclusive end (start of the next local day). */
export function endFromDateInput(text: string): number | null {
  const start = fromDateInput(text);
  if (start === null) return null;
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** The last day inside an exclusive range, for showing it in a "to" date input. */
export function lastDayInput(toExclusive: number): string {
  return toDateInput(toExclusive - 1);
}

/** The month before the current one, as YYYY-MM (UTC): the one a statement or a check is usually for. */
export function lastUtcMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
