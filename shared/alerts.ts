// Contract schemas for spend alerts: rules (what to watch) and firings (each time one fired,
// with what made it fire). Amounts are exact decimal text with the rule's currency.
import { z } from 'zod';

const Ms = z.number().int().min(0).max(8.64e15);
const Amount = z.string().regex(/^\d+(\.\d{1,9})?$/, 'An amount such as 25 or 0.50 (up to 9 decimals)');

export const AlertKind = z.enum(['daily_spend', 'monthly_spend', 'call_cost', 'spend_spike', 'new_country', 'failed_calls']);
export type AlertKind = z.infer<typeof AlertKind>;
/** The kinds that watch money (a currency and a threshold); the others count calls. */
export const MONEY_KINDS: readonly AlertKind[] = ['daily_spend', 'monthly_spend', 'call_cost', 'spend_spike'];

/** What a rule watches besides one number: the calls of a billing group, a tag or a destination country. */
export const AlertScopeKind = z.enum(['all', 'number', 'billing_group', 'tag', 'country']);
export type AlertScopeKind = z.infer<typeof AlertScopeKind>;
const ScopeText = z.string().trim().min(1).max(64);

export const AlertRuleInput = z
  .object({
    kind: AlertKind,
    /** Only this number of ours; absent (and no other scope): every number, each on its own. */
    number: z.string().min(3).max(32).optional(),
    /** Only the calls of this billing group (calls.billing_group_id), tag, or destination country code. */
    billingGroup: ScopeText.optional(),
    tag: ScopeText.optional(),
    country: ScopeText.optional(),
    /** The money kinds: the rule's currency. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'A three-letter currency code, e.g. USD')
      .optional(),
    /** Spend above this (per day, per month, for one call); for a spike, the least day worth an alert. */
    threshold: Amount.optional(),
    /** spend_spike only: the day's spend above N times its trailing 7-day average. */
    factor: z
      .string()
      .regex(/^\d+(\.\d{1,3})?$/, 'A factor such as 3 or 2.5')
      .optional(),
    /** failed_calls: this many failed or very short calls in a row (default 5). */
    minCalls: z.number().int().min(2).max(1000).optional(),
    /** failed_calls: a call that talked fewer seconds than this counts as very short (default 10). */
    shortSec: z.number().int().min(0).max(3600).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((r) => [r.number, r.billingGroup, r.tag, r.country].filter((v) => v !== undefined).length <= 1, {
    message: 'A rule watches one number, billing group, tag or country (or every number)',
    path: ['number'],
  })
  .refine((r) => !MONEY_KINDS.includes(r.kind) || (r.currency !== undefined && r.threshold !== undefined), {
    message: 'A spend rule needs an amount and a currency',
    path: ['threshold'],
  })
  .refine((r) => r.kind !== 'spend_spike' || r.factor !== undefined, { message: 'A spike rule needs a factor, e.g. 3', path: ['factor'] })
  .refine((r) => r.kind !== 'new_country' || r.country === undefined, {
    message: 'A new-country rule watches numbers, a billing group or a tag, not one country',
    path: ['country'],
  });
export type AlertRuleInput = z.input<typeof AlertRuleInput>;

export const AlertRule = z.object({
  id: z.number().int().positive(),
  kind: AlertKind,
  scope: z.object({ kind: AlertScopeKind, value: z.string().nullable() }),
  /** The number when the scope is one number, else null. */
  number: z.string().nullable(),
  /** "every number", "+15551230001", "billing group 42", "tag sales", "country 49". */
  scopeLabel: z.string(),
  currency: z.string().nullable(),
  threshold: z.string().nullable(),
  factor: z.string().nullable(),
  minCalls: z.number().int().nullable(),
  shortSec: z.number().int().nullable(),
  enabled: z.boolean(),
  createdAt: Ms,
});
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertFiring = z.object({
  id: z.number().int().positive(),
  ruleId: z.number().int().positive(),
  kind: AlertKind,
  /** What fired, in words: "+15551230001 spent 31.20 USD on 2026-01-05 (threshold 25.00)". */
  summary: z.string(),
  cause: z.string(),
  /** What fired: a number, or "billing group 42", "tag sales", "country 49". */
  subject: z.string(),
  /** The number of ours it is about, when it is about one. */
  number: z.string().nullable(),
  period: z.string(),
  callId: z.number().int().nullable(),
  /** Money for the spend kinds; a count of calls for new_country (1) and failed_calls. */
  amount: z.string(),
  currency: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  firedAt: Ms,
  acknowledgedAt: Ms.nullable(),
});
export type AlertFiring = z.infer<typeof AlertFiring>;

export const AlertsQuery = z.object({ unacknowledgedOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(200) }).strict();
export const AlertsList = z.object({ firings: z.array(AlertFiring), unacknowledged: z.number().int() });
