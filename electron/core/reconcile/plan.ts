// Turning many due lookups into few queries. Each due job wants the records created in its
// own window; overlapping (or nearly adjacent) windows are merged, and the merged spans are
// cut into query windows of at most `maxWindowMs`. One paged detail-records query per window
// and record type then answers every job whose window it covers: the original design sent a
// request per call per attempt; here a hundred calls ending within the same half hour share
// a handful of pages.

export interface LookupTarget {
  /** Job id. */
  key: number;
  from: number;
  to: number;
}

export interface QueryWindow {
  from: number;
  to: number;
  /** Jobs whose own window overlaps this one (each needs all of its windows answered). */
  keys: number[];
}

export interface PlanOptions {
  /** Longest query window. Default 6 h. */
  maxWindowMs?: number;
  /** Windows closer than this are merged (scanning the gap is cheaper than more queries). Default 30 min. */
  joinGapMs?: number;
}

export const DEFAULT_MAX_WINDOW_MS = 6 * 3600_000;
export const DEFAULT_JOIN_GAP_MS = 30 * 60_000;

export function planWindows(targets: readonly LookupTarget[], o: PlanOptions = {}): QueryWindow[] {
  const maxWindow = Math.max(60_000, o.maxWindowMs ?? DEFAULT_MAX_WINDOW_MS);
  const joinGap = Math.max(0, o.joinGapMs ?? DEFAULT_JOIN_GAP_MS);
  const sorted = [...targets].filter((t) => t.to > t.from).sort((a, b) => a.from - b.from || a.to - b.to);
  // 1. Union of the targets' windows (with the join gap).
  const spans: { from: number; to: number; items: LookupTarget[] }[] = [];
  for (const t of sorted) {
    const last = spans[spans.length - 1];
    if (last && t.from <= last.to + joinGap) {
      last.to = Math.max(last.to, t.to);
      last.items.push(t);
    } else {
      spans.push({ from: t.from, to: t.to, items: [t] });
    }
  }
  // 2. Each span cut into equal windows no longer than maxWindow; targets go to every window
  //    they overlap.
  const out: QueryWindow[] = [];
  for (const span of spans) {
    const n = Math.max(1, Math.ceil((span.to - span.from) / maxWindow));
    const step = Math.ceil((span.to - span.from) / n);
    const windows: QueryWindow[] = [];
    for (let k = 0; k < n; k++) {
      const from = span.from + k * step;
      const to = k === n - 1 ? span.to : Math.min(span.to, from + step);
      windows.push({ from, to, keys: [] });
    }
    for (const t of span.items) {
      const first = Math.min(n - 1, Math.max(0, Math.floor((t.from - span.from) / step)));
      for (let k = first; k < n; k++) {
        const w = windows[k]!;
        if (w.from >= t.to) break;
        if (w.to > t.from) w.keys.push(t.key);
      }
    }
    out.push(...windows.filter((w) => w.keys.length > 0));
  }
  return out;
}
