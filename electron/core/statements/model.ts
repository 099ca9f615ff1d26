// What a monthly statement holds, per currency (amounts of two currencies are never added):
// calls and messages by kind, billed minutes, exact versus estimated, variance, and the top
// destinations. Money is bigint nano-units here; the writers format it exactly.
import type { Period } from './period.ts';

export type StatementScope = { kind: 'all' } | { kind: 'number'; number: string } | { kind: 'billingGroup'; billingGroup: string };

export interface CallLine {
  kind: string; // "Outbound calls"
  calls: number;
  billedSec: number;
  exactCalls: number;
  estimatedCalls: number;
  /** Exact costs of the calls that have one. */
  exact: bigint;
  /** Estimates standing for calls whose exact cost is not known yet. */
  estimated: bigint;
  /** exact + estimated: what the ledger books. */
  booked: bigint;
  /** exact - estimate, over calls that have both in one currency; and that estimate (the base). */
  variance: bigint;
  varianceBase: bigint;
}

export interface MessageLine {
  kind: string; // "SMS outbound"
  messages: number;
  parts: number;
  pricedMessages: number;
  cost: bigint;
  carrierFees: bigint;
}

export interface Destination {
  destination: string;
  calls: number;
  messages: number;
  billedSec: number;
  booked: bigint;
}

export interface CurrencySection {
  currency: string;
  calls: CallLine[];
  messages: MessageLine[];
  callsTotal: CallLine;
  messagesTotal: MessageLine;
  /** Calls booked + messages cost. */
  total: bigint;
  topDestinations: Destination[];
}

export interface Statement {
  period: Period;
  scope: StatementScope;
  /** "+15551230001", "billing group Sales", "all numbers". */
  scopeLabel: string;
  /** Our numbers with any call or message in the period and scope. */
  numbers: string[];
  generatedAt: number;
  sections: CurrencySection[];
  /** Calls in scope with neither an estimate nor an exact cost yet (no currency to put them in). */
  unpricedCalls: number;
  /** Messages with no cost yet. */
  unpricedMessages: number;
  /** Checked against Telnyx's usage report when asked (statements/telnyx-check.ts), else null. */
  telnyxCheck: TelnyxCheck | null;
}

/** The statement's exact costs beside Telnyx's usage report for the month, per currency. */
export interface TelnyxCheck {
  status: 'matches' | 'differs' | 'not_checked';
  /** Why it was not checked. */
  reason: string | null;
  rows: Array<{ currency: string; statement: bigint; telnyx: bigint; difference: bigint; matches: boolean }>;
  checkedAt: number;
}

export const TOP_DESTINATIONS = 10;
