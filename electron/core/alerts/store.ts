// Alert rules and firings in the ledger (migrations 9 and 11): named statements and their views.
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import type { AlertFiring, AlertKind, AlertRule, AlertRuleInput, AlertScopeKind } from '../../../shared/alerts.ts';
import { MONEY_KINDS } from '../../../shared/alerts.ts';
import { alertsRepo, type AlertFiringRow as FiringRow, type AlertRuleRow as RuleRow } from '../ledger/alerts.ts';
import type { Db } from '../ledger/open.ts';
import { DEFAULT_MIN_CALLS, DEFAULT_SHORT_SEC, subjectLabel } from './checks.ts';

type RuleInput = Omit<AlertRuleInput, 'enabled'> & { enabled: boolean };

const KIND_WORDS: Record<AlertKind, string> = {
  daily_spend: 'spend in a day',
  monthly_spend: 'spend in a month',
  call_cost: 'one call',
  spend_spike: 'a day far above its week',
  new_country: 'a call to a new country',
  failed_calls: 'failed or very short calls in a row',
};

const num = (v: bigint | null) => (v === null ? null : Number(v));

function ruleView(r: RuleRow): AlertRule {
  const scopeLabel = r.scope_kind === 'all' ? 'every number' : subjectLabel({ kind: r.scope_kind, value: r.scope_value ?? '' });
  return {
    id: Number(r.id),
    kind: r.kind,
    scope: { kind: r.scope_kind, value: r.scope_value },
    number: r.scope_kind === 'number' ? r.scope_value : null,
    scopeLabel,
    currency: r.currency,
    threshold: r.threshold_nanos === null ? null : formatMoney(r.threshold_nanos),
    factor: r.factor,
    minCalls: num(r.min_calls),
    shortSec: num(r.short_sec),
    enabled: r.enabled === 1n,
    createdAt: Number(r.created_at),
  };
}

function summaryOf(f: FiringRow, detail: Record<string, unknown>): string {
  const amount = `${formatMoney(f.amount_nanos)} ${f.currency ?? ''}`;
  const limit = typeof detail.threshold === 'string' ? ` (threshold ${formatMoney(BigInt(detail.threshold))})` : '';
  const who = f.subject;
  if (f.kind === 'daily_spend') return `${who} spent ${amount} on ${f.period}${limit}`;
  if (f.kind === 'monthly_spend') return `${who} spent ${amount} in ${f.period}${limit}`;
  if (f.kind === 'call_cost') return `A call of ${f.our_number ?? `${String(detail.number)} (${who})`} on ${f.period} cost ${amount}${limit}`;
  if (f.kind === 'new_country')
    return `${who} called country ${String(detail.country)} for the first time on ${f.period}${detail.scope ? ` (${String(detail.scope)})` : ''}`;
  if (f.kind === 'failed_calls')
    return `${who}: ${String(detail.calls)} failed or very short calls in a row (under ${String(detail.shortSec)} s) from ${f.period}`;
  const week = typeof detail.trailing7Days === 'string' ? formatMoney(BigInt(detail.trailing7Days)) : '?';
  return `${who} spent ${amount} on ${f.period}, over ${String(detail.factor)} times its 7-day average (${week} ${f.currency} in the 7 days before)`;
}

function firingView(f: FiringRow): AlertFiring {
  const detail = JSON.parse(f.detail) as Record<string, unknown>;
  const counted = !MONEY_KINDS.includes(f.kind);
  return {
    id: Number(f.id),
    ruleId: Number(f.rule_id),
    kind: f.kind,
    summary: summaryOf(f, detail),
    cause: f.cause,
    subject: f.subject,
    number: f.our_number,
    period: f.period,
    callId: f.call_id === null ? null : Number(f.call_id),
    amount: counted ? String(f.amount_nanos) : formatMoney(f.amount_nanos),
    currency: f.currency,
    detail,
    firedAt: Number(f.fired_at),
    acknowledgedAt: f.acknowledged_at === null ? null : Number(f.acknowledged_at),
  };
}

function scopeOf(r: RuleInput): { kind: AlertScopeKind; value: string | null } {
  if (r.number !== undefined) return { kind: 'number', value: r.number };
  if (r.billingGroup !== undefined) return { kind: 'billing_group', value: r.billingGroup };
  if (r.tag !== undefined) return { kind: 'tag', value: r.tag };
  if (r.country !== undefined) return { kind: 'country', value: r.country };
  return { kind: 'all', value: null };
}

export function alertStore(db: Db) {
  const repo = alertsRepo(db);
  return {
    rules: () => repo.rules().map(ruleView),
    addRule(r: RuleInput, now: number): AlertRule {
      const money = MONEY_KINDS.includes(r.kind);
      const scope = scopeOf(r);
      const id = repo.addRule(
        {
          kind: r.kind,
          scopeKind: scope.kind,
          scopeValue: scope.value,
          currency: money ? (r.currency ?? null) : null,
          threshold: money && r.threshold !== undefined ? parseMoney(r.threshold) : null,
          factor: r.kind === 'spend_spike' ? (r.factor ?? null) : null,
          minCalls: r.kind === 'failed_calls' ? (r.minCalls ?? DEFAULT_MIN_CALLS) : null,
          shortSec: r.kind === 'failed_calls' ? (r.shortSec ?? DEFAULT_SHORT_SEC) : null,
          enabled: r.enabled,
        },
        now,
      );
      return ruleView(repo.rule(id)!);
    },
    removeRule: repo.removeRule,
    firings: (onlyOpen: boolean, limit: number) => repo.firings(onlyOpen, limit).map(firingView),
    firing: (id: number) => {
      const f = repo.firing(id);
      return f ? firingView(f) : null;
    },
    unacknowledged: repo.unacknowledged,
    acknowledge: repo.acknowledge,
    kindWords: KIND_WORDS,
  };
}
export type AlertStore = ReturnType<typeof alertStore>;
