// The overview's totals grouped by what a finance person splits costs by: number, billing
// group, tag, connection, direction, destination country, kind (voice in/out, SMS, MMS).
// Each group is one row per currency: amounts in two currencies are never added. The call
// figures are the one definition of every overview figure (CALL_SUMS_SQL); by number they come
// through the hourly/daily caches (summary.ts), by anything else from the calls rows in the
// range (the caches are kept per number only). Messages add their count and cost.
import type { GroupBy, GroupSummary, NumberSummary } from '../../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import { CALL_SUMS_SQL, CALL_SUM_COLUMNS } from '../ledger/call-totals.ts';
import type { Db } from '../ledger/open.ts';
import { asBig, isOverflow, registerBigSum, withBigSums } from './big-sum.ts';
import type { Range, SumRow } from './call-sums.ts';
import { percent } from './money-view.ts';

type Source = { key: string; label: string; from?: string };
/** The group's key and (optional) label over calls c and over messages m, and any join they need. */
const KEYS: Record<Exclude<GroupBy, 'number'>, { calls: Source; messages: Source }> = {
  billingGroup: {
    calls: { key: 'COALESCE(c.billing_group_id, c.billing_group_name)', label: 'MAX(c.billing_group_name)' },
    // Telnyx sends no billing group with messages.
    messages: { key: 'NULL', label: 'NULL' },
  },
  // A call with two tags counts under each of them (the screen says so); untagged: key NULL.
  tag: {
    calls: { key: 'tg.value', label: 'NULL', from: 'LEFT JOIN json_each(c.tags) tg' },
    messages: { key: 'tg.value', label: 'NULL', from: 'LEFT JOIN json_each(m.tags) tg' },
  },
  // Messages travel on a messaging profile, Telnyx's counterpart of a voice connection.
  connection: {
    calls: { key: 'COALESCE(c.connection_id, c.connection_name)', label: 'MAX(c.connection_name)' },
    messages: {
      key: "'profile:' || COALESCE(m.messaging_profile_id, m.messaging_profile_name)",
      label: "'Messaging profile ' || COALESCE(MAX(m.messaging_profile_name), MAX(m.messaging_profile_id))",
    },
  },
  direction: { calls: { key: 'c.direction', label: 'NULL' }, messages: { key: 'm.direction', label: 'NULL' } },
  country: { calls: { key: 'c.country_code', label: 'NULL' }, messages: { key: 'm.country_code', label: 'NULL' } },
  kind: {
    calls: { key: "'voice-' || c.direction", label: 'NULL' },
    messages: { key: "lower(COALESCE(NULLIF(m.message_type, ''), 'sms'))", label: 'NULL' },
  },
};

const NONE: Record<GroupBy, string> = {
  number: 'No number',
  billingGroup: 'No billing group',
  tag: 'No tag',
  connection: 'No connection',
  direction: 'No direction',
  country: 'No country',
  kind: 'Other',
};

const KIND_LABELS: Record<string, string> = {
  'voice-inbound': 'Voice, inbound',
  'voice-outbound': 'Voice, outbound',
  sms: 'SMS',
  mms: 'MMS',
};

/** A group's label in people's words. Voice records carry a dialling code ("49"), MDRs ISO-2 ("DE"). */
function labelOf(by: GroupBy, key: string | null, label: string | null): string {
  if (key === null) return NONE[by];
  if (label) return label;
  if (by === 'direction') return key === 'inbound' ? 'Inbound' : key === 'outbound' ? 'Outbound' : key;
  if (by === 'kind') return KIND_LABELS[key] ?? key.toUpperCase();
  if (by === 'country' && /^\d+$/.test(key)) return `+${key}`;
  return key;
}

const NUMBERS_FILTER = (col: string) => `(@numbers IS NULL OR ${col} IN (SELECT value FROM json_each(@numbers)))`;

export function groupViews(db: Db, perNumber: (range: Range, only?: readonly string[]) => NumberSummary[]) {
  registerBigSum(db);
  const prepare = (sql: string) => ({ fast: db.prepare(sql).safeIntegers(true), big: db.prepare(withBigSums(sql)).safeIntegers(true) });
  const statements = new Map<Exclude<GroupBy, 'number'>, { calls: ReturnType<typeof prepare>; messages: ReturnType<typeof prepare> }>();
  const statementsFor = (by: Exclude<GroupBy, 'number'>) => {
    let s = statements.get(by);
    if (s) return s;
    const k = KEYS[by];
    s = {
      calls: prepare(
        `SELECT ${k.calls.key} AS k, ${k.calls.label} AS label, COALESCE(c.currency, c.estimate_currency, 'USD') AS cur, ${CALL_SUMS_SQL}
         FROM calls c INDEXED BY calls_time ${k.calls.from ?? ''}
         LEFT JOIN jobs j ON j.call_id = c.id
         WHERE c.started_at >= @from AND c.started_at < @to AND ${NUMBERS_FILTER('c.our_number')}
         GROUP BY 1, 3`,
      ),
      messages: prepare(
        `SELECT ${k.messages.key} AS k, ${k.messages.label} AS label, COALESCE(m.currency, 'USD') AS cur, COUNT(*) AS messages, SUM(m.cost_nanos) AS total
         FROM messages m INDEXED BY messages_time ${k.messages.from ?? ''}
         WHERE m.sent_at >= @from AND m.sent_at < @to AND ${NUMBERS_FILTER('m.our_number')}
         GROUP BY 1, 3`,
      ),
    };
    statements.set(by, s);
    return s;
  };
  const all = (stmt: ReturnType<typeof prepare>, p: Record<string, unknown>, sums: readonly string[]): Record<string, unknown>[] => {
    try {
      return stmt.fast.all(p) as Record<string, unknown>[];
    } catch (err) {
      if (!isOverflow(err)) throw err;
      return (stmt.big.all(p) as Record<string, unknown>[]).map((r) => {
        for (const c of sums) r[c] = asBig(r[c]);
        return r;
      });
    }
  };

  return {
    groups(range: Range, by: GroupBy, only?: readonly string[]): GroupSummary[] {
      if (by === 'number') {
        // Through the caches: the same rows as the per-number table.
        return perNumber(range, only).map(({ number, ...r }) => ({ ...r, key: number, label: number, total: addMoney(r.bookedTotal.amount, r.messagesTotal.amount, r.currency) }));
      }
      const s = statementsFor(by);
      const p = { from: range.from, to: range.to, numbers: only && only.length ? JSON.stringify(only) : null };
      const rows = new Map<string, GroupSummary>();
      const id = (key: string | null, cur: string) => `${key ?? '\u0001'}\u0000${cur}`;
      for (const r of all(s.calls, p, CALL_SUM_COLUMNS) as SumRow[]) {
        const key = r.k === null ? null : String(r.k);
        const cur = String(r.cur);
        rows.set(id(key, cur), callGroup(by, key, r.label === null ? null : String(r.label), cur, r));
      }
      for (const r of all(s.messages, p, ['total'])) {
        const key = r.k === null ? null : String(r.k);
        const cur = String(r.cur);
        const row = rows.get(id(key, cur)) ?? blank(by, key, r.label === null ? null : String(r.label), cur);
        const total = typeof r.total === 'bigint' ? r.total : 0n;
        row.messages = Number(r.messages);
        row.messagesTotal = { amount: formatMoney(total), currency: cur };
        row.total = addMoney(row.bookedTotal.amount, row.messagesTotal.amount, cur);
        if (row.label === NONE[by] && r.label !== null) row.label = String(r.label);
        rows.set(id(key, cur), row);
      }
      // By label (a group's currencies side by side), groups without a value last.
      return [...rows.values()].sort(
        (a, b) => Number(a.key === null) - Number(b.key === null) || cmp(a.label, b.label) || cmp(a.key ?? '', b.key ?? '') || cmp(a.currency, b.currency),
      );
    },
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function addMoney(a: string, b: string, currency: string) {
  return { amount: formatMoney(parseMoney(a) + parseMoney(b)), currency };
}

function callGroup(by: GroupBy, key: string | null, label: string | null, currency: string, r: SumRow): GroupSummary {
  const billedSec = r.billed_sec;
  const m = (v: bigint) => ({ amount: formatMoney(v), currency });
  return {
    ...blank(by, key, label, currency),
    calls: Number(r.calls),
    minutes: `${billedSec / 60n}.${((billedSec % 60n) * 10n) / 60n}`,
    estimatedTotal: m(r.estimated),
    exactTotal: m(r.exact),
    bookedTotal: m(r.booked),
    total: m(r.booked),
    // Nothing compared in this group and currency: n/a, not 0 (as in summary.ts).
    variance: r.variance === 0n && r.variance_base === 0n ? null : m(r.variance),
    variancePct: percent(r.variance, r.variance_base),
    exactCalls: Number(r.exact_calls),
    pendingCalls: Number(r.pending),
    failedCalls: Number(r.failed),
  };
}

function blank(by: GroupBy, key: string | null, label: string | null, currency: string): GroupSummary {
  const zero = { amount: '0.00', currency };
  return {
    key, label: labelOf(by, key, label), currency, calls: 0, minutes: '0.0', messages: 0,
    estimatedTotal: zero, exactTotal: zero, bookedTotal: zero, variance: null, variancePct: null,
    messagesTotal: zero, total: zero, pendingCalls: 0, failedCalls: 0, exactCalls: 0,
  };
}
