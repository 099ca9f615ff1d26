// A monthly statement read from the ledger's rows (calls by started_at, messages by sent_at,
// both in [period.from, period.to)). Sums are read as bigints (safeIntegers) and grouped per
// booked currency: a call's is its exact cost's currency when it has one, else its estimate's.
import { bookedSql } from '../ledger/booked.ts';
import type { Db } from '../ledger/open.ts';
import { TOP_DESTINATIONS, type CallLine, type CurrencySection, type Destination, type MessageLine, type Statement, type StatementScope } from './model.ts';
import type { Period } from './period.ts';

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

// The booked rule (ledger/booked.ts) over bare calls columns.
const B = bookedSql('');
const CALL_SUMS = `
  COUNT(*) AS calls, COALESCE(SUM(billed_sec), 0) AS billed_sec,
  SUM(${B.isExact} AND exact_nanos IS NOT NULL) AS exact_calls,
  SUM(NOT ${B.isExact} AND estimated_nanos IS NOT NULL) AS estimated_calls,
  COALESCE(SUM(${B.exactNanos}), 0) AS exact,
  COALESCE(SUM(CASE WHEN NOT ${B.isExact} THEN estimated_nanos END), 0) AS estimated,
  COALESCE(SUM(CASE WHEN ${B.isExact} AND exact_nanos IS NOT NULL AND estimated_nanos IS NOT NULL AND estimate_currency = currency THEN exact_nanos - estimated_nanos END), 0) AS variance,
  COALESCE(SUM(CASE WHEN ${B.isExact} AND exact_nanos IS NOT NULL AND estimated_nanos IS NOT NULL AND estimate_currency = currency THEN estimated_nanos END), 0) AS variance_base`;
const BOOKED_CURRENCY = B.currency;

type Row = Record<string, bigint | string | null>;
const n = (v: unknown) => Number(v ?? 0);
const big = (v: unknown) => (typeof v === 'bigint' ? v : BigInt(Number(v ?? 0)));

function callLine(kind: string, r: Row): CallLine {
  const exact = big(r.exact);
  const estimated = big(r.estimated);
  return {
    kind,
    calls: n(r.calls),
    billedSec: n(r.billed_sec),
    exactCalls: n(r.exact_calls),
    estimatedCalls: n(r.estimated_calls),
    exact,
    estimated,
    booked: exact + estimated,
    variance: big(r.variance),
    varianceBase: big(r.variance_base),
  };
}

function addCallLines(kind: string, lines: CallLine[]): CallLine {
  const t = callLine(kind, {});
  for (const l of lines) {
    t.calls += l.calls;
    t.billedSec += l.billedSec;
    t.exactCalls += l.exactCalls;
    t.estimatedCalls += l.estimatedCalls;
    t.exact += l.exact;
    t.estimated += l.estimated;
    t.booked += l.booked;
    t.variance += l.variance;
    t.varianceBase += l.varianceBase;
  }
  return t;
}

function messageLine(kind: string, r: Row): MessageLine {
  return { kind, messages: n(r.messages), parts: n(r.parts), pricedMessages: n(r.priced), cost: big(r.cost), carrierFees: big(r.fees) };
}

const DIRECTION_LABEL: Record<string, string> = { inbound: 'Inbound', outbound: 'Outbound' };

export function buildStatement(db: Db, period: Period, scope: StatementScope, now: number): Statement {
  const params = { from: period.from, to: period.to, number: scope.kind === 'number' ? scope.number : null, group: scope.kind === 'billingGroup' ? scope.billingGroup : null };
  const callsIn = `FROM calls WHERE started_at >= @from AND started_at < @to AND ${scopeWhere('calls', scope)}`;
  const messagesIn = `FROM messages WHERE sent_at >= @from AND sent_at < @to AND ${scopeWhere('messages', scope)}`;
  const all = (sql: string) => db.prepare(sql).safeIntegers(true).all(params) as Row[];

  const callRows = all(`SELECT ${BOOKED_CURRENCY} AS cur, direction, ${CALL_SUMS} ${callsIn} AND ${BOOKED_CURRENCY} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`);
  const messageRows = all(`SELECT currency AS cur, COALESCE(message_type, 'SMS') AS type, direction, COUNT(*) AS messages, COALESCE(SUM(parts), 0) AS parts,
      COUNT(cost_nanos) AS priced, COALESCE(SUM(cost_nanos), 0) AS cost, COALESCE(SUM(carrier_fee_nanos), 0) AS fees
    ${messagesIn} AND currency IS NOT NULL AND cost_nanos IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  // Outbound calls and messages per number called, the top ones per currency by booked cost.
  const destinations = all(`SELECT * FROM (
      SELECT cur, destination, SUM(calls) AS calls, SUM(messages) AS messages, SUM(billed_sec) AS billed_sec, SUM(booked) AS booked,
        ROW_NUMBER() OVER (PARTITION BY cur ORDER BY SUM(booked) DESC, destination) AS rank
      FROM (
        SELECT ${BOOKED_CURRENCY} AS cur, other_number AS destination, 1 AS calls, 0 AS messages, COALESCE(billed_sec, 0) AS billed_sec, ${B.nanos} AS booked
        ${callsIn} AND direction = 'outbound' AND ${BOOKED_CURRENCY} IS NOT NULL
        UNION ALL
        SELECT currency, other_number, 0, 1, 0, cost_nanos ${messagesIn} AND direction = 'outbound' AND cost_nanos IS NOT NULL AND currency IS NOT NULL)
      GROUP BY cur, destination)
    WHERE rank <= ${TOP_DESTINATIONS} ORDER BY cur, rank`);

  const currencies = [...new Set([...callRows, ...messageRows].map((r) => String(r.cur)))].sort();
  const sections: CurrencySection[] = currencies.map((currency) => {
    const calls = callRows.filter((r) => r.cur === currency).map((r) => callLine(`${DIRECTION_LABEL[String(r.direction)] ?? String(r.direction)} calls`, r));
    const messages = messageRows.filter((r) => r.cur === currency).map((r) => messageLine(`${String(r.type)} ${String(r.direction)}`, r));
    const callsTotal = addCallLines('All calls', calls);
    const messagesTotal = messages.reduce<MessageLine>(
      (t, m) => ({ ...t, messages: t.messages + m.messages, parts: t.parts + m.parts, pricedMessages: t.pricedMessages + m.pricedMessages, cost: t.cost + m.cost, carrierFees: t.carrierFees + m.carrierFees }),
      messageLine('All messages', {}),
    );
    const topDestinations: Destination[] = destinations
      .filter((r) => r.cur === currency)
      .map((r) => ({ destination: String(r.destination), calls: n(r.calls), messages: n(r.messages), billedSec: n(r.billed_sec), booked: big(r.booked) }));
    return { currency, calls, messages, callsTotal, messagesTotal, total: callsTotal.booked + messagesTotal.cost, topDestinations };
  });

  const one = (sql: string) => n(db.prepare(sql).safeIntegers(true).pluck().get(params));
  const numbers = db.prepare(`SELECT our_number ${callsIn} UNION SELECT our_number ${messagesIn} ORDER BY 1`).pluck().all(params) as string[];
  return {
    period,
    scope,
    scopeLabel: scope.kind === 'number' ? scope.number : scope.kind === 'billingGroup' ? `billing group ${scope.billingGroup}` : 'all numbers',
    numbers,
    generatedAt: now,
    sections,
    unpricedCalls: one(`SELECT COUNT(*) ${callsIn} AND ${BOOKED_CURRENCY} IS NULL`),
    unpricedMessages: one(`SELECT COUNT(*) ${messagesIn} AND (cost_nanos IS NULL OR currency IS NULL)`),
  };
}
