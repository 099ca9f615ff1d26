// CSV reports a person can hand on (issue 13 point 10): times in the chosen IANA zone with
// its offset at each moment (across daylight-saving changes), the zone validated by the
// contract, and the cost attribution columns of calls and messages, read back with csv-parse
// and compared with what the simulator's detail records said.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { ExportRequest } from '../../shared/contract.ts';
import { bookCallEstimate } from '../../electron/core/costs/apply.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { exportReport } from '../../electron/core/reports/index.ts';
import { localTimeZone, timeCell } from '../../electron/core/reports/times.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { insertTalkedCall } from '../helpers/call-rows.ts';
import { importWith } from '../helpers/ingest.ts';
import { openTestLedger } from '../helpers/ledger.ts';
import { startTestSimulator, testClient } from '../helpers/simulator.ts';

type Row = Record<string, string>;

async function exportCsv(ledger: Ledger, request: ExportRequest) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await exportReport(ledger.db, request, out);
  const all = parse(Buffer.concat(chunks).toString('utf8'), { columns: true, strict: true } as never) as Row[];
  return { result, rows: all.filter((r) => r.Row !== 'Total'), totals: all.filter((r) => r.Row === 'Total') };
}

/** The zone's offset at `ms` as Intl's longOffset names it ("GMT-04:00", "GMT"): a different reading than the writer's. */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
function intlOffset(zone: string, ms: number): string {
  let format = offsetFormats.get(zone);
  if (!format) offsetFormats.set(zone, (format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

function insertCall(ledger: Ledger, leg: string, startedAt: number, sec: number): number {
  const id = insertTalkedCall(ledger, leg, startedAt, { ringMs: 2000, sec });
  bookCallEstimate(ledger, id, { nanos: 7_000_000n, currency: 'USD', method: 'rate', rate: '0.0070', billedSec: sec }, startedAt + 3000 + sec * 1000);
  return id;
}

describe('CSV reports: times in the chosen zone', () => {
  // America/New_York springs forward on 2026-03-08 at 07:00 UTC (02:00 EST -> 03:00 EDT) and
  // falls back on 2026-11-01 at 06:00 UTC (02:00 EDT -> 01:00 EST).
  const SPRING = Date.UTC(2026, 2, 8, 7, 0, 0);
  const FALL = Date.UTC(2026, 10, 1, 6, 0, 0);

  it('a range holding a daylight-saving change: each time with the offset it had, and the same instant read back', async () => {
    const ledger = openTestLedger();
    insertCall(ledger, 'before-spring', SPRING - 30_000, 45); // 01:59:30 EST, ends after the change
    insertCall(ledger, 'after-spring', SPRING + 1000, 10);
    insertCall(ledger, 'fall-edt', FALL - 1_800_000, 60); // 01:30 EDT
    insertCall(ledger, 'fall-est', FALL + 1_800_000, 60); // 01:30 EST: the same wall clock, an hour later
    const ny = await exportCsv(ledger, { report: 'calls', range: { from: SPRING - 3_600_000, to: FALL + 3_600_000 }, timeZone: 'America/New_York' });
    const byLeg = new Map(ny.rows.map((r) => [r['Call leg id'], r]));
    // Written by hand from the tz rules above.
    assert.deepEqual(
      [byLeg.get('before-spring')!.Started, byLeg.get('before-spring')!.Ended],
      ['2026-03-08T01:59:30.000-05:00', '2026-03-08T03:00:17.000-04:00'],
    );
    assert.equal(byLeg.get('after-spring')!.Started, '2026-03-08T03:00:01.000-04:00');
    assert.equal(byLeg.get('fall-edt')!.Started, '2026-11-01T01:30:00.000-04:00');
    assert.equal(byLeg.get('fall-est')!.Started, '2026-11-01T01:30:00.000-05:00');
    assert.equal(ny.result.timeZone, 'America/New_York');
    // Every time cell names the ledger's instant exactly.
    const ledgerTimes = ledger.db.prepare('SELECT call_leg_id leg, started_at s, answered_at a, ended_at e FROM calls').all() as {
      leg: string;
      s: number;
      a: number;
      e: number;
    }[];
    for (const c of ledgerTimes) {
      const r = byLeg.get(c.leg)!;
      assert.deepEqual(
        [r.Started, r.Answered, r.Ended].map((t) => Date.parse(t!)),
        [c.s, c.a, c.e],
        c.leg,
      );
    }
    // The history report's times too.
    const history = await exportCsv(ledger, { report: 'history', range: { from: SPRING - 3_600_000, to: FALL + 3_600_000 }, timeZone: 'America/New_York' });
    assert.ok(history.rows.length >= 4);
    for (const h of history.rows) assert.match(h.Changed!, /^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]:00$/);
    // UTC when chosen: "Z".
    const utc = await exportCsv(ledger, { report: 'calls', range: { from: SPRING - 3_600_000, to: FALL + 3_600_000 }, timeZone: 'UTC' });
    assert.equal(utc.rows[0]!.Started, '2026-03-08T06:59:30.000Z');
    // A half-hour zone south of the equator (Adelaide leaves daylight time on 2026-04-05 at 16:30 UTC).
    const adl = await exportCsv(ledger, { report: 'calls', range: { from: SPRING - 3_600_000, to: FALL + 3_600_000 }, timeZone: 'Australia/Adelaide' });
    assert.equal(adl.rows[0]!.Started, '2026-03-08T17:29:30.000+10:30');
    ledger.close();
  });

  it('any instant, any zone: the offset Intl names for it, and the instant read back (property)', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Pacific/Chatham',
      'Europe/London',
      'America/Sao_Paulo',
    ];
    const cells = new Map(zones.map((z) => [z, timeCell(z)]));
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 0, max: 5 }),
        (zone, base, near) => {
          // Most runs land on or just before a whole or half hour (changes happen there: Lord
          // Howe's and Adelaide's at :30 UTC, inside an hour the writer caches per hour).
          const step = near % 2 === 0 ? 3_600_000 : 900_000;
          const ms = near < 4 ? base - (base % step) - (near < 2 ? 1 : 0) : base;
          const cell = cells.get(zone)!(ms);
          assert.equal(Date.parse(cell), ms, `${zone} ${cell}`);
          assert.equal(cell.slice(-6), intlOffset(zone, ms), `${zone} ${cell}`);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('around every offset change of 2025-2027 in eight zones: the offset before and after, to the millisecond', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Australia/Adelaide',
      'America/St_Johns',
      'Pacific/Chatham',
      'America/Santiago',
      'Asia/Kathmandu',
    ];
    let changes = 0;
    for (const zone of zones) {
      const cell = timeCell(zone);
      // Changes found with Intl's longOffset alone: hour by hour, then bisected to the millisecond.
      let next = intlOffset(zone, Date.UTC(2025, 0, 1));
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000) {
        const now = next;
        next = intlOffset(zone, t + 3_600_000);
        if (now === next) continue;
        let [lo, hi] = [t, t + 3_600_000];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (intlOffset(zone, mid) === intlOffset(zone, t)) lo = mid;
          else hi = mid;
        }
        changes++;
        for (const ms of [hi - 1_740_000, hi - 1, hi, hi + 1, hi + 1_740_000]) {
          const text = cell(ms);
          assert.equal(Date.parse(text), ms, `${zone} ${text}`);
          assert.equal(text.slice(-6), intlOffset(zone, ms), `${zone} at ${new Date(ms).toISOString()}: ${text}`);
        }
      }
    }
    assert.ok(changes >= 30, `${changes} changes`); // Kathmandu has none; the others two a year
  });

  it('the zone is checked by the contract; without one, the machine’s zone', async () => {
    const ledger = openTestLedger();
    insertCall(ledger, 'one', SPRING, 10);
    for (const timeZone of ['+01:00', 'Mars/Olympus', 'Europe/Berlin; DROP', '']) {
      await assert.rejects(
        exportReport(ledger.db, { report: 'calls', range: { from: SPRING, to: SPRING + 1 }, timeZone }, new PassThrough()),
        (err: Error & { code?: string }) => err.code === 'invalid_input' && /time zone/.test(err.message),
        timeZone,
      );
    }
    const plain = await exportCsv(ledger, { report: 'calls', range: { from: SPRING, to: SPRING + 1 } });
    assert.equal(plain.result.timeZone, localTimeZone());
    assert.equal(Date.parse(plain.rows[0]!.Started!), SPRING);
    ledger.close();
  });
});

describe('CSV reports: cost attribution columns', () => {
  it('billing group, tags, country and connection of every call; profile, tags and country of every message, as Telnyx sent them', async () => {
    const START = Date.UTC(2026, 0, 1);
    const END = START + 3 * 86_400_000;
    const sim = await startTestSimulator({
      seed: 'attribution',
      calls: 120,
      messages: 60,
      startMs: START,
      spanMs: 86_400_000,
      neverRecordRate: 0,
      stragglerRate: 0,
      nowMs: END,
    });
    const ledger = openTestLedger();
    await importWith({ ledger, client: testClient(sim), from: START, to: END, clock: new ManualClock(END) });
    const records = (table: string) =>
      (ledger.db.prepare(`SELECT raw FROM detail_records WHERE record_type IN (${table})`).pluck().all() as string[]).map(
        (r) => JSON.parse(r) as Record<string, unknown>,
      );
    // Telnyx sends tags as "support,priority": the report lists them "support; priority".
    const tags = (v: unknown) =>
      [
        ...new Set(
          String(v ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
        ),
      ].join('; ');
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

    const mains = new Map(records(`'call-control','webrtc'`).map((r) => [text(r.telnyx_leg_id ?? r.call_leg_id), r]));
    const calls = await exportCsv(ledger, { report: 'calls', range: { from: START, to: END }, timeZone: 'UTC' });
    assert.equal(calls.rows.length, mains.size);
    let grouped = 0;
    for (const r of calls.rows) {
      const rec = mains.get(r['Call leg id']!);
      assert.ok(rec, `a record for ${r['Call leg id']}`);
      assert.equal(r['Billing group id'], text(rec.billing_group_id));
      assert.equal(r['Billing group'], text(rec.billing_group_name));
      assert.equal(r.Tags, tags(rec.tags));
      assert.equal(r.Country, text(rec.country_code));
      assert.equal(r['Connection id'], text(rec.connection_id));
      if (r['Billing group'] !== '') grouped++;
    }
    assert.ok(grouped > 10 && grouped < calls.rows.length, `${grouped} calls in a billing group`);
    assert.ok(calls.rows.some((r) => r.Tags === 'support; priority'));
    // The filters cut the same rows the columns show.
    const sales = await exportCsv(ledger, { report: 'calls', range: { from: START, to: END }, timeZone: 'UTC', tag: 'sales' });
    assert.deepEqual(
      sales.rows.map((r) => r['Ledger id']),
      calls.rows.filter((r) => r.Tags!.split('; ').includes('sales')).map((r) => r['Ledger id']),
    );

    const mdrs = new Map(records(`'messaging'`).map((r) => [text(r.uuid ?? r.id), r]));
    const messages = await exportCsv(ledger, { report: 'messages', range: { from: START, to: END }, timeZone: 'UTC' });
    assert.equal(messages.rows.length, mdrs.size);
    for (const r of messages.rows) {
      const rec = mdrs.get(r['Message id']!)!;
      assert.ok(rec, r['Message id']);
      assert.equal(r['Messaging profile id'], text(rec.profile_id));
      assert.equal(r.Tags, tags(rec.tags));
      assert.equal(r.Country, text(rec.country_code));
    }
    ledger.close();
  });
});
