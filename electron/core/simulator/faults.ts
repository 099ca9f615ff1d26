// Faults on demand. A fault only changes how one response goes out, never the account, so a
// retry after a fault gets the right answer. Rules are checked in order for each /v2 request
// whose path matches; the first one that fires applies.
//   count: the next N matching requests;  probability: a seeded draw per matching request
//   (the same seed and request sequence give the same faults);  neither: every request.
import { Rng, hash3 } from './prng.ts';
import { SALT } from './salts.ts';

export const FAULT_KINDS = ['401', '403', '429', '500', '503', 'slow', 'drop', 'truncated', 'malformed', 'renamed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** 401/403/429/500/503 may be given as numbers. */
  kind: FaultKind | 401 | 403 | 429 | 500 | 503;
  /** Apply to the next `count` matching requests, then retire. */
  count?: number;
  /** Or: apply with this probability per matching request (seeded, reproducible). */
  probability?: number;
  /** Seed of the probability draws. Default 1. */
  seed?: number;
  /** Only requests whose path starts with this (e.g. "/v2/detail_records"). */
  path?: string;
  /** slow: milliseconds to wait before answering normally. Default 2000. */
  delayMs?: number;
  /** 429: seconds in x-ratelimit-reset and Retry-After. Default 1. */
  retryAfterSec?: number;
  /** drop: destroy the socket before any header (default) or halfway through the body. */
  when?: 'before-headers' | 'mid-body';
}

export interface ActiveFault {
  kind: FaultKind;
  delayMs: number;
  retryAfterSec: number;
  when: 'before-headers' | 'mid-body';
}

interface LiveRule {
  rule: FaultRule;
  kind: FaultKind;
  remaining: number;
  rng: Rng | null;
}

export function normalizeFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new TypeError('a fault rule must be an object');
  const r = input as Record<string, unknown>;
  const kind = String(r.kind) as FaultKind;
  if (!FAULT_KINDS.includes(kind)) throw new TypeError(`unknown fault kind: ${String(r.kind)}`);
  const num = (k: string) => {
    const v = r[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError(`${k} must be a number >= 0`);
    return v;
  };
  const probability = num('probability');
  if (probability !== undefined && probability > 1) throw new TypeError('probability must be within [0, 1]');
  const count = num('count');
  if (count !== undefined && !Number.isInteger(count)) throw new TypeError('count must be an integer');
  const when = r.when === 'mid-body' ? 'mid-body' : 'before-headers';
  const out: FaultRule = { kind, when };
  if (count !== undefined) out.count = count;
  if (probability !== undefined) out.probability = probability;
  const seed = num('seed');
  if (seed !== undefined) out.seed = seed;
  const delayMs = num('delayMs');
  if (delayMs !== undefined) out.delayMs = delayMs;
  const retryAfterSec = num('retryAfterSec');
  if (retryAfterSec !== undefined) out.retryAfterSec = retryAfterSec;
  if (typeof r.path === 'string') out.path = r.path;
  return out;
}

export class FaultController {
  #rules: LiveRule[] = [];

  set(rules: FaultRule | readonly FaultRule[]): void {
    const list = Array.isArray(rules) ? rules : [rules as FaultRule];
    this.#rules = list.map((input) => {
      const rule = normalizeFaultRule(input);
      const kind = String(rule.kind) as FaultKind;
      const probabilistic = rule.count === undefined && rule.probability !== undefined;
      return {
        rule,
        kind,
        remaining: rule.count ?? Infinity,
        rng: probabilistic ? new Rng(hash3(rule.seed ?? 1, SALT.faults, 0)) : null,
      };
    });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault for this request, if any (consumes a count or a random draw). */
  pick(path: string): ActiveFault | null {
    for (const live of this.#rules) {
      if (live.rule.path && !path.startsWith(live.rule.path)) continue;
      let fire: boolean;
      if (live.rng) fire = live.rng.next() < live.rule.probability!;
      else if (live.remaining > 0) {
        live.remaining--;
        fire = true;
      } else fire = false;
      if (fire) {
        return {
          kind: live.kind,
          delayMs: live.rule.delayMs ?? 2000,
          retryAfterSec: live.rule.retryAfterSec ?? 1,
          when: live.rule.when ?? 'before-headers',
        };
      }
    }
    return null;
  }

  /** Rules still in force, with what is left of their counts. */
  describe(): Array<FaultRule & { remaining: number | null }> {
    return this.#rules.filter((l) => l.rng || l.remaining > 0).map((l) => ({ ...l.rule, remaining: Number.isFinite(l.remaining) ? l.remaining : null }));
  }
}

// --- response rewrites used by the content faults ------------------------------------------

/** `renamed`: the same rows with fields renamed, missing or of the wrong type. */
export function renameRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    switch (k) {
      case 'cost':
        break; // missing
      case 'billed_sec':
      case 'call_sec':
      case 'parts':
        out[k] = String(v);
        break;
      case 'call_leg_id':
      case 'telnyx_leg_id':
        out.leg_uuid = v;
        break;
      case 'uuid':
        out.message_uuid = v;
        break;
      case 'webhook': {
        const w = { ...(v as Record<string, unknown>) };
        w.type = w.event_type;
        delete w.event_type;
        w.payload = renameRow(w.payload as Record<string, unknown>);
        out.webhook = w;
        break;
      }
      case 'total_cost':
        out.totalCost = v;
        break;
      default:
        out[k] = v;
    }
  }
  return out;
}
