// Retry schedule text <-> ms. "30s, 2m, 10m, 1h"; a bare number means seconds. Only the
// syntax is checked here; the contract's RetrySchedule holds the rules.
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
  const ms: number[] = [];
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hours?)?$/i.exec(p);
    if (!m) return { ok: false, message: `"${p}" is not a delay; use seconds (30s), minutes (2m) or hours (1h).` };
    const n = Number(m[1]);
    const unit = (m[2] ?? 's').toLowerCase();
    const factor = unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000;
    ms.push(Math.round(n * factor)); // the core's contract checks the range (1 s to 24 h, at most 20)
  }
  return { ok: true, ms };
}
