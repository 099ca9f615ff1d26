// The CSV reports' columns (core/reports): each header, in the UI's words (README glossary),
// beside the SQL it is read from, and the keyset query (keyset-pager.ts) that reads a
// report's rows. A row holds the expressions in column order; a report's line writer
// (reports/calls.ts, messages.ts, history.ts) reads it by that position.
import { attributionClauses, type AttributionQuery } from './attribution.ts';
import { BADGE_SQL } from './calls.ts';
import type { KeysetQuery } from './keyset-pager.ts';

/**
 * One column: its header (null: read but not written, a keyset key) and the expressions it
 * is written from (none: computed from the row's other cells, or the same on every row).
 */
export interface ReportColumn {
  header: string | null;
  sql: readonly string[];
}
const col = (header: string | null, ...sql: string[]): ReportColumn => ({ header, sql });

/** A report's columns and where its rows come from. */
export interface ReportSource {
  columns: readonly ReportColumn[];
  /** FROM and joins. */
  from: string;
  /** The time and id keys (integers): an index must hold (time, id) in this order. */
  time: string;
  id: string;
  /** The expression of our number, for the number filter. */
  ourNumber: string;
  /** The attribution filters that apply (views/attribution.ts), and the table's alias. */
  attribution?: { kind: 'calls' | 'messages'; alias: string };
}

export const CALL_REPORT: ReportSource = {
  columns: [
    col('Row'),
    col('Ledger id', 'c.id'),
    col('Started', 'c.started_at'),
    col('Answered', 'c.answered_at'),
    col('Ended', 'c.ended_at'),
    col('Direction', 'c.direction'),
    col('Our number', 'c.our_number'),
    col('Other number', 'c.other_number'),
    col('Call length (s)', 'c.call_sec'),
    col('Billed (s)', 'c.billed_sec'),
    // The badge a person sees in the calls table.
    col('Status', BADGE_SQL),
    col('Estimated', 'c.estimated_nanos'),
    col('Estimate currency', 'c.estimate_currency'),
    col('Estimate method', 'c.estimate_method'),
    col('Exact', 'c.exact_nanos'),
    col('Exact currency', 'c.currency'),
    col('Rate', 'c.rate'),
    col('Source', 'c.cost_source'),
    // The exact cost where Telnyx's is known, else the estimate: from Exact, Estimated and Source.
    col('Booked'),
    col('Booked currency'),
    col('Variance'),
    col('Variance currency'),
    col('Billing group id', 'c.billing_group_id'),
    col('Billing group', 'c.billing_group_name'),
    col('Tags', 'c.tags'),
    col('Country', 'c.country_code'),
    col('Connection id', 'c.connection_id'),
    col('Connection', 'c.connection_name'),
    col('Call leg id', 'c.call_leg_id'),
    col('Call session id', 'c.call_session_id'),
    col('Call control id', 'c.call_control_id'),
  ],
  from: 'FROM calls c LEFT JOIN jobs j ON j.call_id = c.id',
  time: 'c.started_at',
  id: 'c.id',
  ourNumber: 'c.our_number',
  attribution: { kind: 'calls', alias: 'c.' },
};

// The message id is TEXT, so the keyset runs on the rowid: (sent_at, rowid) is the order of
// both time indexes, and no page needs a sort.
export const MESSAGE_REPORT: ReportSource = {
  columns: [
    col(null, 'm.rowid'),
    col('Row'),
    col('Message id', 'm.id'),
    col('Sent', 'm.sent_at'),
    col('Direction', 'm.direction'),
    col('Our number', 'm.our_number'),
    col('Other number', 'm.other_number'),
    col('Type', 'm.message_type'),
    col('Parts', 'm.parts'),
    col('Delivery', 'm.status'),
    col('Cost', 'm.cost_nanos'),
    col('Carrier fee', 'm.carrier_fee_nanos'),
    col('Currency', 'm.currency'),
    col('Rate', 'm.rate'),
    col('Cost status', 'm.cost_status'),
    col('Source', 'm.cost_source'),
    col('Messaging profile id', 'm.messaging_profile_id'),
    col('Messaging profile', 'm.messaging_profile_name'),
    col('Tags', 'm.tags'),
    col('Country', 'm.country_code'),
  ],
  from: 'FROM messages m',
  time: 'm.sent_at',
  id: 'm.rowid',
  ourNumber: 'm.our_number',
  attribution: { kind: 'messages', alias: 'm.' },
};

/** Where one cut of the cost history reads the changed call's or message's id, number and time. */
interface HistoryCut {
  from: string;
  time: string;
  callId: string;
  messageId: string;
  ourNumber: string;
  subjectAt: string;
}

function historySource(cut: HistoryCut): ReportSource {
  const columns = [
    col(null, 'h.id'),
    col('Changed', 'h.at'),
    col('Of'), // "call" or "message": which of the two ids the change has
    col('Id', cut.callId, cut.messageId),
    col('Our number', cut.ourNumber),
    col('Started or sent', cut.subjectAt),
    col('Cost before', 'h.old_nanos'),
    col('Cost after', 'h.new_nanos'),
    col('Currency', 'h.currency'),
    col('Source before', 'h.old_source'),
    col('Source after', 'h.new_source'),
    col('Status before', 'h.old_status'),
    col('Status after', 'h.new_status'),
    col('Reason', 'h.reason'),
    col('Detail', 'h.detail'),
  ];
  return { columns, from: cut.from, time: cut.time, id: 'h.id', ourNumber: cut.ourNumber };
}

// By change: the audit trail's own time index; the subject's number and time by join (a
// history row carries no number of its own).
export const HISTORY_BY_CHANGE = historySource({
  from: `FROM cost_history h
    LEFT JOIN calls c ON c.id = h.call_id
    LEFT JOIN messages m ON m.id = h.message_id`,
  time: 'h.at',
  callId: 'h.call_id',
  messageId: 'h.message_id',
  ourNumber: 'COALESCE(c.our_number, m.our_number)',
  subjectAt: 'COALESCE(c.started_at, m.sent_at)',
});

// By call date: calls in start order (calls_time), each call's changes by its history
// index; messages alike (reports/history.ts merges the two on (time, change id)).
export const HISTORY_OF_CALLS = historySource({
  from: 'FROM calls c JOIN cost_history h ON h.call_id = c.id',
  time: 'c.started_at',
  callId: 'h.call_id',
  messageId: 'NULL',
  ourNumber: 'c.our_number',
  subjectAt: 'c.started_at',
});
export const HISTORY_OF_MESSAGES = historySource({
  from: 'FROM messages m JOIN cost_history h ON h.message_id = m.id',
  time: 'm.sent_at',
  callId: 'NULL',
  messageId: 'h.message_id',
  ourNumber: 'm.our_number',
  subjectAt: 'm.sent_at',
});

/** The CSV header row of a report. */
export function reportHeaders(r: ReportSource): string[] {
  return r.columns.flatMap((c) => (c.header === null ? [] : [c.header]));
}

/** What a report is cut to (reports/types.ts ReportFilter): `to` exclusive, one number, attribution. */
export type ReportCut = AttributionQuery & { to: number; number?: string | undefined };

/** The keyset query of a report's rows and its parameters, kept to one number and the attribution filters asked for. */
export function reportQuery(r: ReportSource, f: ReportCut): { query: KeysetQuery; params: Record<string, unknown> } {
  const attr = r.attribution ? attributionClauses(f, r.attribution.kind, r.attribution.alias) : { clauses: [], params: {} };
  const number = f.number === undefined ? [] : [`${r.ourNumber} = @number`];
  const columns = r.columns.flatMap((c) => c.sql);
  const query = {
    columns,
    from: r.from,
    time: r.time,
    id: r.id,
    timeAt: columns.indexOf(r.time),
    idAt: columns.indexOf(r.id),
    filter: [...number, ...attr.clauses].join(' AND '),
  };
  return { query, params: { to: f.to, ...(f.number === undefined ? {} : { number: f.number }), ...attr.params } };
}
