// A monthly statement built from the ledger's sums (views/statement-sums.ts): per booked
// currency, call lines per direction, message lines per type and direction, their totals and
// the top destinations.
import type { Db } from '../ledger/open.ts';
import { statementSums, type SumRow } from '../views/statement-sums.ts';
import { TOP_DESTINATIONS, type CallLine, type CurrencySection, type Destination, type MessageLine, type Statement, type StatementScope } from './model.ts';
import type { Period } from './period.ts';
import { addFields, type SummableKey } from '../util/add-fields.ts';

type Row = SumRow;
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

const SUMMED: readonly SummableKey<CallLine>[] = [
  'calls',
  'billedSec',
  'exactCalls',
  'estimatedCalls',
  'exact',
  'estimated',
  'booked',
  'variance',
  'varianceBase',
];

function addCallLines(kind: string, lines: CallLine[]): CallLine {
  const t = callLine(kind, {});
  for (const l of lines) addFields(t, l, SUMMED);
  return t;
}

function messageLine(kind: string, r: Row): MessageLine {
  return { kind, messages: n(r.messages), parts: n(r.parts), pricedMessages: n(r.priced), cost: big(r.cost), carrierFees: big(r.fees) };
}

const DIRECTION_LABEL: Record<string, string> = { inbound: 'Inbound', outbound: 'Outbound' };

export function buildStatement(db: Db, period: Period, scope: StatementScope, now: number): Statement {
  const sums = statementSums(db, period, scope, TOP_DESTINATIONS);
  const callRows = sums.calls;
  const messageRows = sums.messages;
  const destinations = sums.destinations;

  const currencies = [...new Set([...callRows, ...messageRows].map((r) => String(r.cur)))].sort();
  const sections: CurrencySection[] = currencies.map((currency) => {
    const calls = callRows.filter((r) => r.cur === currency).map((r) => callLine(`${DIRECTION_LABEL[String(r.direction)] ?? String(r.direction)} calls`, r));
    const messages = messageRows.filter((r) => r.cur === currency).map((r) => messageLine(`${String(r.type)} ${String(r.direction)}`, r));
    const callsTotal = addCallLines('All calls', calls);
    const messagesTotal = messages.reduce<MessageLine>(
      (t, m) => ({
        ...t,
        messages: t.messages + m.messages,
        parts: t.parts + m.parts,
        pricedMessages: t.pricedMessages + m.pricedMessages,
        cost: t.cost + m.cost,
        carrierFees: t.carrierFees + m.carrierFees,
      }),
      messageLine('All messages', {}),
    );
    const topDestinations: Destination[] = destinations
      .filter((r) => r.cur === currency)
      .map((r) => ({ destination: String(r.destination), calls: n(r.calls), messages: n(r.messages), billedSec: n(r.billed_sec), booked: big(r.booked) }));
    return { currency, calls, messages, callsTotal, messagesTotal, total: callsTotal.booked + messagesTotal.cost, topDestinations };
  });

  return {
    period,
    scope,
    scopeLabel: scope.kind === 'number' ? scope.number : scope.kind === 'billingGroup' ? `billing group ${scope.billingGroup}` : 'all numbers',
    numbers: sums.numbers,
    generatedAt: now,
    sections,
    unpricedCalls: sums.unpricedCalls,
    unpricedMessages: sums.unpricedMessages,
    telnyxCheck: null,
  };
}
