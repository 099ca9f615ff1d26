// Retry schedule text <-> ms. "30s, 2m, 10m, 1h"; a bare number means seconds.
export function scheduleToText(ms: readonly number[]): string {
  return ms
    .map((v) => {
      if (v % 3_600_000 === 0) return `${v / 3_600_000}h`;
      if (v % 60_000 === 0) return `${v / 60_000}m`;
      return `${v / 1000}s`;
    })
    .join(', ');
}

export function parseSchedule(text: string): { ok: true; ms: number[] } | { ok: false; message: string } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) return { ok: false, message: 'Enter at least one delay, e.g. "30s, 2m, 10m".' };
  if (parts.length > 20) return { ok: false, message: 'At most 20 delays.' };
  const ms: number[] = [];
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hours?)?$/i.exec(p);
    if (!m) return { ok: false, message: `"${p}" is not a delay; use seconds (30s), minutes (2m) or hours (1h).` };
    const n = Number(m[1]);
    const unit = (m[2] ?? 's').toLowerCase();
    const factor = unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000;
    const v = Math.round(n * factor);
    if (v < 1000) return { ok: false, message: `"${p}" is shorter than one second.` };
    if (v > 24 * 3_600_000) return { ok: false, message: `"${p}" is longer than 24 hours.` };
    ms.push(v);
  }
  return { ok: true, ms };
}
