// When a cost-fetch job runs, how far its lookup reaches, and when it gives up. Pure functions
// of the settings and the job's facts, so the semantics are testable without a clock:
//
//   attempts   t = ref + retryScheduleMs[k] (ref: the call's hangup, or the message's
//              completion), k = attempts made so far; never sooner than MIN_GAP_MS after the
//              previous attempt (a backlog whose offsets all lie in the past still spaces them).
//   failed     the schedule ran out without a record while still inside the settle window. The
//              job waits, its estimate stands, and one last look runs at the settle deadline.
//   no_record  a lookup at or after the settle deadline (ref + settleWindowMs; shorter for an
//              unanswered call) still found nothing: final for the job and the call.
//   errors     429, 5xx, timeouts, dropped or unreadable responses do not count as attempts:
//              the job is due again after the wait Telnyx asked for (at least TRANSIENT_MIN_MS).
//              A job out of attempts (or past its deadline) stays "failed" while errors last.
//   auth       401/403 (and 400/404, which also need a person) pause the fetcher; the jobs it
//              held go back unchanged.
//   parts      a call can be billed in parts (call-control + sip-trunking records, created
//              independently). Its exact cost is booked as soon as the main record is in, but
//              the job completes only once a lookup has covered hangup + partsGraceMs, so a
//              trunk record arriving a little later is still added. (Later stragglers: the
//              date-range import and sweeps.)
//   lookahead  attempt k searches records created in [start - margin, ref + L) where
//              L = lookaheadMs * 4^k capped by the settle window, and never past "now": a
//              fresh call's window is naturally tight; an old call's grows with each attempt;
//              the final look spans the whole settle window.

export interface ScheduleSettings {
  retryScheduleMs: readonly number[];
  settleWindowMs: number;
  /** Settle window of a call nobody answered (default min(settleWindowMs, 1 h)). */
  unansweredSettleWindowMs?: number;
  /** Lookahead of the first attempt (default 30 min). */
  lookaheadMs?: number;
  /** Records created this long before a call's start still count (clock skew). Default 2 min. */
  marginMs?: number;
  /** A call's job completes once a lookup covered hangup + this (other billed parts). Default 15 min. */
  partsGraceMs?: number;
}

export const MIN_GAP_MS = 5_000;
export const TRANSIENT_MIN_MS = 30_000;
export const DEFAULT_LOOKAHEAD_MS = 30 * 60_000;
export const DEFAULT_MARGIN_MS = 2 * 60_000;
export const DEFAULT_UNANSWERED_SETTLE_MS = 3600_000;
export const DEFAULT_PARTS_GRACE_MS = 15 * 60_000;

/** Grace for other billed parts, never longer than the first lookahead (so one lookup covers it). */
export function partsGrace(s: ScheduleSettings): number {
  return Math.min(s.partsGraceMs ?? DEFAULT_PARTS_GRACE_MS, s.lookaheadMs ?? DEFAULT_LOOKAHEAD_MS);
}

/** Start of every lookup of a job: its records are never created before this. */
export function lookupFrom(s: ScheduleSettings, job: { ref: number; start: number | null }): number {
  return Math.min(job.start ?? job.ref, job.ref) - (s.marginMs ?? DEFAULT_MARGIN_MS);
}

/** Did a search of [from, to) see every record a call's parts could have had by hangup + grace? */
export function coversParts(s: ScheduleSettings, job: { ref: number; start: number | null }, window: { from: number; to: number }): boolean {
  return window.from <= lookupFrom(s, job) && window.to > job.ref + partsGrace(s);
}

/** When to look once more for other parts of a call whose main record is in. */
export function partsLookAt(s: ScheduleSettings, ref: number, now: number): number {
  return Math.max(ref + partsGrace(s) + 1000, now + MIN_GAP_MS);
}

/** Attempts a job gets before it is "failed" (the length of the schedule). */
export function attemptsAllowed(s: ScheduleSettings): number {
  return Math.max(1, s.retryScheduleMs.length);
}

/** Due time of the first attempt. */
export function firstRunAt(s: ScheduleSettings, ref: number): number {
  return ref + (s.retryScheduleMs[0] ?? MIN_GAP_MS);
}

/** Due time of the next attempt after `attempts` lookups found nothing. */
export function nextRunAt(s: ScheduleSettings, ref: number, attempts: number, now: number): number {
  const offset = s.retryScheduleMs[Math.min(attempts, s.retryScheduleMs.length - 1)] ?? MIN_GAP_MS;
  return Math.max(ref + offset, now + MIN_GAP_MS);
}

/** When a lookup that did not get an answer (429, 5xx, ...) is tried again. */
export function transientRetryAt(now: number, retryAfterMs: number | null): number {
  return now + Math.max(TRANSIENT_MIN_MS, retryAfterMs ?? 0);
}

export function settleWindow(s: ScheduleSettings, answered: boolean): number {
  if (answered) return s.settleWindowMs;
  return Math.min(s.settleWindowMs, s.unansweredSettleWindowMs ?? DEFAULT_UNANSWERED_SETTLE_MS);
}

export function settleDeadline(s: ScheduleSettings, ref: number, answered: boolean): number {
  return ref + settleWindow(s, answered);
}

/** The created_at window one lookup searches: [from, to). */
export function lookupWindow(
  s: ScheduleSettings,
  job: { ref: number; start: number | null; attempts: number; answered: boolean },
  now: number,
): { from: number; to: number; final: boolean } {
  const window = settleWindow(s, job.answered);
  const final = now >= job.ref + window;
  const base = s.lookaheadMs ?? DEFAULT_LOOKAHEAD_MS;
  const grown = base * 4 ** Math.min(job.attempts, 12);
  const lookahead = final ? window : Math.min(window, grown);
  const from = lookupFrom(s, job);
  // Records carry whole seconds: one more second keeps a record stamped "now" inside.
  const to = Math.max(from + 1000, Math.min(now, job.ref + lookahead) + 1000);
  return { from, to, final };
}

export type NotFoundOutcome =
  | { status: 'pending'; attempts: number; nextRunAt: number }
  | { status: 'failed'; attempts: number; nextRunAt: number }
  | { status: 'no_record'; attempts: number; nextRunAt: null };

/** What a lookup that found nothing does to the job. */
export function afterNotFound(s: ScheduleSettings, job: { ref: number; attempts: number; answered: boolean }, now: number): NotFoundOutcome {
  const attempts = job.attempts + 1;
  const deadline = settleDeadline(s, job.ref, job.answered);
  if (now >= deadline) return { status: 'no_record', attempts, nextRunAt: null };
  if (attempts >= attemptsAllowed(s)) return { status: 'failed', attempts, nextRunAt: deadline };
  return { status: 'pending', attempts, nextRunAt: Math.min(nextRunAt(s, job.ref, attempts, now), deadline) };
}

/** What a lookup that got no answer (transient error) does to the job: no attempt is used. */
export function afterTransient(
  s: ScheduleSettings,
  job: { ref: number; attempts: number; answered: boolean },
  now: number,
  retryAfterMs: number | null,
): { status: 'pending' | 'failed'; attempts: number; nextRunAt: number } {
  const out = now >= settleDeadline(s, job.ref, job.answered) || job.attempts >= attemptsAllowed(s);
  return { status: out ? 'failed' : 'pending', attempts: job.attempts, nextRunAt: transientRetryAt(now, retryAfterMs) };
}
