// The overview's totals grouped by what a finance person splits costs by: number, billing
// group, tag, connection, direction, destination country, kind (voice in/out, SMS, MMS).
// Each group is one row per currency: amounts in two currencies are never added. The call
// figures are the one definition of every overview figure (CALL_SUMS_SQL), read like the
// per-number summary (call-sums.ts): whole days and hours from caches of the calls rows — by
// number the per-number ones (summary.ts), by anything else the ones keyed by attribution too
// (call_group_*_totals, migration 11) — and partial or dirty hours from the rows. Messages
// add their count and cost.
import type { GroupBy, GroupSummary, NumberSummary } from '../../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import { asBig, isOverflow, registerBigSum, withBigSums } from './big-sum.ts';
import { callSums, type Range, type SumRow } from './call-sums.ts';
import { callTotals, noTotals, type CurrencySummary } from './currency-summary.ts';

type Source = { key: string; label?: string; join?: string };
/** A grouping's key (and label) over the cache t, over calls c, and over messages m. */
interface Keys {
  cached: Source;
  calls: Source;
  messages: Source;
}
const CUR_T = "COALESCE(NULLIF(t.currency, ''), NULLIF(t.estimate_currency, ''), 'USD')";
const CUR_C = "COALESCE(c.currency, c.estimate_currency, 'USD')";

const KEYS: Record<Exclude<GroupBy, 'number'>, Keys> = {
  billingGroup: {
    cached: { key: "NULLIF(t.billing_group, '')", label: 'MAX(t.billing_group_name)' },
    calls: { key: "NULLIF(COALESCE(c.billing_group_id, c.billing_group_name), '')", label: 'MAX(c.billing_group_name)' },
    // Telnyx sends no billing group with messages.
    messages: { key: 'NULL' },
  },
  // A call with two tags counts under each of them (the screen says so); untagged: key NULL.
  tag: {
    cached: { key: 'tg.value', join: "LEFT JOIN json_each(NULLIF(t.tags, '')) tg" },
    calls: { key: 'tg.value', join: 'LEFT JOIN json_each(c.tags) tg' },
    messages: { key: 'tg.value', join: 'LEFT JOIN json_each(m.tags) tg' },
  },
  // Messages travel on a messaging profile, Telnyx's counterpart of a voice connection.
  connection: {
    cached: { key: "NULLIF(t.connection, '')", label: 'MAX(t.connection_name)' },
    calls: { key: "NULLIF(COALESCE(c.connection_id, c.connection_name), '')", label: 'MAX(c.connection_name)' },
    messages: {
      key: "'profile:' || COALESCE(m.messaging_profile_id, m.messaging_profile_name)",
      label: "'Messaging profile ' || COALESCE(MAX(m.messaging_profile_name), MAX(m.messaging_profile_id))",
    },
  },
  direction: { cached: { key: 't.direction' }, calls: { key: 'c.direction' }, messages: { key: 'm.direction' } },
  country: { cached: { key: "NULLIF(t.country, '')" }, calls: { key: "NULLIF(c.country_code, '')" }, messages: { key: 'm.country_code' } },
  kind: {
    cached: { key: "'voice-' || t.direction" },
    calls: { key: "'voice-' || c.direction" },
    messages: { key: "lower(COALESCE(NULLIF(m.message_type, ''), 'sms'))" },
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

export function groupViews(db: Db, perNumber: (range: Range, only?: readonly string[]) => NumberSummary[]) {
  registerBigSum(db);
  const prepare = (sql: string) => ({ fast: db.prepare(sql).safeIntegers(true), big: db.prepare(withBigSums(sql)).safeIntegers(true) });
  type Readers = { calls: ReturnType<typeof callSums>; messages: ReturnType<typeof prepare> };
  const readers = new Map<Exclude<GroupBy, 'number'>, Readers>();
  const readersFor = (by: Exclude<GroupBy, 'number'>): Readers => {
    let r = readers.get(by);
    if (r) return r;
    const k = KEYS[by];
    r = {
      calls: callSums(db, {
        keys: 2,
        tables: { hour: 'call_group_hour_totals', day: 'call_group_day_totals' },
        cached: () => `${k.cached.key} AS k, ${CUR_T} AS cur, ${k.cached.label ?? 'NULL'} AS label`,
        rows: `${k.calls.key} AS k, ${CUR_C} AS cur, ${k.calls.label ?? 'NULL'} AS label`,
        ...(k.cached.join ? { cachedJoin: k.cached.join } : {}),
        ...(k.calls.join ? { rowsJoin: k.calls.join } : {}),
        cachedWhere: numbersFilter('t.our_number'),
        rowsWhere: numbersFilter('c.our_number'),
      }),
      messages: prepare(
        `SELECT ${k.messages.key} AS k, ${k.messages.label ?? 'NULL'} AS label, COALESCE(m.currency, 'USD') AS cur, COUNT(*) AS messages, SUM(m.cost_nanos) AS total
         FROM messages m INDEXED BY messages_time ${k.messages.join ?? ''}
         WHERE m.sent_at >= @from AND m.sent_at < @to AND ${numbersFilter('m.our_number')}
         GROUP BY 1, 3`,
      ),
    };
    readers.set(by, r);
    return r;
  };
  const allMessages = (stmt: ReturnType<typeof prepare>, p: Record<string, unknown>): Record<string, unknown>[] => {
    try {
      return stmt.fast.all(p) as Record<string, unknown>[];
    } catch (err) {
      if (!isOverflow(err)) throw err;
      return (stmt.big.all(p) as Record<string, unknown>[]).map((r) => ({ ...r, total: asBig(r.total) }));
    }
  };

  return {
    groups(range: Range, by: GroupBy, only?: readonly string[]): GroupSummary[] {
      if (by === 'number') {
        // Through the caches: the same rows as the per-number table.
        return perNumber(range, only).map(({ number, ...r }) => ({
          ...r,
          key: number,
          label: number,
          total: addMoney(r.bookedTotal.amount, r.messagesTotal.amount, r.currency),
        }));
      }
      const s = readersFor(by);
      const numbers = only && only.length ? JSON.stringify(only) : null;
      const id = (key: string | null, cur: string) => `${key ?? '\u0001'}\u0000${cur}`;
      // The sources never overlap but may each hold part of a group: add them up.
      const sums = new Map<string, { key: string | null; cur: string; label: string | null; sums: SumRow[] }>();
      for (const r of s.calls(range, { numbers })) {
        const key = r.k === null || r.k === undefined ? null : String(r.k);
        const cur = String(r.cur);
        const g = sums.get(id(key, cur)) ?? { key, cur, label: null, sums: [] };
        g.sums.push(r);
        if (g.label === null && r.label !== null && r.label !== undefined) g.label = String(r.label);
        sums.set(id(key, cur), g);
      }
      const rows = new Map<string, GroupSummary>();
      for (const [k, g] of sums) rows.set(k, groupRow(by, g.key, g.label, callTotals(g.cur, g.sums)));
      for (const r of allMessages(s.messages, { from: range.from, to: range.to, numbers })) {
        const key = r.k === null ? null : String(r.k);
        const cur = String(r.cur);
        const row = rows.get(id(key, cur)) ?? groupRow(by, key, r.label === null ? null : String(r.label), noTotals(cur));
        const total = typeof r.total === 'bigint' ? r.total : 0n;
        row.messages = Number(r.messages);
        row.messagesTotal = { amount: formatMoney(total), currency: cur };
        row.total = addMoney(row.bookedTotal.amount, row.messagesTotal.amount, cur);
        rows.set(id(key, cur), row);
      }
      // By label (a group's currencies side by side), groups without a value last.
      return [...rows.values()].sort(
        (a, b) => Number(a.key === null) - Number(b.key === null) || cmp(a.label, b.label) || cmp(a.key ?? '', b.key ?? '') || cmp(a.currency, b.currency),
      );
    },
  };
}

function numbersFilter(col: string): string {
  return `(@numbers IS NULL OR ${col} IN (SELECT value FROM json_each(@numbers)))`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function addMoney(a: string, b: string, currency: string) {
  return { amount: formatMoney(parseMoney(a) + parseMoney(b)), currency };
}

/** A group's row: its totals in one currency, under its label; the total is its calls' booked cost until messages add theirs. */
function groupRow(by: GroupBy, key: string | null, label: string | null, totals: CurrencySummary): GroupSummary {
  return { key, label: labelOf(by, key, label), ...totals, total: totals.bookedTotal };
}
