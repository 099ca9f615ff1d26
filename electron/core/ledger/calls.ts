// Call rows: named statements and the one way to find a call from any of its Telnyx ids.
import type { CallCostStatus, CostSource, Direction } from '../../../shared/domain.ts';
import { CALL_KEY, type CallKeyKind } from './call-keys.ts';
import type { Db } from './open.ts';
import { toInt, toNanos, toText } from './rows.ts';

export interface Call {
  id: number;
  callLegId: string | null;
  callSessionId: string | null;
  callControlId: string | null;
  ourNumber: string;
  otherNumber: string;
  direction: Direction;
  connectionId: string | null;
  startedAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  callSec: number | null;
  billedSec: number | null;
  hangupCause: string | null;
  estimatedNanos: bigint | null;
  estimateCurrency: string | null;
  estimateMethod: string | null;
  estimateRate: string | null;
  exactNanos: bigint | null;
  currency: string | null;
  rate: string | null;
  costStatus: CallCostStatus;
  costSource: CostSource | null;
  costUpdatedAt: number | null;
  /** Parts known to belong to the call whose cost is not in yet (costs/parts.ts); empty when none. */
  missingParts: string[];
  billingGroupId: string | null;
  billingGroupName: string | null;
  connectionName: string | null;
  /** JSON array of tags as Telnyx sent them. */
  tags: string | null;
  countryCode: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A call as first seen: its ids and sides are required, every other fact may come later. */
export type NewCall = Pick<Call, 'callLegId' | 'callSessionId' | 'callControlId' | 'ourNumber' | 'otherNumber' | 'direction'> &
  Partial<
    Pick<
      Call,
      | 'connectionId'
      | 'startedAt'
      | 'answeredAt'
      | 'endedAt'
      | 'callSec'
      | 'billedSec'
      | 'hangupCause'
      | 'billingGroupId'
      | 'billingGroupName'
      | 'connectionName'
      | 'tags'
      | 'countryCode'
    >
  >;

/** The facts an event or record can add to a call. Undefined means "no news"; never erases. */
export type CallFacts = Partial<Omit<NewCall, 'ourNumber' | 'otherNumber' | 'direction'>>;

/** Every optional fact as NULL: the named parameters a statement needs when a fact is absent. */
const NO_FACTS: Required<{ [K in keyof CallFacts]: null }> = {
  callLegId: null,
  callSessionId: null,
  callControlId: null,
  connectionId: null,
  startedAt: null,
  answeredAt: null,
  endedAt: null,
  callSec: null,
  billedSec: null,
  hangupCause: null,
  billingGroupId: null,
  billingGroupName: null,
  connectionName: null,
  tags: null,
  countryCode: null,
};

export function mapCall(r: Record<string, unknown>): Call {
  return {
    id: toInt(r.id)!,
    callLegId: toText(r.call_leg_id),
    callSessionId: toText(r.call_session_id),
    callControlId: toText(r.call_control_id),
    ourNumber: String(r.our_number),
    otherNumber: String(r.other_number),
    direction: r.direction as Direction,
    connectionId: toText(r.connection_id),
    startedAt: toInt(r.started_at),
    answeredAt: toInt(r.answered_at),
    endedAt: toInt(r.ended_at),
    callSec: toInt(r.call_sec),
    billedSec: toInt(r.billed_sec),
    hangupCause: toText(r.hangup_cause),
    estimatedNanos: toNanos(r.estimated_nanos),
    estimateCurrency: toText(r.estimate_currency),
    estimateMethod: toText(r.estimate_method),
    estimateRate: toText(r.estimate_rate),
    exactNanos: toNanos(r.exact_nanos),
    currency: toText(r.currency),
    rate: toText(r.rate),
    costStatus: r.cost_status as CallCostStatus,
    costSource: (r.cost_source ?? null) as CostSource | null,
    costUpdatedAt: toInt(r.cost_updated_at),
    missingParts: r.missing_parts === null || r.missing_parts === undefined ? [] : (JSON.parse(String(r.missing_parts)) as string[]),
    billingGroupId: toText(r.billing_group_id),
    billingGroupName: toText(r.billing_group_name),
    connectionName: toText(r.connection_name),
    tags: toText(r.tags),
    countryCode: toText(r.country_code),
    createdAt: toInt(r.created_at)!,
    updatedAt: toInt(r.updated_at)!,
  };
}

// The facts of a call that events and records add to its row (bound as @camelCase). The ids
// a call is known by keep their first value; every other fact takes the latest one given.
const FIRST_KEPT = ['call_leg_id', 'call_session_id', 'call_control_id'];
const FACTS = [
  ...FIRST_KEPT,
  'connection_id',
  'started_at',
  'answered_at',
  'ended_at',
  'call_sec',
  'billed_sec',
  'hangup_cause',
  'billing_group_id',
  'billing_group_name',
  'connection_name',
  'tags',
  'country_code',
];
const param = (column: string) => '@' + column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
/** The fact's value after a write: the row's own or the given one, whichever wins when both are there. */
const factValue = (column: string) => (FIRST_KEPT.includes(column) ? `COALESCE(${column}, ${param(column)})` : `COALESCE(${param(column)}, ${column})`);

/** The named statements over calls. */
/** The columns a call born with its exact cost is inserted with (named here, positional in bulk.ts). */
export const PRICED_CALL_INTO = `INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, direction,
       connection_id, started_at, answered_at, ended_at, call_sec, billed_sec, hangup_cause,
       billing_group_id, billing_group_name, connection_name, tags, country_code,
       estimated_nanos, estimate_currency, estimate_method, estimate_rate,
       exact_nanos, currency, rate, cost_status, cost_source, cost_updated_at, created_at, updated_at)`;

function callStatements(db: Db) {
  const byId = db.prepare('SELECT * FROM calls WHERE id = ?');
  // A call's ids are found through call_key_lookup, both levels of the key table (migration 18).
  const byKey = (kind: CallKeyKind, limit = '') =>
    db.prepare(`SELECT * FROM calls WHERE id IN (SELECT call_id FROM call_key_lookup WHERE kind = ${kind} AND key = ?) ORDER BY id${limit}`);
  const byLeg = byKey(CALL_KEY.leg);
  const byControl = byKey(CALL_KEY.control);
  const bySession = byKey(CALL_KEY.session, ' LIMIT 10');
  const insert = db.prepare(
    `INSERT INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, direction,
       connection_id, started_at, answered_at, ended_at, call_sec, billed_sec, hangup_cause,
       billing_group_id, billing_group_name, connection_name, tags, country_code, created_at, updated_at)
     VALUES (@callLegId, @callSessionId, @callControlId, @ourNumber, @otherNumber, @direction,
       @connectionId, @startedAt, @answeredAt, @endedAt, @callSec, @billedSec, @hangupCause,
       @billingGroupId, @billingGroupName, @connectionName, @tags, @countryCode, @now, @now)`,
  );
  // Facts only ever fill in: a later event without a field keeps what we know. Only a row
  // whose facts change is touched: re-importing the same records leaves it as it was.
  const filled = FACTS.map((f) => `${f} = ${factValue(f)}`).join(',\n       ');
  const changed = FACTS.map((f) => `${f} IS NOT ${factValue(f)}`).join('\n       OR ');
  const addFacts = db.prepare(`UPDATE calls SET\n       ${filled},\n       updated_at = @now\n     WHERE id = @id AND (\n       ${changed})`);
  // A call first seen through a record that prices it alone: born with its exact cost.
  const insertPriced = db.prepare(
    `INSERT ${PRICED_CALL_INTO}
     VALUES (@callLegId, @callSessionId, @callControlId, @ourNumber, @otherNumber, @direction,
       @connectionId, @startedAt, @answeredAt, @endedAt, @callSec, @billedSec, @hangupCause,
       @billingGroupId, @billingGroupName, @connectionName, @tags, @countryCode,
       @estNanos, @estCurrency, @estMethod, @estRate,
       @nanos, @currency, @rate, 'exact', 'detail_record', @now, @now, @now)`,
  );
  const setEstimate = db.prepare(
    `UPDATE calls SET estimated_nanos = @nanos, estimate_currency = @currency, estimate_method = @method,
       estimate_rate = @rate, updated_at = @now WHERE id = @id`,
  );
  const setCost = db.prepare(
    `UPDATE calls SET exact_nanos = @nanos, currency = @currency, rate = COALESCE(@rate, rate),
       billed_sec = COALESCE(@billedSec, billed_sec), cost_status = @status, cost_source = @source,
       cost_updated_at = @now, updated_at = @now WHERE id = @id`,
  );
  const setMissingParts = db.prepare('UPDATE calls SET missing_parts = @missing, updated_at = @now WHERE id = @id AND missing_parts IS NOT @missing');
  const setStatus = db.prepare('UPDATE calls SET cost_status = @status, updated_at = @now WHERE id = @id');
  return { byId, byLeg, byControl, bySession, insert, addFacts, insertPriced, setEstimate, setCost, setMissingParts, setStatus };
}

export function callsRepo(db: Db) {
  const { byId, byLeg, byControl, bySession, insert, addFacts, insertPriced, setEstimate, setCost, setMissingParts, setStatus } = callStatements(db);
  const one = (row: unknown) => (row ? mapCall(row as Record<string, unknown>) : undefined);

  return {
    get: (id: number) => one(byId.get(id)),
    byLeg: (leg: string) => one(byLeg.get(leg)),
    byControl: (control: string) => one(byControl.get(control)),
    bySession: (session: string) => (bySession.all(session) as Record<string, unknown>[]).map(mapCall),

    /**
     * Finds the call any of these ids belongs to: leg id first (a record's leg is the call),
     * then call_control_id, then the session — but a session can hold two legs (a bridged
     * call), so a session match only counts when it is unambiguous, or when `prefer`
     * (numbers/direction) singles one out.
     */
    findByIds(
      ids: { legIds?: readonly string[]; controlId?: string | null; sessionIds?: readonly string[] },
      prefer?: { ourNumber?: string | null; otherNumber?: string | null },
    ): Call | undefined {
      for (const leg of ids.legIds ?? []) {
        const c = one(byLeg.get(leg));
        if (c) return c;
      }
      if (ids.controlId) {
        const c = one(byControl.get(ids.controlId));
        if (c) return c;
      }
      for (const session of ids.sessionIds ?? []) {
        const candidates = (bySession.all(session) as Record<string, unknown>[]).map(mapCall);
        if (candidates.length === 1) return candidates[0];
        if (candidates.length > 1 && prefer) {
          const fit = candidates.filter(
            (c) => (!prefer.ourNumber || c.ourNumber === prefer.ourNumber) && (!prefer.otherNumber || c.otherNumber === prefer.otherNumber),
          );
          if (fit.length === 1) return fit[0];
        }
      }
      return undefined;
    },

    insert(call: NewCall, now: number): number {
      const info = insert.run({ ...NO_FACTS, ...stripUndefined(call), now });
      return Number(info.lastInsertRowid);
    },

    /** Inserts a call with an exact detail-record cost (the row setCost would leave), and its comparison estimate if any. */
    insertPriced(
      call: NewCall,
      cost: { nanos: bigint; currency: string; rate?: string | null },
      estimate: { nanos: bigint; currency: string; method: string; rate: string } | null,
      now: number,
    ): number {
      const info = insertPriced.run({
        ...NO_FACTS,
        ...stripUndefined(call),
        ...cost,
        rate: cost.rate ?? null,
        now,
        estNanos: estimate?.nanos ?? null,
        estCurrency: estimate?.currency ?? null,
        estMethod: estimate?.method ?? null,
        estRate: estimate?.rate ?? null,
      });
      return Number(info.lastInsertRowid);
    },

    addFacts(id: number, facts: CallFacts, now: number): void {
      addFacts.run({
        ...NO_FACTS,
        ...stripUndefined(facts),
        id,
        now,
      });
    },

    setEstimate(id: number, e: { nanos: bigint; currency: string; method: string; rate: string }, now: number): void {
      setEstimate.run({ ...e, id, now });
    },

    setCost(
      id: number,
      c: { nanos: bigint | null; currency: string | null; rate: string | null; billedSec: number | null; status: CallCostStatus; source: CostSource | null },
      now: number,
    ): void {
      setCost.run({ ...c, id, now });
    },

    /** Records which known parts have no cost yet (none: NULL). True when it changed. */
    setMissingParts(id: number, missing: readonly string[], now: number): boolean {
      return setMissingParts.run({ id, missing: missing.length === 0 ? null : JSON.stringify(missing), now }).changes > 0;
    },

    setStatus(id: number, status: CallCostStatus, now: number): void {
      setStatus.run({ id, status, now });
    },
  };
}
export type CallsRepo = ReturnType<typeof callsRepo>;

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
