// The sums behind a monthly statement (core/statements builds the statement from them): calls
// by started_at, messages by sent_at, both in [period.from, period.to). Sums are read as
// bigints (safeIntegers) and grouped per booked currency (ledger/booked.ts).
import { bookedSql } from '../ledger/booked.ts';
import type { Db } from '../ledger/open.ts';
import type { StatementScope } from '../statements/model.ts';

/**
 * Telnyx attributes billing groups to voice (detail records and call.cost carry
 * billing_group_id; migration 7 keeps it on calls). Messages carry a messaging profile, not a
 * billing group, so a statement per billing group lists that group's calls and no messages.
 */
export function scopeWhere(table: 'calls' | 'messages', scope: StatementScope): string {
  if (scope.kind === 'all') return '1';
  if (scope.kind === 'number') return 'our_number = @number';
  return table === 'calls' ? 'billing_group_id = @group' : '0';
}

/** The named parameters scopeWhere's clauses and the period bounds use. */
export function scopeParams(period: { from: number; to: number }, scope: StatementScope) {
  return {
    from: period.from,
    to: period.to,
    number: scope.kind === 'number' ? scope.number : null,
    group: scope.kind === 'billingGroup' ? scope.billingGroup : null,
  };
}

// The booked rule over bare calls columns.
const B = bookedSql('');
const CALL_SUMS = `
  COUNT(*) AS calls, COALESCE(SUM(billed_sec), 0) AS billed_sec,
  SUM(${B.isExact} AND exact_nanos IS NOT NULL) AS exact_calls,
  SUM(NOT ${B.isExact} AND estimated_nanos IS NOT NULL) AS estimated_calls,
  COALESCE(SUM(${B.exactNanos}), 0) AS exact,
  COALESCE(SUM(CASE WHEN NOT ${B.isExact} THEN estimated_nanos END), 0) AS estimated,
  COALESCE(SUM(CASE WHEN ${B.isExact} AND exact_nanos IS NOT NULL AND estimated_nanos IS NOT NULL AND estimate_currency = currency THEN exact_nanos - estimated_nanos END), 0) AS variance,
  COALESCE(SUM(CASE WHEN ${B.isExact} AND exact_nanos IS NOT NULL AND estimated_nanos IS NOT NULL AND estimate_currency = currency THEN estimated_nanos END), 0) AS variance_base`;

export type SumRow = Record<string, bigint | string | null>;

export interface StatementSums {
  /** Per booked currency (`cur`) and direction: calls, billed_sec, exact_calls, estimated_calls, exact, estimated, variance, variance_base. */
  calls: SumRow[];
  /** Per currency (`cur`), message type and direction: messages, parts, priced, cost, fees. */
  messages: SumRow[];
  /** The top `top` destinations per currency by booked cost: destination, calls, messages, billed_sec, booked, rank. */
  destinations: SumRow[];
  /** Our numbers with a call or message in the period. */
  numbers: string[];
  /** Calls with no booked amount yet, and messages without a cost. */
  unpricedCalls: number;
  unpricedMessages: number;
}

export function statementSums(db: Db, period: { from: number; to: number }, scope: StatementScope, top: number): StatementSums {
  const params = scopeParams(period, scope);
  const callsIn = `FROM calls WHERE started_at >= @from AND started_at < @to AND ${scopeWhere('calls', scope)}`;
  const messagesIn = `FROM messages WHERE sent_at >= @from AND sent_at < @to AND ${scopeWhere('messages', scope)}`;
  const all = (sql: string) => db.prepare(sql).safeIntegers(true).all(params) as SumRow[];
  const one = (sql: string) => Number(db.prepare(sql).safeIntegers(true).pluck().get(params) ?? 0);

  return {
    calls: all(`SELECT ${B.currency} AS cur, direction, ${CALL_SUMS} ${callsIn} AND ${B.currency} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`),
    messages: all(`SELECT currency AS cur, COALESCE(message_type, 'SMS') AS type, direction, COUNT(*) AS messages, COALESCE(SUM(parts), 0) AS parts,
      COUNT(cost_nanos) AS priced, COALESCE(SUM(cost_nanos), 0) AS cost, COALESCE(SUM(carrier_fee_nanos), 0) AS fees
    ${messagesIn} AND currency IS NOT NULL AND cost_nanos IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`),
    // Outbound calls and messages per number called, the top ones per currency by booked cost.
    destinations: all(`SELECT * FROM (
      SELECT cur, destination, SUM(calls) AS calls, SUM(messages) AS messages, SUM(billed_sec) AS billed_sec, SUM(booked) AS booked,
        ROW_NUMBER() OVER (PARTITION BY cur ORDER BY SUM(booked) DESC, destination) AS rank
      FROM (
        SELECT ${B.currency} AS cur, other_number AS destination, 1 AS calls, 0 AS messages, COALESCE(billed_sec, 0) AS billed_sec, ${B.nanos} AS booked
        ${callsIn} AND direction = 'outbound' AND ${B.currency} IS NOT NULL
        UNION ALL
        SELECT currency, other_number, 0, 1, 0, cost_nanos ${messagesIn} AND direction = 'outbound' AND cost_nanos IS NOT NULL AND currency IS NOT NULL)
      GROUP BY cur, destination)
    WHERE rank <= ${top} ORDER BY cur, rank`),
    numbers: db.prepare(`SELECT our_number ${callsIn} UNION SELECT our_number ${messagesIn} ORDER BY 1`).pluck().all(params) as string[],
    unpricedCalls: one(`SELECT COUNT(*) ${callsIn} AND ${B.currency} IS NULL`),
    unpricedMessages: one(`SELECT COUNT(*) ${messagesIn} AND (cost_nanos IS NULL OR currency IS NULL)`),
  };
}
