// Spend alerts on simulator data: rules set before an import over HTTP fire while its pages
// land, and when it is done the firings are exactly the causes found here by summing the
// ledger's rows in plain JS: each once, never twice for the same cause however often the
// days are written again. A spike rule on seeded days; `cost-desk alerts` exit codes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ImportProgress } from '../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { alertEvaluator } from '../../electron/core/alerts/evaluate.ts';
import { type Ledger } from '../../electron/core/ledger/index.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { runCli } from '../helpers/cli.ts';
import { call, liveCore, openTestCore } from '../helpers/core.ts';
import { ALL_TYPES, FULL_RANGE, importWith } from '../helpers/ingest.ts';
import { openTestLedger } from '../helpers/ledger.ts';
import { bookExactUsd, insertEndedCalls, oneMinuteCall } from '../helpers/seed-calls.ts';
import { SIM_NOW, simulatorForSuite, testClient } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

const DAY = 86_400_000;
const ACCOUNT = { seed: 'alerts', calls: 2500, messages: 200 };

interface CallFact {
  id: number;
  number: string;
  day: string;
  currency: string;
  booked: bigint;
}
function callFacts(ledger: Ledger): CallFact[] {
  const rows = ledger.db
    .prepare('SELECT id, our_number, started_at, exact_nanos, estimated_nanos, currency, estimate_currency FROM calls WHERE started_at IS NOT NULL')
    .safeIntegers(true)
    .all() as Array<Record<string, bigint | string | null>>;
  const out: CallFact[] = [];
  for (const r of rows) {
    const actual = r.exact_nanos as bigint | null;
    const booked = actual ?? (r.estimated_nanos as bigint | null);
    const currency = actual !== null ? r.currency : r.estimate_currency;
    if (booked === null || currency === null) continue;
    out.push({
      id: Number(r.id),
      number: String(r.our_number),
      day: new Date(Number(r.started_at)).toISOString().slice(0, 10),
      currency: String(currency),
      booked,
    });
  }
  return out;
}
function sums(facts: CallFact[], key: (f: CallFact) => string): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const f of facts) m.set(key(f), (m.get(key(f)) ?? 0n) + f.booked);
  return m;
}
/** The value at quantile q of a list of bigints. */
const quantile = (xs: bigint[], q: number) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(q * (xs.length - 1))]!;

describe('spend alerts', () => {
  const sim = simulatorForSuite(ACCOUNT);

  it('fire as an import lands, exactly for the causes in the rows, once each', async () => {
    // Thresholds from the account itself (a scratch import of the same simulator, same seed).
    const scratch = openTestLedger();
    await importWith({ ledger: scratch, client: testClient(sim) });
    const facts0 = callFacts(scratch).filter((f) => f.currency === 'USD');
    scratch.close();
    const dayThreshold = quantile([...sums(facts0, (f) => `${f.number}|${f.day}`).values()], 0.9);
    const callThreshold = quantile(
      facts0.map((f) => f.booked),
      0.98,
    );
    const watched = [...sums(facts0, (f) => f.number).entries()].sort((a, b) => (a[1] > b[1] ? -1 : 1))[0]![0];
    const monthThreshold = sums(facts0, (f) => f.number).get(watched)! / 2n;

    const dir = tempDir();
    const core = await liveCore(sim, dir);
    const daily = await call(core, 'alerts.addRule', { kind: 'daily_spend', currency: 'USD', threshold: formatMoney(dayThreshold) });
    const monthly = await call(core, 'alerts.addRule', { kind: 'monthly_spend', currency: 'USD', threshold: formatMoney(monthThreshold), number: watched });
    const costly = await call(core, 'alerts.addRule', { kind: 'call_cost', currency: 'USD', threshold: formatMoney(callThreshold) });
    assert.equal((await call(core, 'alerts.list', {})).firings.length, 0, 'nothing yet');

    // Import; count the firings at each page that lands.
    const seen: number[] = [];
    const count = core.runtime.session().ledger.db.prepare('SELECT COUNT(*) FROM alert_firings').pluck();
    const done = new Promise<ImportProgress>((resolve) =>
      core.events.on((event, payload) => {
        if (event !== 'import.progress') return;
        const p = payload as ImportProgress;
        seen.push(Number(count.get()));
        if (p.status !== 'running') resolve(p);
      }),
    );
    await call(core, 'import.start', { range: FULL_RANGE, recordTypes: ALL_TYPES });
    assert.equal((await done).status, 'completed');

    const ledger = core.runtime.session().ledger;
    const facts = callFacts(ledger).filter((f) => f.currency === 'USD');
    const expected = new Set<string>();
    for (const [k, v] of sums(facts, (f) => `${f.number}|${f.day}`)) if (v > dayThreshold) expected.add(`${daily.id} day:${k.replace('|', ':')}`);
    const monthSum = sums(
      facts.filter((f) => f.number === watched),
      (f) => f.day.slice(0, 7),
    );
    for (const [month, v] of monthSum) if (v > monthThreshold) expected.add(`${monthly.id} month:${watched}:${month}`);
    for (const f of facts) if (f.booked > callThreshold) expected.add(`${costly.id} call:${f.id}`);

    const list = await call(core, 'alerts.list', { limit: 500 });
    const causes = list.firings.map((f) => `${f.ruleId} ${f.cause}`);
    assert.equal(causes.length, new Set(causes).size, 'no cause twice');
    assert.deepEqual(new Set(causes), expected);
    assert.ok(
      list.firings.some((f) => f.ruleId === daily.id) && list.firings.some((f) => f.ruleId === monthly.id) && list.firings.some((f) => f.ruleId === costly.id),
      'every rule fired',
    );
    const final = list.firings.length;
    assert.ok(
      seen.some((n) => n > 0 && n < final),
      `firings appeared while the import landed (${seen.join(',')} of ${final})`,
    );
    // A firing keeps what the day had spent when it crossed the threshold (more may land later).
    for (const f of list.firings.filter((x) => x.ruleId === daily.id)) {
      const amount = parseMoney(f.amount);
      assert.ok(amount > dayThreshold && amount <= sums(facts, (x) => `${x.number}|${x.day}`).get(`${f.number}|${f.period}`)!, f.summary);
    }

    // Every day written again (and evaluated again): nothing new.
    const evaluate = alertEvaluator(ledger.db, () => SIM_NOW);
    const all = ledger.db.prepare('SELECT DISTINCT our_number AS number, day FROM alert_day_spend').all() as Array<{ number: string; day: number }>;
    assert.equal(
      ledger.tx(() => evaluate(all)),
      0,
    );
    // Importing the same range again changes no cost: still nothing new.
    const again = await call(core, 'import.start', { range: FULL_RANGE, recordTypes: ALL_TYPES });
    await new Promise<void>((resolve) =>
      core.events.on(
        (e, p) => e === 'import.progress' && (p as ImportProgress).importId === again.importId && (p as ImportProgress).status !== 'running' && resolve(),
      ),
    );
    assert.equal((await call(core, 'alerts.list', { limit: 500 })).firings.length, final);

    // Acknowledged: out of the open list; acknowledging again keeps the first time.
    const first = list.firings[0]!;
    const acked = await call(core, 'alerts.acknowledge', { id: first.id });
    assert.notEqual(acked.acknowledgedAt, null);
    const open = await call(core, 'alerts.list', { unacknowledgedOnly: true, limit: 500 });
    assert.equal(open.unacknowledged, final - 1);
    assert.ok(!open.firings.some((f) => f.id === first.id));
    assert.equal((await call(core, 'alerts.acknowledge', { id: first.id })).acknowledgedAt, acked.acknowledgedAt);
    await core.close();
  });

  it('a spike: a day above N times its trailing 7-day average fires once; an ordinary day does not', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 2, 1));
    const core = await openTestCore({ dataDir: dir, clock });
    const ledger = core.runtime.session().ledger;
    const number = '+15550009999';
    const rule = await call(core, 'alerts.addRule', { kind: 'spend_spike', currency: 'USD', threshold: '0.50', factor: '3' });
    const day0 = Date.UTC(2026, 1, 1, 12);
    const book = (i: number, amount: string, leg = `spike-${i}`) => {
      const ids = insertEndedCalls(ledger, [oneMinuteCall(leg, day0 + i * DAY, number)], clock.now());
      bookExactUsd(ledger, ids, parseMoney(amount));
    };
    for (let i = 0; i < 7; i++) book(i, '1.00'); // a week at 1.00 a day
    assert.equal((await call(core, 'alerts.list', {})).firings.length, 0);
    book(7, '3.00'); // exactly 3 times the average: not above it
    assert.equal((await call(core, 'alerts.list', {})).firings.length, 0);
    book(7, '0.01', 'spike-7b'); // now above
    let fired = (await call(core, 'alerts.list', {})).firings;
    assert.deepEqual(
      fired.map((f) => [f.ruleId, f.cause, f.amount]),
      [[rule.id, `spike:${number}:2026-02-08`, '3.01']],
    );
    assert.match(fired[0]!.summary, /spent 3\.01 USD on 2026-02-08, over 3 times its 7-day average \(7\.00 USD in the 7 days before\)/);
    book(7, '5.00', 'spike-7c'); // the same day, more: the same cause, no second firing
    book(8, '2.00'); // the next day: 2.00 < 3 * (6 + 8.01) / 7
    fired = (await call(core, 'alerts.list', {})).firings;
    assert.equal(fired.length, 1);

    // cost-desk alerts: exit 1 while one is open, 0 once acknowledged.
    await core.close();
    const open = await runCli(['alerts', '--json', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.equal(open.code, 1, open.stderr);
    assert.equal((JSON.parse(open.stdout) as { unacknowledged: number }).unacknowledged, 1);
    const text = await runCli(['alerts', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.match(text.stdout, /NEW {2}#1 \+15550009999 spent 3\.01 USD on 2026-02-08/);
    const again = await openTestCore({ dataDir: dir, clock });
    await call(again, 'alerts.acknowledge', { id: fired[0]!.id });
    await again.close();
    const quiet = await runCli(['alerts', '--data-dir', dir], { TELNYX_API_KEY: undefined });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout.trim(), 'no alerts');
  });

  it('a rule added after costs landed looks at the last 31 days once, then at each write', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 1));
    const core = await openTestCore({ clock });
    const ledger = core.runtime.session().ledger;
    const book = (leg: string, at: number, amount: string) => {
      const ids = insertEndedCalls(ledger, [oneMinuteCall(leg, at)], clock.now());
      bookExactUsd(ledger, ids, parseMoney(amount));
    };
    book('old', Date.UTC(2026, 0, 10), '9.00'); // more than 31 days before the rule
    book('recent', Date.UTC(2026, 1, 20), '9.00');
    assert.equal(ledger.db.prepare('SELECT COUNT(*) FROM alert_day_spend').pluck().get(), 0, 'no rule, no upkeep');
    const rule = await call(core, 'alerts.addRule', { kind: 'daily_spend', currency: 'USD', threshold: '5' });
    assert.deepEqual(
      (await call(core, 'alerts.list', {})).firings.map((f) => f.cause),
      ['day:+15550007777:2026-02-20'],
    );
    book('next', Date.UTC(2026, 1, 28), '6.00');
    assert.deepEqual((await call(core, 'alerts.list', {})).firings.map((f) => f.cause).sort(), ['day:+15550007777:2026-02-20', 'day:+15550007777:2026-02-28']);
    await call(core, 'alerts.removeRule', { id: rule.id });
    assert.equal((await call(core, 'alerts.list', {})).firings.length, 0, 'a removed rule takes its firings along');
    await core.close();
  });
});
