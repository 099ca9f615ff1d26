// Monthly statements from a ledger imported from the simulator over HTTP (plus calls still at
// their estimate, and one amount a double cannot carry): the figures are checked against sums
// of the ledger's rows made here in plain JS, then the .xlsx is read back with exceljs and
// the PDF's text with pdf.js, and both must show the same figures.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Input } from '../../shared/contract.ts';
import type { StatementView } from '../../shared/data.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { comparisonEstimator } from '../../electron/core/costs/comparison.ts';
import { type Core } from '../../electron/core/index.ts';
import { runImport } from '../../electron/core/ingest/importer.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { readSettings } from '../../electron/core/settings/settings.ts';
import { ManualClock } from '../../electron/core/util/clock.ts';
import { call, openTestCore } from '../helpers/core.ts';
import { bookExactUsd, insertEndedCalls, oneMinuteCall } from '../helpers/seed-calls.ts';
import { ALL_TYPES, FULL_RANGE } from '../helpers/ingest.ts';
import { startTestSimulator, testClient, SIM_NOW } from '../helpers/simulator.ts';
import { pdfPages, readXlsx } from '../helpers/statement-readers.ts';
import { tempDir } from '../helpers/temp.ts';

const MONTH = '2026-01';
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);
const BIG = 123_456_789_123_456_789n; // 123456789.123456789: 18 digits, more than a double keeps

interface Expected {
  calls: Map<string, { calls: number; billedSec: number; exactCalls: number; estimatedCalls: number; exact: bigint; estimated: bigint; variance: bigint }>;
  messages: Map<string, { messages: number; parts: number; cost: bigint; fees: bigint }>;
  unpricedCalls: number;
}

/** The statement's figures from the rows, summed here (keys "USD|outbound", "USD|SMS|outbound"). */
function expectedFrom(ledger: Ledger, number?: string): Expected {
  const e: Expected = { calls: new Map(), messages: new Map(), unpricedCalls: 0 };
  const calls = ledger.db.prepare('SELECT * FROM calls').safeIntegers(true).all() as Array<Record<string, bigint | string | null>>;
  for (const c of calls) {
    const t = Number(c.started_at);
    if (c.started_at === null || t < FROM || t >= TO || (number && c.our_number !== number)) continue;
    const actual = c.exact_nanos as bigint | null;
    const est = c.estimated_nanos as bigint | null;
    const cur = actual !== null ? c.currency : est !== null ? c.estimate_currency : null;
    if (cur === null) {
      e.unpricedCalls++;
      continue;
    }
    const key = `${cur}|${c.direction}`;
    const l = e.calls.get(key) ?? { calls: 0, billedSec: 0, exactCalls: 0, estimatedCalls: 0, exact: 0n, estimated: 0n, variance: 0n };
    l.calls++;
    l.billedSec += Number(c.billed_sec ?? 0n);
    if (actual !== null) {
      l.exactCalls++;
      l.exact += actual;
      if (est !== null && c.estimate_currency === c.currency) l.variance += actual - est;
    } else {
      l.estimatedCalls++;
      l.estimated += est!;
    }
    e.calls.set(key, l);
  }
  const messages = ledger.db.prepare('SELECT * FROM messages').safeIntegers(true).all() as Array<Record<string, bigint | string | null>>;
  for (const m of messages) {
    const t = Number(m.sent_at);
    if (m.sent_at === null || t < FROM || t >= TO || (number && m.our_number !== number) || m.cost_nanos === null) continue;
    const key = `${m.currency}|${m.message_type ?? 'SMS'}|${m.direction}`;
    const l = e.messages.get(key) ?? { messages: 0, parts: 0, cost: 0n, fees: 0n };
    l.messages++;
    l.parts += Number(m.parts ?? 0n);
    l.cost += m.cost_nanos as bigint;
    l.fees += (m.carrier_fee_nanos as bigint | null) ?? 0n;
    e.messages.set(key, l);
  }
  return e;
}

function assertViewMatches(view: StatementView, e: Expected): void {
  const seenCalls = new Set<string>();
  for (const s of view.sections) {
    for (const l of s.calls) {
      const key = `${s.currency}|${l.kind.startsWith('Inbound') ? 'inbound' : 'outbound'}`;
      const x = e.calls.get(key);
      assert.ok(x, `${key} in the ledger`);
      seenCalls.add(key);
      assert.deepEqual(
        {
          calls: l.calls,
          billedSec: l.billedSec,
          exactCalls: l.exactCalls,
          estimatedCalls: l.estimatedCalls,
          exact: l.exact,
          estimated: l.estimated,
          booked: l.booked,
          variance: l.variance,
        },
        {
          calls: x.calls,
          billedSec: x.billedSec,
          exactCalls: x.exactCalls,
          estimatedCalls: x.estimatedCalls,
          exact: formatMoney(x.exact),
          estimated: formatMoney(x.estimated),
          booked: formatMoney(x.exact + x.estimated),
          variance: formatMoney(x.variance),
        },
        key,
      );
    }
    for (const l of s.messages) {
      const [type, direction] = l.kind.split(' ');
      const x = e.messages.get(`${s.currency}|${type}|${direction}`);
      assert.ok(x, `${s.currency} ${l.kind}`);
      assert.deepEqual(
        { messages: l.messages, parts: l.parts, cost: l.cost, fees: l.carrierFees },
        { messages: x.messages, parts: x.parts, cost: formatMoney(x.cost), fees: formatMoney(x.fees) },
      );
    }
    const calls = [...e.calls.entries()].filter(([k]) => k.startsWith(`${s.currency}|`)).reduce((n, [, v]) => n + v.exact + v.estimated, 0n);
    const msgs = [...e.messages.entries()].filter(([k]) => k.startsWith(`${s.currency}|`)).reduce((n, [, v]) => n + v.cost, 0n);
    assert.equal(s.callsTotal.booked, formatMoney(calls));
    assert.equal(s.total, formatMoney(calls + msgs));
  }
  assert.deepEqual([...seenCalls].sort(), [...e.calls.keys()].sort(), 'every currency and kind is on the statement');
  assert.equal(view.unpricedCalls, e.unpricedCalls);
}

describe('monthly statements', () => {
  let core: Core;
  let ledger: Ledger;
  let dir: string;
  let estimatedNumber: string;

  before(async () => {
    const sim = await startTestSimulator({ seed: 'statements', calls: 1500, messages: 500, sipTrunkingRate: 0.3 });
    dir = tempDir();
    const file = join(dir, LIVE_LEDGER);
    const l = openLedgerFile(file);
    const clock = new ManualClock(SIM_NOW + 3_600_000);
    const p = await runImport({
      ledger: l,
      source: clientRecordSource(testClient(sim), 4),
      clock,
      from: FULL_RANGE.from,
      to: FULL_RANGE.to,
      recordTypes: ALL_TYPES,
      owner: 'test',
      compare: comparisonEstimator(readSettings(l).rates),
    });
    assert.equal(p.status, 'completed');
    l.close();
    core = await openTestCore({ dataDir: dir, clock });
    ledger = core.runtime.session().ledger;
    // Calls that ended without a record yet: booked at their estimate by the reconciler.
    estimatedNumber = ledger.db
      .prepare("SELECT our_number FROM calls WHERE currency = 'USD' GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
      .pluck()
      .get() as string;
    const ids = insertEndedCalls(
      ledger,
      Array.from({ length: 5 }, (_, i) => ({
        callLegId: `est-${i}`,
        callSessionId: `est-${i}`,
        callControlId: null,
        from: estimatedNumber,
        to: `+4420790000${i}`,
        direction: 'outbound' as const,
        startMs: Date.UTC(2026, 0, 20, 10, i),
        answerMs: Date.UTC(2026, 0, 20, 10, i),
        endMs: Date.UTC(2026, 0, 20, 10, i) + 95_000,
        callSec: 95,
      })),
      SIM_NOW,
    );
    for (const id of ids) core.runtime.session().reconciler.onCallEnded(id);
    // One exact cost of 123456789.123456789 USD: more digits than a spreadsheet number keeps.
    const big = insertEndedCalls(ledger, [oneMinuteCall('big', Date.UTC(2026, 0, 21), estimatedNumber, '+12125550100')], SIM_NOW);
    bookExactUsd(ledger, big, BIG, { billedSec: 60 });
    // A call of February is not in January's statement.
    insertEndedCalls(ledger, [oneMinuteCall('feb', TO, estimatedNumber, '+12125550101')], SIM_NOW);
  });

  it('per number and for the whole account: the figures are the sums of the ledger rows', async () => {
    const whole = await call(core, 'statements.get', { month: MONTH });
    assertViewMatches(whole, expectedFrom(ledger));
    assert.deepEqual(
      whole.sections.map((s) => s.currency),
      ['EUR', 'USD'],
      'one section per currency, never added together',
    );
    const one = await call(core, 'statements.get', { month: MONTH, number: estimatedNumber });
    assertViewMatches(one, expectedFrom(ledger, estimatedNumber));
    assert.deepEqual(one.numbers, [estimatedNumber]);
    const usd = one.sections.find((s) => s.currency === 'USD')!;
    assert.ok(usd.callsTotal.estimatedCalls >= 5 && usd.callsTotal.exactCalls > 5, 'exact and estimated calls both on it');
    assert.notEqual(usd.callsTotal.variance, '0', 'imported calls carry a comparison estimate: a variance');
    assert.equal(usd.topDestinations[0]!.destination, '+12125550100', 'the biggest cost leads the destinations');
    assert.equal(usd.topDestinations[0]!.booked, formatMoney(BIG));
    assert.ok(usd.topDestinations.length <= 10);
  });

  it('the .xlsx read back with exceljs: typed numbers and dates, exact text where a number cannot carry it', async () => {
    const view = await call(core, 'statements.get', { month: MONTH, number: estimatedNumber });
    const out = join(dir, 'jan.xlsx');
    const r = await call(core, 'statements.export', { month: MONTH, number: estimatedNumber, format: 'xlsx', out });
    assert.equal(r.file, out);
    const wb = await readXlsx(out);
    const sheet = wb.getWorksheet('Statement')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const find = (label: string, after = 0) => rows.findIndex((r, i) => i >= after && r[0] === label);
    assert.deepEqual(rows[find('From (UTC)')]![1], new Date(FROM), 'a date cell');
    assert.deepEqual(rows[find('Until (UTC, exclusive)')]![1], new Date(TO));
    for (const s of view.sections) {
      const start = find(`${s.currency} · ${view.periodLabel}`);
      assert.ok(start > 0, `${s.currency} block`);
      for (const l of [...s.calls, s.callsTotal]) {
        const row = rows[find(l.kind, start)]!;
        assert.equal(row[1], l.calls);
        assert.equal(row[2], l.billedSec);
        assert.equal(typeof row[3], 'number');
        // Each amount: a number cell, and its exact text when the number cannot carry it.
        for (const [col, exact] of [
          [6, l.exact],
          [8, l.estimated],
          [10, l.booked],
          [12, l.variance],
        ] as const) {
          assert.equal(typeof row[col], 'number', `${l.kind} col ${col} is numeric`);
          const text = row[col + 1] as string | undefined;
          if (text) assert.equal(text, exact);
          else assert.equal(formatMoney(parseMoney(String(row[col]))), exact, `${l.kind} col ${col}`);
        }
      }
    }
    const usdAll = view.sections.find((s) => s.currency === 'USD')!.callsTotal;
    const allRow = rows[find('All calls', find(`USD · ${view.periodLabel}`))]!;
    assert.equal(allRow[11], usdAll.booked, 'the booked total needs its exact text');
    assert.ok(usdAll.booked.length > 16);
    assert.equal(sheet.getRow(find('All calls', find(`USD · ${view.periodLabel}`)) + 1).getCell(11).numFmt, '#,##0.00#######');

    // The Calls sheet: one row per call of the month, started times as date cells.
    const calls = wb.getWorksheet('Calls')!;
    const callRows: unknown[][] = [];
    calls.eachRow((row, i) => i > 1 && callRows.push((row.values as unknown[]).slice(1)));
    assert.equal(callRows.length, view.sections.reduce((n, s) => n + s.callsTotal.calls, 0) + view.unpricedCalls);
    assert.ok(callRows.every((c) => c[0] instanceof Date && c[0].getTime() >= FROM && c[0].getTime() < TO));
    let usd = 0n;
    for (const c of callRows) if (c[7] === 'USD') usd += parseMoney((c[6] as string | undefined) || String(c[5]));
    assert.equal(formatMoney(usd), usdAll.booked, 'the rows add up to the statement');
  });

  it('the PDF read back with pdf.js: the figures, and the currency and period on every page', async () => {
    const view = await call(core, 'statements.get', { month: MONTH });
    const out = join(dir, 'jan-all.pdf');
    await call(core, 'statements.export', { month: MONTH, format: 'pdf', out });
    const pages = await pdfPages(out);
    assert.ok(pages.length >= 3, `${pages.length} pages: a summary and one section per currency`);
    for (const [i, text] of pages.entries()) {
      assert.match(text, /Period: January 2026 \(UTC\)/, `page ${i + 1} names the period`);
      assert.match(text, /Currenc(y|ies): (EUR|USD)/, `page ${i + 1} names its currency`);
      assert.match(text, new RegExp(`Page ${i + 1} of ${pages.length}`));
    }
    for (const s of view.sections) {
      const own = pages.filter((p) => p.includes(`Currency: ${s.currency}`)).join('\n');
      for (const l of [...s.calls, s.callsTotal]) {
        const cells = [l.kind, l.calls, l.minutes, l.exactCalls, l.estimatedCalls, l.exact, l.estimated, l.booked, l.variance, l.variancePct ?? '-'].join(' ');
        assert.ok(own.includes(cells), `${s.currency} ${l.kind}: "${cells}" in\n${own}`);
      }
      for (const l of [...s.messages, s.messagesTotal])
        assert.ok(own.includes([l.kind, l.messages, l.parts, l.cost, l.carrierFees].join(' ')), `${s.currency} ${l.kind}`);
      assert.ok(own.includes(`Total (calls booked + messages): ${s.total} ${s.currency}`));
      for (const d of s.topDestinations) assert.ok(own.includes([d.destination, d.calls, d.messages, d.minutes, d.booked].join(' ')), d.destination);
    }
  });

  it('bad requests: a clear error and no file', async () => {
    const bad = async (input: Input<'statements.export'>) => {
      const r = await dispatch(core.api, 'statements.export', input);
      assert.equal(r.ok, false);
      return (r as { ok: false; error: { message: string } }).error.message;
    };
    assert.match(await bad({ month: '2026-13', format: 'pdf' }), /YYYY-MM/);
    assert.match(await bad({ month: MONTH, format: 'pdf', out: join(dir, 'x.xlsx') }), /does not end in \.pdf/);
    assert.match(await bad({ month: MONTH, format: 'pdf', out: join(dir, 'jan-all.pdf') }), /already exists/);
    assert.match(await bad({ month: MONTH, format: 'pdf', number: '+1555', billingGroup: 'Sales' }), /not both/);
  });
});
