// Calls and messages as the UI pages through them: server-side filter, sort and paging, so
// a million-call ledger answers a page without loading it. Sort columns come from a fixed
// map (never interpolated user text).
import type { CallBadge } from '../../../shared/domain.ts';
import type { CallDetail, CallRow, CallsQuery, MessageRow } from '../../../shared/contract.ts';
import type { z } from 'zod';
import type { Db } from '../ledger/open.ts';
import { mapCall, type Call } from '../ledger/calls.ts';
import { CALL_KEY } from '../ledger/call-keys.ts';
import { BOOKED, bookedCost } from '../ledger/booked.ts';
import type { Ledger } from '../ledger/index.ts';
import { moneyValue } from './money-view.ts';
import { attributionClauses } from './attribution.ts';
import type { MessagesQuery, CallsQuery as CallsQuerySchema } from '../../../shared/contract.ts';

type ParsedCallsQuery = z.output<typeof CallsQuerySchema>;
type ParsedMessagesQuery = z.output<typeof MessagesQuery>;

/** The badge a person sees, from the call's cost status and its job (reports use it too). */
export const BADGE_SQL = `CASE
  WHEN c.cost_status = 'exact' AND c.missing_parts IS NOT NULL THEN 'partial'
  WHEN c.cost_status IN ('exact','not_billable','no_record','open') THEN c.cost_status
  WHEN j.status IN ('pending','running') THEN 'pending'
  WHEN j.status = 'failed' THEN 'failed'
  ELSE 'estimated' END`;

const BADGE_FILTER: Record<CallBadge, string> = {
  open: `c.cost_status = 'open'`,
  exact: `c.cost_status = 'exact' AND c.missing_parts IS NULL`,
  partial: `c.cost_status = 'exact' AND c.missing_parts IS NOT NULL`,
  not_billable: `c.cost_status = 'not_billable'`,
  no_record: `c.cost_status = 'no_record'`,
  pending: `c.cost_status = 'estimated' AND j.status IN ('pending','running')`,
  failed: `c.cost_status = 'estimated' AND j.status = 'failed'`,
  estimated: `c.cost_status = 'estimated' AND (j.status IS NULL OR j.status NOT IN ('pending','running','failed'))`,
};

/** Badges whose filter reads the call's job (the others are the call's own cost_status). */
const JOB_BADGES: ReadonlySet<CallBadge> = new Set<CallBadge>(['pending', 'failed', 'estimated']);

const CALL_SORT: Record<ParsedCallsQuery['sort'], string> = {
  startedAt: 'c.started_at',
  ourNumber: 'c.our_number',
  otherNumber: 'c.other_number',
  billedSec: 'c.billed_sec',
  booked: BOOKED.nanos,
  exact: 'c.exact_nanos',
  estimated: 'c.estimated_nanos',
};

const PHONE_LIKE = /^\+?[\d\s().-]+$/;
/** A call one of whose ids (leg, control, session) is @sid: the key table's two levels (ledger/call-keys.ts), prefixed by the calls alias. */
// Every kind named (not left out): the key tables' primary key starts with kind, so SQLite
// probes it once per kind instead of scanning.
const ANY_CALL_KEY = Object.values(CALL_KEY)
  .map((kind) => `kind = ${kind}`)
  .join(' OR ');
const CALL_ID_MATCH = `id IN (SELECT call_id FROM call_key_lookup WHERE (${ANY_CALL_KEY}) AND key = @sid)`;

export function toCallRow(r: Record<string, unknown>): CallRow {
  const c = mapCall(r);
  const booked = bookedCost(c);
  return {
    id: c.id,
    callLegId: c.callLegId,
    callSessionId: c.callSessionId,
    callControlId: c.callControlId,
    ourNumber: c.ourNumber,
    otherNumber: c.otherNumber,
    direction: c.direction,
    startedAt: c.startedAt,
    endedAt: c.endedAt,
    callSec: c.callSec,
    billedSec: c.billedSec,
    estimated: moneyValue(c.estimatedNanos, c.estimateCurrency),
    exact: booked.exact ? moneyValue(c.exactNanos, c.currency) : null,
    booked: moneyValue(booked.nanos, booked.currency),
    badge: (r.badge as CallBadge) ?? 'open',
    costSource: c.costSource,
    estimateMethod: c.estimateMethod,
  };
}

/**
 * The filters the calls and messages lists share: a time range, one of our numbers, and a
 * search that is a phone number's start ("+1555…", served by the number indexes as a range),
 * digits found anywhere in a number, or an exact id.
 */
function listFilter(
  q: { range?: { from: number; to: number } | undefined; number?: string | undefined; search?: string | undefined },
  t: { alias: string; time: string; idMatch: (alias: string) => string },
): { clauses: string[]; params: Record<string, unknown> } {
  const a = t.alias;
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.range) {
    clauses.push(`${a}${t.time} >= @from AND ${a}${t.time} < @to`);
    params.from = q.range.from;
    params.to = q.range.to;
  }
  if (q.number) {
    clauses.push(`${a}our_number = @number`);
    params.number = q.number;
  }
  const search = q.search?.trim();
  if (search) {
    const digits = search.replace(/[\s().-]/g, '');
    if (PHONE_LIKE.test(search) && /\d/.test(digits) && digits.startsWith('+')) {
      // "+1 555 206": the start of an E.164 number, served by the number indexes as a range.
      clauses.push(`((${a}our_number >= @lo AND ${a}our_number < @hi) OR (${a}other_number >= @lo AND ${a}other_number < @hi))`);
      params.lo = digits;
      params.hi = digits + '\uffff';
    } else if (PHONE_LIKE.test(search) && /\d/.test(digits)) {
      // Digits as people type them ("5552060003", "206 0003", "4917662794222"): anywhere in
      // either number, with or without the "+" and country code. No index serves a substring:
      // the count reads every row in range (the page stops at its limit).
      clauses.push(`(instr(${a}our_number, @digits) > 0 OR instr(${a}other_number, @digits) > 0)`);
      params.digits = digits;
    } else {
      clauses.push(`(${t.idMatch(a)})`);
      params.sid = search;
    }
  }
  return { clauses, params };
}

export function callViews(db: Db) {
  const statementCache = new Map<string, ReturnType<Db['prepare']>>();
  const prepared = (sql: string) => {
    let s = statementCache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statementCache.set(sql, s);
    }
    return s;
  };

  function where(q: Pick<ParsedCallsQuery, 'range' | 'number' | 'search' | 'badge' | 'billingGroup' | 'connection' | 'tag' | 'country'>) {
    const f = listFilter(q, { alias: 'c.', time: 'started_at', idMatch: (a) => `${a}${CALL_ID_MATCH}` });
    if (q.badge) f.clauses.push(BADGE_FILTER[q.badge]);
    const attr = attributionClauses(q, 'calls', 'c.');
    f.clauses.push(...attr.clauses);
    return { sql: f.clauses.length ? `WHERE ${f.clauses.join(' AND ')}` : '', params: { ...f.params, ...attr.params } };
  }

  return {
    list(q: ParsedCallsQuery): { rows: CallRow[]; total: number } {
      const w = where(q);
      const order = `${CALL_SORT[q.sort]} ${q.dir === 'asc' ? 'ASC' : 'DESC'}, c.id ${q.dir === 'asc' ? 'ASC' : 'DESC'}`;
      // Only the job badges look at the job; jobs.call_id is UNIQUE, so without them the LEFT
      // JOIN can neither add nor drop a row and is left out (a COUNT(*) of a million calls
      // through it probed the jobs index a million times).
      const from = q.badge && JOB_BADGES.has(q.badge) ? 'calls c LEFT JOIN jobs j ON j.call_id = c.id' : 'calls c';
      // The page's ids first (from an index alone for the usual sorts and filters), then
      // their rows: an OFFSET deep in the list skips index entries, not joined rows.
      const rows = prepared(
        `SELECT c.*, ${BADGE_SQL} AS badge FROM calls c LEFT JOIN jobs j ON j.call_id = c.id
         WHERE c.id IN (SELECT c.id FROM ${from} ${w.sql} ORDER BY ${order} LIMIT @limit OFFSET @offset)
         ORDER BY ${order}`,
      ).all({ ...w.params, limit: q.limit, offset: q.offset }) as Record<string, unknown>[];
      const total = Number(prepared(`SELECT COUNT(*) FROM ${from} ${w.sql}`).pluck().get(w.params));
      return { rows: rows.map(toCallRow), total };
    },

    row(id: number): CallRow | undefined {
      const r = prepared(`SELECT c.*, ${BADGE_SQL} AS badge FROM calls c LEFT JOIN jobs j ON j.call_id = c.id WHERE c.id = ?`).get(id) as
        Record<string, unknown> | undefined;
      return r ? toCallRow(r) : undefined;
    },

    /** Any id a person might paste: our local id, a leg, session or call_control id. */
    resolve(idOrTelnyxId: string): number | undefined {
      if (/^\d+$/.test(idOrTelnyxId)) {
        const n = Number(idOrTelnyxId);
        if (prepared('SELECT 1 FROM calls WHERE id = ?').pluck().get(n)) return n;
      }
      const r = prepared(`SELECT id FROM calls WHERE ${CALL_ID_MATCH} ORDER BY id LIMIT 1`).pluck().get({ sid: idOrTelnyxId });
      return r === undefined ? undefined : Number(r);
    },

    detail(ledger: Ledger, id: number, job: CallDetail['job']): CallDetail | undefined {
      const row = this.row(id);
      const call = ledger.calls.get(id);
      return row && call ? callDetail(ledger, row, call, job) : undefined;
    },

    messages(q: ParsedMessagesQuery): { rows: MessageRow[]; total: number } {
      const f = listFilter(q, { alias: '', time: 'sent_at', idMatch: (a) => `${a}id = @sid` });
      const attr = attributionClauses(q, 'messages', '');
      const clauses = [...f.clauses, ...attr.clauses];
      const params = { ...f.params, ...attr.params };
      if (q.costStatus) {
        clauses.push('cost_status = @costStatus');
        params.costStatus = q.costStatus;
      }
      const w = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      const sort = { sentAt: 'sent_at', ourNumber: 'our_number', cost: 'cost_nanos' }[q.sort];
      const dir = q.dir === 'asc' ? 'ASC' : 'DESC';
      const rows = prepared(`SELECT * FROM messages ${w} ORDER BY ${sort} ${dir}, id ${dir} LIMIT @limit OFFSET @offset`).all({
        ...params,
        limit: q.limit,
        offset: q.offset,
      }) as Record<string, unknown>[];
      const total = Number(prepared(`SELECT COUNT(*) FROM messages ${w}`).pluck().get(params));
      return {
        total,
        rows: rows.map(toMessageRow),
      };
    },
  };
}

/** A call's panel: its row with every fact, its cost history, its job and its records. */
function callDetail(ledger: Ledger, row: CallRow, call: Call, job: CallDetail['job']): CallDetail {
  const id = call.id;
  return {
    call: {
      ...row,
      answeredAt: call.answeredAt,
      hangupCause: call.hangupCause,
      rate: call.rate,
      estimateRate: call.estimateRate,
      connectionId: call.connectionId,
      connectionName: call.connectionName,
      billingGroupId: call.billingGroupId,
      billingGroupName: call.billingGroupName,
      tags: call.tags === null ? [] : (JSON.parse(call.tags) as string[]),
      countryCode: call.countryCode,
      missingParts: call.missingParts,
    },
    history: ledger.history.forCall(id).map((h) => ({
      at: h.at,
      old: moneyValue(h.oldNanos, h.currency),
      new: moneyValue(h.newNanos, h.currency),
      oldSource: h.oldSource,
      newSource: h.newSource,
      newStatus: h.newStatus,
      reason: h.reason,
      detail: h.detail,
    })),
    job,
    records: ledger.records.forCall(id).map((r) => ({
      recordType: r.recordType,
      recordId: r.recordId,
      cost: moneyValue(r.costNanos, r.currency),
      createdAt: r.createdAt,
    })),
  };
}

function toMessageRow(r: Record<string, unknown>): MessageRow {
  return {
    id: String(r.id),
    ourNumber: String(r.our_number),
    otherNumber: String(r.other_number),
    direction: r.direction as 'inbound' | 'outbound',
    messageType: r.message_type === null ? null : String(r.message_type),
    parts: r.parts === null ? null : Number(r.parts),
    status: r.status === null ? null : String(r.status),
    sentAt: r.sent_at === null ? null : Number(r.sent_at),
    cost: moneyValue(r.cost_nanos, r.currency),
    carrierFee: moneyValue(r.carrier_fee_nanos, r.currency),
    rate: r.rate === null || r.rate === undefined ? null : String(r.rate),
    costStatus: String(r.cost_status),
    costSource: r.cost_source === null ? null : String(r.cost_source),
  };
}

export type { CallsQuery };
