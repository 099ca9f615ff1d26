// overview.groups on a real SQLite ledger: for every grouping and any range, each group's
// figures (one row per group and currency) equal sums computed here in TypeScript from the
// calls and messages rows, whether read through the caches by attribution (migration 11),
// from hours left dirty by a write outside a transaction, or after a call's attribution changed; amounts in two currencies are never added; by number it agrees
// with the per-number summary. Random rows (fast-check) with the attribution columns of
// migration 7 (billing group, connection, tags as a JSON array, country code) filled or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatMoney } from '../../shared/money.ts';
import { GroupBy, type GroupSummary } from '../../shared/contract.ts';
import { summaryViews } from '../../electron/core/views/summary.ts';
import { groupViews } from '../../electron/core/views/groups.ts';
import { percent } from '../../electron/core/views/money-view.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { withTestLedger } from '../helpers/ledger.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2026, 3, 10);
const NUMBERS = ['+15550000001', '+15550000002', '+4930000003'];
const when = fc.integer({ min: 0, max: 3 * DAY - 1 }).map((ms) => BASE + ms);
const money = fc.option(fc.bigInt({ min: -2_000_000_000n, max: 90_000_000_000n }), { nil: null });
const currency = fc.option(fc.constantFrom('USD', 'EUR'), { nil: null });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const tags = maybe(fc.uniqueArray(fc.constantFrom('sales', 'support', 'vip'), { minLength: 1, maxLength: 3 }).map((t) => JSON.stringify(t)));

const call = fc.record({
  number: fc.constantFrom(...NUMBERS),
  direction: fc.constantFrom('inbound', 'outbound'),
  startedAt: when,
  billedSec: maybe(fc.integer({ min: 0, max: 3600 })),
  estimated: money,
  estimateCurrency: currency,
  exact: money,
  currency,
  source: fc.constantFrom(null, 'estimate', 'call_cost_event', 'detail_record'),
  status: fc.constantFrom('open', 'estimated', 'exact', 'not_billable', 'no_record'),
  job: fc.constantFrom(null, 'pending', 'running', 'completed', 'failed'),
  billingGroupId: maybe(fc.constantFrom('bg-1', 'bg-2')),
  billingGroupName: maybe(fc.constantFrom('Sales team', 'Support team')),
  connectionId: maybe(fc.constantFrom('conn-1', 'conn-2')),
  connectionName: maybe(fc.constantFrom('Main SIP', 'Call center')),
  tags,
  country: maybe(fc.constantFrom('1', '49')),
});
const message = fc.record({
  number: fc.constantFrom(...NUMBERS),
  direction: fc.constantFrom('inbound', 'outbound'),
  sentAt: when,
  type: maybe(fc.constantFrom('SMS', 'MMS')),
  cost: maybe(fc.bigInt({ min: 0n, max: 50_000_000n })),
  currency,
  profileId: maybe(fc.constantFrom('prof-1', 'prof-2')),
  profileName: maybe(fc.constantFrom('Alerts', 'Marketing')),
  tags,
  country: maybe(fc.constantFrom('US', 'DE')),
});
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;
type Message = typeof message extends fc.Arbitrary<infer T> ? T : never;

/** A later change of a call's attribution (its detail record arriving), written in a transaction or not. */
const change = fc.record({
  pick: fc.nat(),
  country: maybe(fc.constantFrom('1', '49')),
  tags,
  billingGroupId: maybe(fc.constantFrom('bg-1', 'bg-2')),
  inTx: fc.boolean(),
});
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

function applyChanges(ledger: Ledger, calls: Call[], changes: Change[]): void {
  const update = ledger.db.prepare('UPDATE calls SET country_code = @country, tags = @tags, billing_group_id = @billingGroupId WHERE id = @id');
  for (const ch of changes) {
    if (calls.length === 0) return;
    const k = ch.pick % calls.length;
    const run = () => update.run({ id: k + 1, country: ch.country, tags: ch.tags, billingGroupId: ch.billingGroupId });
    if (ch.inTx) ledger.tx(run);
    else run(); // leaves the hour dirty: readers sum its rows
    calls[k] = { ...calls[k]!, country: ch.country, tags: ch.tags, billingGroupId: ch.billingGroupId };
  }
}

function fill(ledger: Ledger, calls: Call[], messages: Message[]): void {
  const insertCall = ledger.db.prepare(
    `INSERT INTO calls (call_leg_id, our_number, other_number, direction, started_at, billed_sec, estimated_nanos, estimate_currency,
       exact_nanos, currency, cost_source, cost_status, connection_id, connection_name, billing_group_id, billing_group_name, tags,
       country_code, created_at, updated_at)
     VALUES (hex(randomblob(8)), @number, '+12025550100', @direction, @startedAt, @billedSec, @estimated, @estimateCurrency,
       @exact, @currency, @source, @status, @connectionId, @connectionName, @billingGroupId, @billingGroupName, @tags, @country, 0, 0)`,
  );
  const insertJob = ledger.db.prepare(`INSERT INTO jobs (kind, call_id, status, created_at, updated_at) VALUES ('call_cost', ?, ?, 0, 0)`);
  const insertMessage = ledger.db.prepare(
    `INSERT INTO messages (id, our_number, other_number, direction, message_type, sent_at, cost_nanos, currency, cost_status,
       messaging_profile_id, messaging_profile_name, tags, country_code, created_at, updated_at)
     VALUES (hex(randomblob(8)), @number, '+12025550100', @direction, @type, @sentAt, @cost, @currency, 'exact',
       @profileId, @profileName, @tags, @country, 0, 0)`,
  );
  ledger.tx(() => {
    for (const c of calls) {
      const id = insertCall.run(c).lastInsertRowid;
      if (c.job) insertJob.run(id, c.job);
    }
    for (const m of messages) insertMessage.run(m);
  });
}

/** The group keys of a row, as the overview defines them (a call with two tags is in both). */
function callKeys(by: GroupBy, c: Call): Array<string | null> {
  switch (by) {
    case 'number':
      return [c.number];
    case 'billingGroup':
      return [c.billingGroupId ?? c.billingGroupName];
    case 'tag':
      return c.tags ? (JSON.parse(c.tags) as string[]) : [null];
    case 'connection':
      return [c.connectionId ?? c.connectionName];
    case 'direction':
      return [c.direction];
    case 'country':
      return [c.country];
    case 'kind':
      return [`voice-${c.direction}`];
  }
}
function messageKeys(by: GroupBy, m: Message): Array<string | null> {
  switch (by) {
    case 'number':
      return [m.number];
    case 'billingGroup':
      return [null];
    case 'tag':
      return m.tags ? (JSON.parse(m.tags) as string[]) : [null];
    case 'connection': {
      const profile = m.profileId ?? m.profileName;
      return [profile === null ? null : `profile:${profile}`];
    }
    case 'direction':
      return [m.direction];
    case 'country':
      return [m.country];
    case 'kind':
      return [(m.type ?? 'SMS').toLowerCase()];
  }
}

type Sums = Record<
  'calls' | 'sec' | 'estimated' | 'exact' | 'booked' | 'variance' | 'base' | 'exactCalls' | 'pending' | 'failed' | 'messages' | 'messagesTotal',
  bigint
>;

function expected(by: GroupBy, calls: Call[], messages: Message[], r: { from: number; to: number }) {
  const groups = new Map<string, { key: string | null; currency: string; s: Sums }>();
  const at = (key: string | null, currency: string) => {
    const id = `${key}|${currency}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        key,
        currency,
        s: {
          calls: 0n,
          sec: 0n,
          estimated: 0n,
          exact: 0n,
          booked: 0n,
          variance: 0n,
          base: 0n,
          exactCalls: 0n,
          pending: 0n,
          failed: 0n,
          messages: 0n,
          messagesTotal: 0n,
        },
      };
      groups.set(id, g);
    }
    return g.s;
  };
  for (const c of calls) {
    if (c.startedAt < r.from || c.startedAt >= r.to) continue;
    const cur = c.currency ?? c.estimateCurrency ?? 'USD';
    const exactSource = c.source !== null && c.source !== 'estimate';
    const comparable = exactSource && c.exact !== null && c.estimated !== null && c.estimateCurrency !== null && c.estimateCurrency === c.currency;
    for (const key of callKeys(by, c)) {
      const s = at(key, cur);
      s.calls += 1n;
      s.sec += BigInt(c.billedSec ?? 0);
      if (c.estimateCurrency !== null && c.estimateCurrency === (c.currency ?? c.estimateCurrency)) s.estimated += c.estimated ?? 0n;
      if (exactSource) s.exact += c.exact ?? 0n;
      s.booked += (exactSource ? c.exact : c.estimated) ?? 0n;
      if (comparable) {
        s.variance += c.exact! - c.estimated!;
        s.base += c.estimated!;
      }
      if (c.status === 'exact' || c.status === 'not_billable') s.exactCalls += 1n;
      if (c.job === 'pending' || c.job === 'running') s.pending += 1n;
      if (c.job === 'failed') s.failed += 1n;
    }
  }
  for (const m of messages) {
    if (m.sentAt < r.from || m.sentAt >= r.to) continue;
    for (const key of messageKeys(by, m)) {
      const s = at(key, m.currency ?? 'USD');
      s.messages += 1n;
      s.messagesTotal += m.cost ?? 0n;
    }
  }
  return [...groups.values()].map(({ key, currency: cur, s }) => {
    const v = (n: bigint) => ({ amount: formatMoney(n), currency: cur });
    return {
      key,
      currency: cur,
      calls: Number(s.calls),
      minutes: `${s.sec / 60n}.${((s.sec % 60n) * 10n) / 60n}`,
      messages: Number(s.messages),
      estimatedTotal: v(s.estimated),
      exactTotal: v(s.exact),
      bookedTotal: v(s.booked),
      variance: s.variance === 0n && s.base === 0n ? null : v(s.variance),
      variancePct: percent(s.variance, s.base),
      messagesTotal: v(s.messagesTotal),
      total: v(s.booked + s.messagesTotal),
      pendingCalls: Number(s.pending),
      failedCalls: Number(s.failed),
      exactCalls: Number(s.exactCalls),
    };
  });
}

const order = (a: { key: string | null; currency: string }, b: { key: string | null; currency: string }) => {
  const x = `${a.key}|${a.currency}`;
  const y = `${b.key}|${b.currency}`;
  return x < y ? -1 : x > y ? 1 : 0;
};
const withoutLabel = (rows: GroupSummary[]) => rows.map(({ label: _l, ...rest }) => rest).sort(order);

const range = fc
  .tuple(fc.integer({ min: -HOUR, max: 3 * DAY }), fc.integer({ min: 1, max: 3 * DAY }), fc.constantFrom(1, HOUR, DAY))
  .map(([start, length, unit]) => {
    const from = BASE + Math.floor(start / unit) * unit;
    return { from, to: from + Math.max(unit, Math.floor(length / unit) * unit) };
  });

test('every grouping: each group and currency equals the sums of its rows', () => {
  fc.assert(
    fc.property(
      fc.array(call, { maxLength: 40 }),
      fc.array(message, { maxLength: 20 }),
      fc.array(change, { maxLength: 4 }),
      range,
      (calls, messages, changes, r) =>
        withTestLedger((ledger) => {
          fill(ledger, calls, messages);
          applyChanges(ledger, calls, changes);
          const summary = summaryViews(ledger.db);
          const views = groupViews(ledger.db, summary.summary);
          for (const by of GroupBy.options) {
            const got = views.groups(r, by);
            assert.deepEqual(withoutLabel(got), expected(by, calls, messages, r).sort(order), by);
            // Never one row for two currencies, never two rows for one group and currency.
            assert.equal(new Set(got.map((g) => `${g.key}|${g.currency}`)).size, got.length, by);
          }
        }),
    ),
    { numRuns: 40 },
  );
});

test("labels in people's words; a number filter keeps only that number's rows", () =>
  withTestLedger((ledger) => {
    const base: Call = {
      number: NUMBERS[0]!,
      direction: 'outbound',
      startedAt: BASE + HOUR,
      billedSec: 60,
      estimated: 15_000_000n,
      estimateCurrency: 'USD',
      exact: 7_000_000n,
      currency: 'USD',
      source: 'detail_record',
      status: 'exact',
      job: null,
      billingGroupId: 'bg-1',
      billingGroupName: 'Sales team',
      connectionId: 'conn-1',
      connectionName: 'Main SIP',
      tags: '["sales","vip"]',
      country: '49',
    };
    const sms: Message = {
      number: NUMBERS[1]!,
      direction: 'outbound',
      sentAt: BASE + HOUR,
      type: 'SMS',
      cost: 4_000_000n,
      currency: 'USD',
      profileId: 'prof-1',
      profileName: 'Alerts',
      tags: null,
      country: 'DE',
    };
    fill(
      ledger,
      [
        base,
        {
          ...base,
          number: NUMBERS[2]!,
          direction: 'inbound',
          currency: 'EUR',
          estimateCurrency: 'EUR',
          tags: null,
          billingGroupId: null,
          billingGroupName: null,
        },
      ],
      [sms],
    );
    const views = groupViews(ledger.db, summaryViews(ledger.db).summary);
    const r = { from: BASE, to: BASE + DAY };
    const labels = (by: GroupBy, only?: string[]) => views.groups(r, by, only).map((g) => `${g.label} ${g.currency} ${g.total.amount}`);
    assert.deepEqual(labels('billingGroup'), ['Sales team USD 0.007', 'No billing group EUR 0.007', 'No billing group USD 0.004']);
    assert.deepEqual(labels('kind'), ['SMS USD 0.004', 'Voice, inbound EUR 0.007', 'Voice, outbound USD 0.007']);
    assert.deepEqual(labels('country'), ['+49 EUR 0.007', '+49 USD 0.007', 'DE USD 0.004']);
    assert.deepEqual(labels('connection'), ['Main SIP EUR 0.007', 'Main SIP USD 0.007', 'Messaging profile Alerts USD 0.004']);
    assert.deepEqual(labels('tag'), ['sales USD 0.007', 'vip USD 0.007', 'No tag EUR 0.007', 'No tag USD 0.004']);
    assert.deepEqual(labels('direction', [NUMBERS[0]!]), ['Outbound USD 0.007']);
  }));
