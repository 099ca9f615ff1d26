// Contract schemas for spend alerts: rules (what to watch) and firings (each time one fired,
// with what made it fire). Amounts are exact decimal text with the rule's currency.
import { z } from 'zod';

const Ms = z.number().int().min(0).max(8.64e15);
const Amount = z.string().regex(/^\d+(\.\d{1,9})?$/, 'An amount such as 25 or 0.50 (up to 9 decimals)');

export const AlertKind = z.enum(['daily_spend', 'monthly_spend', 'call_cost', 'spend_spike']);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertRuleInput = z
  .object({
    kind: AlertKind,
    /** Only this number of ours; absent: every number. */
    number: z.string().min(3).max(32).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'A three-letter currency code, e.g. USD'),
    /** Spend above this (per day, per month, for one call); for a spike, the least day worth an alert. */
    threshold: Amount,
    /** spend_spike only: the day's spend above N times its trailing 7-day average. */
    factor: z.string().regex(/^\d+(\.\d{1,3})?$/, 'A factor such as 3 or 2.5').optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((r) => r.kind !== 'spend_spike' || r.factor !== undefined, { message: 'A spike rule needs a factor, e.g. 3', path: ['factor'] });
export type AlertRuleInput = z.input<typeof AlertRuleInput>;

export const AlertRule = z.object({
  id: z.number().int().positive(),
  kind: AlertKind,
  number: z.string().nullable(),
  currency: z.string(),
  threshold: z.string(),
  factor: z.string().nullable(),
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
  number: z.string(),
  period: z.string(),
  callId: z.number().int().nullable(),
  amount: z.string(),
  currency: z.string(),
  detail: z.record(z.string(), z.unknown()),
  firedAt: Ms,
  acknowledgedAt: Ms.nullable(),
});
export type AlertFiring = z.infer<typeof AlertFiring>;

export const AlertsQuery = z.object({ unacknowledgedOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(200) }).strict();
export const AlertsList = z.object({ firings: z.array(AlertFiring), unacknowledged: z.number().int() });
