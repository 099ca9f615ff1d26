// One rule checked against one subject (a number, or a billing group, tag or country) on one
// UTC day, from the facts the writing transaction just recomputed. Each firing names its
// cause: the subject's day or month, a call, a spike day, a number's new country, the first
// call of a run of failed calls. A cause fires once (UNIQUE (rule_id, cause)).
import { parseMoney } from '../../../shared/money.ts';
import type { AlertFacts, Subject, StreakCall } from '../ledger/alert-facts.ts';
import type { AlertRuleRow as RuleRow, AlertsRepo } from '../ledger/alerts.ts';

const DAY = 86_400_000;

export const DEFAULT_MIN_CALLS = 5;
export const DEFAULT_SHORT_SEC = 10;

const dayText = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** "+15551230001" for a number; "group:42", "tag:sales", "country:49" in causes. */
export function subjectKey(s: Subject): string {
  return s.kind === 'number' ? s.value : `${s.kind === 'billing_group' ? 'group' : s.kind}:${s.value}`;
}
/** "+15551230001", "billing group 42", "tag sales", "country 49". */
export function subjectLabel(s: Subject): string {
  return s.kind === 'number' ? s.value : `${s.kind === 'billing_group' ? 'billing group' : s.kind} ${s.value}`;
}

/** The runs of at least `min` calls in a row that talked fewer than `shortSec` seconds. */
export function failedRuns(calls: readonly StreakCall[], shortSec: number, min: number): StreakCall[][] {
  const runs: StreakCall[][] = [];
  let run: StreakCall[] = [];
  for (const c of [...calls, null]) {
    if (c && c.callSec < shortSec) {
      run.push(c);
      continue;
    }
    if (run.length >= min) runs.push(run);
    run = [];
  }
  return runs;
}

export function ruleChecks(alerts: AlertsRepo, facts: AlertFacts, now: () => number) {
  const fired = (r: RuleRow, s: Subject, cause: string, period: string, amount: bigint, detail: Record<string, unknown>, call: number | null = null) =>
    alerts.fire({
      rule: Number(r.id),
      cause,
      subject: subjectLabel(s),
      number: s.kind === 'number' ? s.value : null,
      period,
      call,
      amount,
      currency: r.currency,
      detail: JSON.stringify(detail),
      at: now(),
    });

  function spend(r: RuleRow, s: Subject, day: number): number {
    const threshold = r.threshold_nanos ?? 0n;
    const currency = r.currency ?? '';
    const key = subjectKey(s);
    const date = dayText(day);
    if (r.kind === 'daily_spend') {
      const booked = facts.spend(s, currency, day, day + 1);
      return booked > threshold ? fired(r, s, `day:${key}:${date}`, date, booked, { threshold: String(threshold) }) : 0;
    }
    if (r.kind === 'monthly_spend') {
      const d = new Date(day * DAY);
      const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY;
      const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY;
      const booked = facts.spend(s, currency, first, next);
      const month = date.slice(0, 7);
      return booked > threshold ? fired(r, s, `month:${key}:${month}`, month, booked, { threshold: String(threshold) }) : 0;
    }
    if (r.kind === 'call_cost') {
      let n = 0;
      for (const c of facts.costlyCalls(s, day, currency, threshold)) {
        n += fired(r, s, `call:${c.id}`, date, c.booked, { threshold: String(threshold), number: c.number }, Number(c.id));
      }
      return n;
    }
    // spend_spike: the day's spend above `factor` times the average of the 7 days before it,
    // once the subject has a week of history (a new number's second day is not a spike).
    if (!facts.hasSpendBy(s, currency, day - 7)) return 0;
    const booked = facts.spend(s, currency, day, day + 1);
    const week = facts.spend(s, currency, day - 7, day);
    const factor = parseMoney(r.factor ?? '0'); // nano-units of the factor: exact, no float
    if (week <= 0n || booked <= threshold || booked * 7n * 1_000_000_000n <= week * factor) return 0;
    return fired(r, s, `spike:${key}:${date}`, date, booked, { factor: r.factor, trailing7Days: String(week), minimum: String(threshold) });
  }

  /** Countries the number first called from `day` on; with `within`, only calls of that group or tag. */
  function newCountry(r: RuleRow, number: Subject, day: number, within?: Subject): number {
    let n = 0;
    for (const c of facts.newCountries(number.value, day)) {
      if (within && !facts.callIn(within, c.callId)) continue;
      const date = dayText(Math.floor(Number(c.firstAt) / DAY));
      n += fired(
        r,
        number,
        `country:${number.value}:${c.country}`,
        date,
        1n,
        { country: c.country, ...(within ? { scope: subjectLabel(within) } : {}) },
        Number(c.callId),
      );
    }
    return n;
  }

  /** Runs of failed or very short calls reaching into the day; a run fires once, however it grows. */
  function failedCalls(r: RuleRow, s: Subject, day: number): number {
    const shortSec = Number(r.short_sec ?? DEFAULT_SHORT_SEC);
    const min = Number(r.min_calls ?? DEFAULT_MIN_CALLS);
    let n = 0;
    for (const run of failedRuns(facts.streakWindow(s, day, shortSec), shortSec, min)) {
      const first = run[0]!;
      const last = run[run.length - 1]!;
      if (facts.streakFired(Number(r.id), subjectLabel(s), first.startedAt, last.startedAt)) continue;
      const detail = { calls: run.length, minCalls: min, shortSec, fromMs: first.startedAt, toMs: last.startedAt, firstCallId: first.id, lastCallId: last.id };
      n += fired(r, s, `streak:${subjectKey(s)}:${first.id}`, dayText(Math.floor(first.startedAt / DAY)), BigInt(run.length), detail, first.id);
    }
    return n;
  }

  return (r: RuleRow, s: Subject, day: number, within?: Subject): number => {
    if (r.kind === 'new_country') return newCountry(r, s, day, within);
    if (r.kind === 'failed_calls') return failedCalls(r, s, day);
    return spend(r, s, day);
  };
}
