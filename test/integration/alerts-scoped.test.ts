// Alert rules per billing group, tag or destination country, and the two counting kinds
// (a call to a country new to the number; failed or very short calls in a row), on a real
// core and real SQLite. Expected firings are computed here from the ledger's rows in plain JS,
// independently of the evaluator's SQL; each cause fires once however often days are written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ImportProgress } from '../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { alertEvaluator } from '../../electron/core/alerts/evaluate.ts';
import { type Core } from '../../electron/core/index.ts';
import { type Ledger } from '../../electron/core/ledger/index.ts';
import { openLedger } from '../../electron/core/ledger/open.ts';
import { MIGRATIONS } from '../../electron/core/ledger/migrations.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { Rng } from '../../electron/core/simulator/prng.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { call, liveCore, openTestCore } from '../helpers/core.ts';
import { ALL_TYPES, FULL_RANGE } from '../helpers/ingest.ts';
import { SIM_NOW, simulatorForSuite } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

interface Row {
  id: number;
  number: string;
  startedAt: number;
  day: string;
  direction: string;
  group: string | null;
  tags: string[];
  country: string | null;
  callSec: number | null;
  currency: string | null;
  booked: bigint | null;
}
function rows(ledger: Ledger): Row[] {
  const all = ledger.db
    .prepare(
      'SELECT id, our_number, started_at, direction, billing_group_id, tags, country_code, call_sec, exact_nanos, estimated_nanos, currency, estimate_currency FROM calls WHERE started_at IS NOT NULL ORDER BY started_at, id',
    )
    .safeIntegers(true)
    .all() as Array<Record<string, bigint | string | null>>;
  return all.map((r) => {
    const exact = r.exact_nanos as bigint | null;
    const booked = exact ?? (r.estimated_nanos as bigint | null);
    return {
      id: Number(r.id),
      number: String(r.our_number),
      startedAt: Number(r.started_at),
      day: new Date(Number(r.started_at)).toISOString().slice(0, 10),
      direction: String(r.direction),
      group: r.billing_group_id === null ? null : String(r.billing_group_id),
      tags: r.tags === null ? [] : (JSON.parse(String(r.tags)) as string[]),
      country: r.country_code === null ? null : String(r.country_code),
      callSec: r.call_sec === null ? null : Number(r.call_sec),
      currency: booked === null ? null : exact !== null ? (r.currency as string | null) : (r.estimate_currency as string | null),
      booked,
    };
  });
}
function sumBy(list: Row[], key: (r: Row) => string): Map<string, bigint> {
  const m = new Map<string, bigint>();
  for (const r of list) if (r.booked !== null) m.set(key(r), (m.get(key(r)) ?? 0n) + r.booked);
  return m;
}
const quantile = (xs: bigint[], q: number) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(q * (xs.length - 1))]!;
const mostCommon = (xs: string[]) => [...xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0]![0];

async function importAll(core: Core): Promise<void> {
  const done = new Promise<ImportProgress>((resolve) =>
    core.events.on((e, p) => e === 'import.progress' && (p as ImportProgress).status !== 'running' && resolve(p as ImportProgress)),
  );
  await call(core, 'import.start', { range: FULL_RANGE, recordTypes: ALL_TYPES });
  assert.equal((await done).status, 'completed');
}

describe('alert rules per billing group, tag and country', () => {
  const sim = simulatorForSuite({ seed: 'alerts-scoped', calls: 1500, messages: 50 });

  it('fire as an import lands, exactly for the group days, tag months and country calls found in the rows', async () => {
    // Thresholds from a first import of the same account (same seed, same rows).
    const scratch = await liveCore(sim);
    await importAll(scratch);
    const r0 = rows(scratch.runtime.session().ledger).filter((r) => r.currency === 'USD');
    await scratch.close();
    const group = mostCommon(r0.filter((r) => r.group !== null).map((r) => r.group!));
    const tag = mostCommon(r0.flatMap((r) => r.tags));
    const country = mostCommon(r0.filter((r) => r.country !== null).map((r) => r.country!));
    const groupDays = sumBy(
      r0.filter((r) => r.group === group),
      (r) => r.day,
    );
    const dayThreshold = quantile([...groupDays.values()], 0.7);
    const tagMonths = sumBy(
      r0.filter((r) => r.tags.includes(tag)),
      (r) => r.day.slice(0, 7),
    );
    const monthThreshold = quantile([...tagMonths.values()], 0.5) - 1n;
    const callThreshold = quantile(
      r0.filter((r) => r.country === country).map((r) => r.booked!),
      0.97,
    );

    const core = await liveCore(sim);
    const daily = await call(core, 'alerts.addRule', { kind: 'daily_spend', billingGroup: group, currency: 'USD', threshold: formatMoney(dayThreshold) });
    const monthly = await call(core, 'alerts.addRule', { kind: 'monthly_spend', tag, currency: 'USD', threshold: formatMoney(monthThreshold) });
    const costly = await call(core, 'alerts.addRule', { kind: 'call_cost', country, currency: 'USD', threshold: formatMoney(callThreshold) });
    assert.deepEqual([daily.scopeLabel, monthly.scopeLabel, costly.scopeLabel], [`billing group ${group}`, `tag ${tag}`, `country ${country}`]);
    await importAll(core);

    const ledger = core.runtime.session().ledger;
    const all = rows(ledger).filter((r) => r.currency === 'USD');
    const expected = new Set<string>();
    for (const [day, v] of sumBy(
      all.filter((r) => r.group === group),
      (r) => r.day,
    ))
      if (v > dayThreshold) expected.add(`${daily.id} day:group:${group}:${day}`);
    for (const [month, v] of sumBy(
      all.filter((r) => r.tags.includes(tag)),
      (r) => r.day.slice(0, 7),
    ))
      if (v > monthThreshold) expected.add(`${monthly.id} month:tag:${tag}:${month}`);
    for (const r of all) if (r.country === country && r.booked! > callThreshold) expected.add(`${costly.id} call:${r.id}`);
    assert.ok(expected.size >= 3, `the account gives each rule something to find (${expected.size})`);

    const list = await call(core, 'alerts.list', { limit: 500 });
    const causes = list.firings.map((f) => `${f.ruleId} ${f.cause}`);
    assert.equal(causes.length, new Set(causes).size, 'no cause twice');
    assert.deepEqual(new Set(causes), expected);
    for (const f of list.firings.filter((x) => x.ruleId === daily.id)) {
      assert.equal(f.subject, `billing group ${group}`);
      assert.equal(f.number, null);
      assert.match(f.summary, new RegExp(`^billing group ${group} spent \\d+\\.\\d+ USD on ${f.period}`));
    }

    // Every day written again and evaluated again: nothing new.
    const evaluate = alertEvaluator(ledger.db, () => SIM_NOW);
    const days = ledger.db
      .prepare('SELECT DISTINCT our_number AS number, started_at / 86400000 AS day FROM calls WHERE started_at IS NOT NULL')
      .all() as Array<{ number: string; day: number }>;
    assert.equal(
      ledger.tx(() => evaluate(days)),
      0,
    );
    await core.close();
  });
});

interface Seed {
  leg: string;
  number: string;
  at: number;
  country: string;
  callSec: number;
  tags: string[] | null;
}

/** Lands calls (priced, with a country and talk time) in one transaction, as an import page would. */
function land(ledger: Ledger, calls: Seed[], now: number): void {
  ledger.tx(() => {
    for (const c of calls) {
      const id = ledger.calls.insert(
        {
          callLegId: c.leg,
          callSessionId: c.leg,
          callControlId: null,
          ourNumber: c.number,
          otherNumber: '+4930123456',
          direction: 'outbound',
          startedAt: c.at,
          answeredAt: c.callSec > 0 ? c.at : null,
          endedAt: c.at + c.callSec * 1000,
          callSec: c.callSec,
          countryCode: c.country,
          tags: c.tags ? JSON.stringify(c.tags) : null,
        },
        now,
      );
      ledger.db
        .prepare("UPDATE calls SET exact_nanos = ?, currency = 'USD', cost_status = 'exact', cost_source = 'manual' WHERE id = ?")
        .run(parseMoney('0.01'), id);
    }
  });
}

/** The runs of at least `min` calls in a row that talked under `short` s, per key, from the rows. */
function expectedRuns(list: Row[], key: (r: Row) => string | null, short: number, min: number): Map<string, Row[][]> {
  const out = new Map<string, Row[][]>();
  const seqs = new Map<string, Row[]>();
  for (const r of list) {
    const k = key(r);
    if (k !== null && r.callSec !== null) seqs.set(k, [...(seqs.get(k) ?? []), r]);
  }
  for (const [k, seq] of seqs) {
    let run: Row[] = [];
    for (const r of [...seq, null]) {
      if (r && r.callSec! < short) run.push(r);
      else {
        if (run.length >= min) out.set(k, [...(out.get(k) ?? []), run]);
        run = [];
      }
    }
  }
  return out;
}

describe('new-country and failed-call rules', () => {
  it('fire once per new country of a number and once per run of failed calls, on calls landing in pages', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 3, 1));
    const core = await openTestCore({ dataDir: dir, clock });
    const ledger = core.runtime.session().ledger;
    const newCountry = await call(core, 'alerts.addRule', { kind: 'new_country' });
    const failed = await call(core, 'alerts.addRule', { kind: 'failed_calls', minCalls: 4, shortSec: 6 });
    const failedTag = await call(core, 'alerts.addRule', { kind: 'failed_calls', tag: 'ivr', minCalls: 6, shortSec: 6 });
    const newCountryTag = await call(core, 'alerts.addRule', { kind: 'new_country', tag: 'ivr' });

    // Three numbers over March: mostly their home country and ordinary calls, with seeded
    // trips abroad and bursts of failures (several in a row, sometimes across a day).
    const rng = new Rng(20260401);
    const numbers = ['+15550100001', '+15550100002', '+15550100003'];
    const countries = ['1', '1', '1', '1', '1', '1', '1', '1', '44', '49', '33', '52', '81'];
    const seeds: Seed[] = [];
    let i = 0;
    for (const number of numbers) {
      let at = Date.UTC(2026, 2, 1, 8) + rng.int(0, 3600_000);
      while (at < Date.UTC(2026, 2, 31)) {
        const burst = rng.next() < 0.04 ? rng.int(3, 9) : 1;
        for (let b = 0; b < burst; b++) {
          const callSec = burst > 1 ? rng.int(0, 5) : rng.next() < 0.15 ? rng.int(0, 5) : rng.int(6, 600);
          seeds.push({ leg: `c-${i++}`, number, at, country: countries[rng.int(0, countries.length - 1)]!, callSec, tags: rng.next() < 0.5 ? ['ivr'] : null });
          at += rng.int(60_000, 3 * 3600_000);
        }
      }
    }
    seeds.sort((a, b) => a.at - b.at);
    // Pages in time order (as an import of a range lands), several transactions a day.
    for (let p = 0; p < seeds.length; p += 7) land(ledger, seeds.slice(p, p + 7), clock.now());

    const all = rows(ledger);
    const expected = new Set<string>();
    for (const number of numbers) {
      const firstAt = new Map<string, number>();
      for (const r of all) if (r.number === number && r.country && !firstAt.has(r.country)) firstAt.set(r.country, r.startedAt);
      const earliest = Math.min(...firstAt.values());
      for (const [c, at] of firstAt) {
        if (at <= earliest) continue;
        expected.add(`${newCountry.id} country:${number}:${c}`);
        const first = all.find((r) => r.number === number && r.country === c && r.startedAt === at)!;
        if (first.tags.includes('ivr')) expected.add(`${newCountryTag.id} country:${number}:${c}`);
      }
    }
    for (const [number, runs] of expectedRuns(all, (r) => r.number, 6, 4)) for (const run of runs) expected.add(`${failed.id} streak:${number}:${run[0]!.id}`);
    for (const runs of expectedRuns(all, (r) => (r.tags.includes('ivr') ? 'ivr' : null), 6, 6).values())
      for (const run of runs) expected.add(`${failedTag.id} streak:tag:ivr:${run[0]!.id}`);
    assert.ok(
      [...expected].some((e) => e.includes('country:')) && [...expected].some((e) => e.includes('streak:tag')),
      'the seed gives both kinds something to find',
    );

    const list = await call(core, 'alerts.list', { limit: 500 });
    const causes = list.firings.map((f) => `${f.ruleId} ${f.cause}`);
    assert.equal(causes.length, new Set(causes).size, 'no cause twice');
    assert.deepEqual(new Set(causes), expected);
    const streak = list.firings.find((f) => f.ruleId === failed.id)!;
    assert.match(streak.summary, /^\+1555010000\d: \d+ failed or very short calls in a row \(under 6 s\) from 2026-03-\d\d$/);
    assert.equal(streak.currency, null);
    const trip = list.firings.find((f) => f.ruleId === newCountry.id)!;
    assert.match(trip.summary, /called country \d+ for the first time on 2026-03-\d\d$/);

    // A run that keeps growing in later pages fires once; writing every day again adds nothing.
    const number = numbers[0]!;
    const lateStart = Date.UTC(2026, 3, 2, 9);
    land(ledger, [{ leg: 'late-good', number, at: lateStart - 7_200_000, country: '1', callSec: 120, tags: null }], clock.now());
    const before = (await call(core, 'alerts.list', { limit: 500 })).firings.length;
    for (let k = 0; k < 12; k++) land(ledger, [{ leg: `late-${k}`, number, at: lateStart + k * 60_000, country: '1', callSec: 0, tags: null }], clock.now());
    const after = (await call(core, 'alerts.list', { limit: 500 })).firings.filter((f) => f.ruleId === failed.id && f.period === '2026-04-02');
    assert.equal(after.length, 1, 'a run of 12 fired once');
    assert.equal(after[0]!.amount, '4', 'when it reached 4');
    assert.equal((await call(core, 'alerts.list', { limit: 500 })).firings.length, before + 1);
    // A call landing late inside the run's past (before its first call) does not fire it again.
    land(ledger, [{ leg: 'late-early', number, at: lateStart - 60_000, country: '1', callSec: 1, tags: null }], clock.now());
    assert.equal((await call(core, 'alerts.list', { limit: 500 })).firings.length, before + 1);
    const evaluate = alertEvaluator(ledger.db, () => clock.now());
    const days = ledger.db.prepare('SELECT DISTINCT our_number AS number, started_at / 86400000 AS day FROM calls').all() as Array<{
      number: string;
      day: number;
    }>;
    assert.equal(
      ledger.tx(() => evaluate(days)),
      0,
    );
    await core.close();
  });

  it('migration 11 keeps the rules and firings of migration 9 (per number or every number)', async () => {
    const dir = tempDir();
    const file = join(dir, LIVE_LEDGER);
    const db = openLedger(file, { migrations: MIGRATIONS.filter((m) => m.version <= 10) });
    db.prepare(
      "INSERT INTO alert_rules (id, kind, scope_number, currency, threshold_nanos, enabled, created_at, updated_at) VALUES (1, 'daily_spend', '+15550001111', 'USD', 5000000000, 1, 1, 1), (2, 'call_cost', NULL, 'EUR', 1000000000, 0, 2, 2)",
    ).run();
    db.prepare(
      "INSERT INTO alert_firings (rule_id, cause, our_number, period, amount_nanos, currency, detail, fired_at) VALUES (1, 'day:+15550001111:2026-01-05', '+15550001111', '2026-01-05', 6000000000, 'USD', '{\"threshold\":\"5000000000\"}', 10)",
    ).run();
    db.close();
    const core = await openTestCore({ dataDir: dir, clock: new ManualClock(Date.UTC(2026, 3, 1)) });
    const rules = (await call(core, 'alerts.rules', {})).rules;
    assert.deepEqual(
      rules.map((r) => [r.id, r.kind, r.scope, r.scopeLabel, r.threshold, r.currency, r.enabled]),
      [
        [1, 'daily_spend', { kind: 'number', value: '+15550001111' }, '+15550001111', '5.00', 'USD', true],
        [2, 'call_cost', { kind: 'all', value: null }, 'every number', '1.00', 'EUR', false],
      ],
    );
    const [f] = (await call(core, 'alerts.list', {})).firings;
    assert.deepEqual(
      [f!.ruleId, f!.subject, f!.number, f!.amount, f!.summary],
      [1, '+15550001111', '+15550001111', '6.00', '+15550001111 spent 6.00 USD on 2026-01-05 (threshold 5.00)'],
    );
    // A removed rule still takes its firings along (the rebuilt foreign key cascades).
    await call(core, 'alerts.removeRule', { id: 1 });
    assert.equal((await call(core, 'alerts.list', {})).firings.length, 0);
    const ledger = core.runtime.session().ledger;
    assert.equal(ledger.db.prepare('PRAGMA foreign_key_check').all().length, 0);
  });
});
