// Alert rules and firings as the contract shows them (the statements are in ledger/alerts.ts).
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import type { AlertFiring, AlertKind, AlertRule } from '../../../shared/alerts.ts';
import type { Db } from '../ledger/open.ts';
import { alertRulesRepo } from '../ledger/alerts.ts';

interface RuleInput {
  kind: AlertKind;
  number?: string | undefined;
  currency: string;
  threshold: string;
  factor?: string | undefined;
  enabled: boolean;
}

const KIND_WORDS: Record<AlertKind, string> = {
  daily_spend: 'spend in a day',
  monthly_spend: 'spend in a month',
  call_cost: 'one call',
  spend_spike: 'a day far above its week',
};

type RuleRow = { id: bigint; kind: AlertKind; scope_number: string | null; currency: string; threshold_nanos: bigint | null; factor: string | null; enabled: bigint; created_at: bigint };
type FiringRow = { id: bigint; rule_id: bigint; kind: AlertKind; cause: string; our_number: string; period: string; call_id: bigint | null; amount_nanos: bigint; currency: string; detail: string; fired_at: bigint; acknowledged_at: bigint | null };

function ruleView(r: RuleRow): AlertRule {
  return { id: Number(r.id), kind: r.kind, number: r.scope_number, currency: r.currency, threshold: formatMoney(r.threshold_nanos ?? 0n), factor: r.factor, enabled: r.enabled === 1n, createdAt: Number(r.created_at) };
}

function summaryOf(f: FiringRow, detail: Record<string, unknown>): string {
  const amount = `${formatMoney(f.amount_nanos)} ${f.currency}`;
  const limit = typeof detail.threshold === 'string' ? ` (threshold ${formatMoney(BigInt(detail.threshold))})` : '';
  if (f.kind === 'daily_spend') return `${f.our_number} spent ${amount} on ${f.period}${limit}`;
  if (f.kind === 'monthly_spend') return `${f.our_number} spent ${amount} in ${f.period}${limit}`;
  if (f.kind === 'call_cost') return `A call of ${f.our_number} on ${f.period} cost ${amount}${limit}`;
  const week = typeof detail.trailing7Days === 'string' ? formatMoney(BigInt(detail.trailing7Days)) : '?';
  return `${f.our_number} spent ${amount} on ${f.period}, over ${String(detail.factor)} times its 7-day average (${week} ${f.currency} in the 7 days before)`;
}

function firingView(f: FiringRow): AlertFiring {
  const detail = JSON.parse(f.detail) as Record<string, unknown>;
  return {
    id: Number(f.id), ruleId: Number(f.rule_id), kind: f.kind, summary: summaryOf(f, detail), cause: f.cause, number: f.our_number, period: f.period,
    callId: f.call_id === null ? null : Number(f.call_id), amount: formatMoney(f.amount_nanos), currency: f.currency, detail, firedAt: Number(f.fired_at),
    acknowledgedAt: f.acknowledged_at === null ? null : Number(f.acknowledged_at),
  };
}

export function alertStore(db: Db) {
  const repo = alertRulesRepo(db);
  return {
    rules: () => (repo.rules() as RuleRow[]).map(ruleView),
    addRule(r: RuleInput, now: number): AlertRule {
      const id = repo.insert({ kind: r.kind, number: r.number ?? null, currency: r.currency, threshold: parseMoney(r.threshold), factor: r.kind === 'spend_spike' ? (r.factor ?? null) : null, enabled: r.enabled ? 1 : 0, now });
      return ruleView(repo.rule(id) as RuleRow);
    },
    removeRule: (id: number) => repo.remove(id),
    firings: (onlyOpen: boolean, limit: number) => (repo.firings(onlyOpen, limit) as FiringRow[]).map(firingView),
    firing: (id: number) => {
      const f = repo.firing(id) as FiringRow | undefined;
      return f ? firingView(f) : null;
    },
    unacknowledged: () => repo.unacknowledged(),
    acknowledge: (id: number, now: number) => repo.acknowledge(id, now),
    kindWords: KIND_WORDS,
  };
}
export type AlertStore = ReturnType<typeof alertStore>;
