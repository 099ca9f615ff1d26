// Alert rules and their firings (migrations 9 and 11): named statements and typed rows.
// Integers come back as bigints (safeIntegers): a firing's amount is nano-units.
import type { AlertKind, AlertScopeKind } from '../../../shared/alerts.ts';
import type { Subject } from './alert-facts.ts';
import type { Db } from './open.ts';

/** A row of alert_rules. */
export interface AlertRuleRow {
  id: bigint;
  kind: AlertKind;
  scope_kind: AlertScopeKind;
  scope_value: string | null;
  currency: string | null;
  threshold_nanos: bigint | null;
  factor: string | null;
  min_calls: bigint | null;
  short_sec: bigint | null;
  enabled: bigint;
  created_at: bigint;
}

/** A row of alert_firings, with its rule's kind. */
export interface AlertFiringRow {
  id: bigint;
  rule_id: bigint;
  kind: AlertKind;
  cause: string;
  subject: string;
  our_number: string | null;
  period: string;
  call_id: bigint | null;
  amount_nanos: bigint;
  currency: string | null;
  detail: string;
  fired_at: bigint;
  acknowledged_at: bigint | null;
}

/** What a new rule writes (the columns a kind does not use are null). */
export interface NewAlertRule {
  kind: AlertKind;
  scopeKind: AlertScopeKind;
  scopeValue: string | null;
  currency: string | null;
  threshold: bigint | null;
  factor: string | null;
  minCalls: number | null;
  shortSec: number | null;
  enabled: boolean;
}

/** What a firing writes: its cause is unique per rule, so the same cause fires once. */
export interface NewAlertFiring {
  rule: number;
  cause: string;
  subject: string;
  number: string | null;
  period: string;
  call: number | null;
  amount: bigint;
  currency: string | null;
  detail: string;
  at: number;
}

const FIRING_SELECT = 'SELECT f.*, r.kind FROM alert_firings f JOIN alert_rules r ON r.id = f.rule_id';

function alertStatements(db: Db) {
  const q = (sql: string) => db.prepare(sql).safeIntegers(true);
  return {
    rules: q('SELECT * FROM alert_rules ORDER BY id'),
    enabledRules: q('SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY id'),
    rule: q('SELECT * FROM alert_rules WHERE id = ?'),
    insertRule:
      q(`INSERT INTO alert_rules (kind, scope_kind, scope_value, currency, threshold_nanos, factor, min_calls, short_sec, enabled, created_at, updated_at)
      VALUES (@kind, @scopeKind, @scopeValue, @currency, @threshold, @factor, @minCalls, @shortSec, @enabled, @now, @now)`),
    removeRule: q('DELETE FROM alert_rules WHERE id = ?'),
    anyEnabled: q('SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled = 1)').pluck(),
    anyCountryRule: q("SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled = 1 AND kind = 'new_country')").pluck(),
    watchedScopes: q(
      "SELECT DISTINCT scope_kind AS kind, scope_value AS value FROM alert_rules WHERE enabled = 1 AND scope_kind IN ('billing_group','tag','country') AND kind <> 'new_country'",
    ),
    firings: q(`${FIRING_SELECT} WHERE (@open = 0 OR f.acknowledged_at IS NULL) ORDER BY f.fired_at DESC, f.id DESC LIMIT @limit`),
    firing: q(`${FIRING_SELECT} WHERE f.id = ?`),
    insertFiring: q(`INSERT OR IGNORE INTO alert_firings (rule_id, cause, subject, our_number, period, call_id, amount_nanos, currency, detail, fired_at)
      VALUES (@rule, @cause, @subject, @number, @period, @call, @amount, @currency, @detail, @at)`),
    unacknowledged: q('SELECT COUNT(*) FROM alert_firings WHERE acknowledged_at IS NULL').pluck(),
    acknowledge: q('UPDATE alert_firings SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL'),
  };
}

export function alertsRepo(db: Db) {
  const st = alertStatements(db);
  return {
    rules: () => st.rules.all() as AlertRuleRow[],
    /** The enabled rules, in the order they were added. */
    enabledRules: () => st.enabledRules.all() as AlertRuleRow[],
    rule: (id: number | bigint) => st.rule.get(id) as AlertRuleRow | undefined,
    /** Adds a rule; its id. */
    addRule(r: NewAlertRule, now: number): bigint {
      return BigInt(st.insertRule.run({ ...r, enabled: r.enabled ? 1 : 0, now }).lastInsertRowid);
    },
    removeRule: (id: number) => st.removeRule.run(id).changes > 0,
    anyEnabled: () => (st.anyEnabled.get() as bigint) === 1n,
    /** Whether some enabled rule watches numbers' new countries. */
    anyCountryRule: () => (st.anyCountryRule.get() as bigint) === 1n,
    /** The billing groups, tags and countries whose day spend some enabled rule reads. */
    watchedScopes: () => st.watchedScopes.all() as Subject[],

    firings: (onlyOpen: boolean, limit: number) => st.firings.all({ open: onlyOpen ? 1 : 0, limit }) as AlertFiringRow[],
    firing: (id: number) => st.firing.get(id) as AlertFiringRow | undefined,
    /** Writes a firing unless its rule already fired for that cause; 1 when written, else 0. */
    fire: (f: NewAlertFiring) => st.insertFiring.run(f).changes,
    unacknowledged: () => Number(st.unacknowledged.get()),
    acknowledge: (id: number, now: number) => st.acknowledge.run(now, id).changes > 0,
  };
}
export type AlertsRepo = ReturnType<typeof alertsRepo>;
