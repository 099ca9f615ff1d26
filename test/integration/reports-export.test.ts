// CSV reports from a real ledger file, written through the real write paths (calls.insert,
// bookCallEstimate, applyCallCost, messages.upsert, applyMessageCost), exported, parsed back
// with csv-parse, and checked value by value: exact money, ISO times, RFC 4180 quoting,
// formula neutralizing, per-currency summary, range and number filters, cancel, backpressure.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { ExportRequest } from '../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { applyCallCost, applyMessageCost, bookCallEstimate } from '../../electron/core/costs/apply.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { exportReport, reportColumns, reportExporter } from '../../electron/core/reports/index.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import type { ExportReportFn } from '../../electron/hosts/host-core.ts';
import { openTestLedger } from '../helpers/ledger.ts';

const T = Date.UTC(2026, 0, 15, 12, 0, 0); // 2026-01-15T12:00:00.000Z
const FROM = T;
const TO = T + 3_600_000; // exclusive
const RANGE = { from: FROM, to: TO };
const A = '+15551234567';
const B = '+15550000001';
const usd = (s: string) => parseMoney(s);

type Row = Record<string, string>;

/** A Writable that keeps everything written to it. */
function collector(options: { highWaterMark?: number; slow?: boolean } = {}) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      if (options.slow) setTimeout(cb, 1);
      else cb();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks), text: () => Buffer.concat(chunks).toString('utf8') };
}

async function exportText(ledger: Ledger, request: ExportRequest, options?: { bom?: boolean; pageRows?: number }) {
  const c = collector();
  const result = await exportReport(ledger.db, { timeZone: 'UTC', ...request }, c.out, undefined, options);
  return { ...result, raw: c.text(), bytes: c.bytes() };
}

/** The data rows (without the Total rows, which come last) and the Total rows of a report. */
async function exportRows(
  ledger: Ledger,
  request: ExportRequest,
  pageRows?: number,
): Promise<{ rows: Row[]; totals: Row[]; count: number; raw: string; result: Awaited<ReturnType<typeof exportReport>> }> {
  const { raw, ...result } = await exportText(ledger, { timeZone: 'UTC', ...request }, { pageRows });
  const all = parse(raw, { columns: true }) as Row[];
  // Strict CRLF parse gives the same records: no record ends in a bare LF or CR.
  assert.deepEqual(parse(raw, { columns: true, record_delimiter: '\r\n' }), all);
  const first = all.findIndex((r) => r.Row === 'Total');
  const rows = first < 0 ? all : all.slice(0, first);
  const totals = first < 0 ? [] : all.slice(first);
  assert.ok(
    totals.every((r) => r.Row === 'Total'),
    'Total rows only after the data rows',
  );
  assert.equal(rows.length, result.rows);
  return { rows, totals, count: result.rows, raw, result: { ...result } };
}

function insertCall(
  ledger: Ledger,
  c: {
    leg: string;
    session?: string;
    control?: string;
    ours: string;
    other: string;
    direction?: 'inbound' | 'outbound';
    startedAt: number;
    callSec?: number | null;
    ended?: boolean;
  },
): number {
  const sec = c.callSec === undefined ? 60 : c.callSec;
  return ledger.calls.insert(
    {
      callLegId: c.leg,
      callSessionId: c.session ?? `sess-${c.leg}`,
      callControlId: c.control ?? null,
      ourNumber: c.ours,
      otherNumber: c.other,
      direction: c.direction ?? 'outbound',
      startedAt: c.startedAt,
      answeredAt: sec === null ? null : c.startedAt + 3000,
      endedAt: c.ended === false ? null : c.startedAt + 3000 + (sec ?? 0) * 1000,
      callSec: sec,
      billedSec: sec === null ? null : Math.ceil(sec / 60) * 60,
    },
    c.startedAt,
  );
}

function addJob(ledger: Ledger, callId: number, status: string) {
  // No jobs repository exists yet; the row is what the job runner would have left.
  ledger.db.prepare(`INSERT INTO jobs (kind, call_id, status, attempts, created_at, updated_at) VALUES ('call_cost', ?, ?, 1, ?, ?)`).run(callId, status, T, T);
}

const REASON = 'exact cost from call-control record, "quoted", with, commas\nand a newline';
type CallName = 'usd' | 'eur' | 'pending' | 'failed' | 'open' | 'credit' | 'free' | 'atFrom' | 'before' | 'atTo';
const ids = {} as Record<CallName, number>;

function buildLedger(): Ledger {
  const ledger = openTestLedger();
  // 1. USD: estimate 0.0070, then exact 0.0018 (sub-cent) from a detail record: variance -0.0052.
  ids.usd = insertCall(ledger, { leg: 'leg-usd', control: 'v3:ctl-usd', ours: A, other: '+15559876543', startedAt: T + 5000 });
  bookCallEstimate(ledger, ids.usd, { nanos: usd('0.0070'), currency: 'USD', method: 'rate 0.0070/min x 1 min', rate: '0.0070', billedSec: 60 }, T + 70_000);
  applyCallCost(
    ledger,
    ids.usd,
    { source: 'detail_record', nanos: usd('0.0018'), currency: 'USD', rate: '0.0018', billedSec: 60, reason: REASON, detail: { recordId: 'rec-1' } },
    T + 600_000,
  );
  // 2. EUR: estimate 0.0030 EUR, exact 0.00305 EUR (five decimals) from call.cost; formula-like other number and reason.
  ids.eur = insertCall(ledger, { leg: 'leg-eur', ours: A, other: '=HYPERLINK("http://evil.example","click")', direction: 'inbound', startedAt: T + 10_000 });
  bookCallEstimate(ledger, ids.eur, { nanos: usd('0.0030'), currency: 'EUR', method: 'rate 0.0030/min x 1 min', rate: '0.0030', billedSec: 60 }, T + 75_000);
  applyCallCost(ledger, ids.eur, { source: 'call_cost_event', nanos: usd('0.00305'), currency: 'EUR', rate: '0.00305', reason: '@SUM(A1:A2)' }, T + 80_000);
  // 3. Estimated with a pending fetch job; ids starting with TAB and CR, other number "-2+3".
  ids.pending = insertCall(ledger, { leg: '\tleg-tab', session: '\rsess-cr', ours: B, other: '-2+3', startedAt: T + 20_000, callSec: 125 });
  bookCallEstimate(ledger, ids.pending, { nanos: usd('0.0210'), currency: 'USD', method: '=1+1', rate: '0.0070', billedSec: 180 }, T + 150_000);
  addJob(ledger, ids.pending, 'pending');
  // 4. Estimated with a failed job.
  ids.failed = insertCall(ledger, { leg: 'leg-failed', ours: B, other: '+4420123456', startedAt: T + 30_000 });
  bookCallEstimate(ledger, ids.failed, { nanos: usd('0.0070'), currency: 'USD', method: 'rate 0.0070/min x 1 min', rate: '0.0070', billedSec: 60 }, T + 95_000);
  addJob(ledger, ids.failed, 'failed');
  // 5. Still open: nothing booked, not ended.
  ids.open = insertCall(ledger, { leg: 'leg-open', ours: A, other: '+15550001111', startedAt: T + 40_000, callSec: null, ended: false });
  // 6. A manual credit: negative exact cost after an estimate (negative variance -0.0100).
  ids.credit = insertCall(ledger, { leg: 'leg-credit', ours: A, other: '+15550002222', startedAt: T + 50_000 });
  bookCallEstimate(
    ledger,
    ids.credit,
    { nanos: usd('0.0070'), currency: 'USD', method: 'rate 0.0070/min x 1 min', rate: '0.0070', billedSec: 60 },
    T + 115_000,
  );
  applyCallCost(ledger, ids.credit, { source: 'manual', nanos: usd('-0.0030'), currency: 'USD', reason: 'credit: dropped call' }, T + 7_200_000);
  // 7. Not billable (never answered).
  ids.free = insertCall(ledger, { leg: 'leg-free', ours: A, other: '+15550003333', startedAt: T + 60_000, callSec: 0 });
  applyCallCost(ledger, ids.free, { source: 'detail_record', nanos: 0n, currency: 'USD', status: 'not_billable', reason: 'not billable' }, T + 120_000);
  // 8. Edges of the range: exactly at `from` (in), one ms before (out), exactly at `to` (out).
  ids.atFrom = insertCall(ledger, { leg: 'leg-at-from', ours: A, other: '+15550004444', startedAt: FROM });
  ids.before = insertCall(ledger, { leg: 'leg-before', ours: A, other: '+15550005555', startedAt: FROM - 1 });
  bookCallEstimate(ledger, ids.before, { nanos: usd('1.00'), currency: 'USD', method: 'before', rate: '1', billedSec: 60 }, FROM - 1);
  ids.atTo = insertCall(ledger, { leg: 'leg-at-to', ours: A, other: '+15550006666', startedAt: TO });
  bookCallEstimate(ledger, ids.atTo, { nanos: usd('2.00'), currency: 'USD', method: 'at to', rate: '2', billedSec: 60 }, TO);

  // Messages.
  ledger.messages.upsert(
    { id: 'msg-usd', ourNumber: A, otherNumber: '+15557654321', direction: 'outbound', messageType: 'SMS', parts: 2, status: 'delivered', sentAt: T + 100_000 },
    T + 100_000,
  );
  applyMessageCost(
    ledger,
    'msg-usd',
    {
      source: 'message_finalized_event',
      nanos: usd('0.0040'),
      carrierFeeNanos: usd('0.0025'),
      currency: 'USD',
      rate: '0.0020',
      reason: 'message.finalized cost',
    },
    T + 101_000,
  );
  ledger.messages.upsert(
    {
      id: '=cmd|"/c calc"!A0',
      ourNumber: A,
      otherNumber: '@evil',
      direction: 'inbound',
      messageType: 'MMS',
      parts: 1,
      status: 'received',
      sentAt: T + 110_000,
    },
    T + 110_000,
  );
  applyMessageCost(
    ledger,
    '=cmd|"/c calc"!A0',
    { source: 'message_sent_event', nanos: usd('0.00305'), carrierFeeNanos: null, currency: 'EUR', reason: '+provisional, "sent" cost' },
    T + 111_000,
  );
  ledger.messages.upsert({ id: 'msg-open', ourNumber: B, otherNumber: '+15557654321', direction: 'outbound', sentAt: T + 120_000 }, T + 120_000);
  ledger.messages.upsert({ id: 'msg-old', ourNumber: A, otherNumber: '+15557654321', direction: 'outbound', sentAt: FROM - 5000 }, FROM - 5000);
  applyMessageCost(ledger, 'msg-old', { source: 'detail_record', nanos: usd('9.00'), carrierFeeNanos: null, currency: 'USD', reason: 'old' }, FROM - 4000);
  return ledger;
}

describe('CSV reports', () => {
  let ledger: Ledger;
  before(() => {
    ledger = buildLedger();
  });
  after(() => ledger.close());

  it('binds to the hosts’ ExportReportFn', () => {
    const fn: ExportReportFn = reportExporter(ledger.db);
    assert.equal(typeof fn, 'function');
  });

  it('calls: header, exact values, ISO times, quoting, neutralized text, numeric money', async () => {
    const { rows, raw } = await exportRows(ledger, { report: 'calls', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('calls').join(','));
    assert.notEqual(raw.charCodeAt(0), 0xfeff, 'no BOM by default');
    assert.ok(raw.endsWith('\r\n'));
    // In range, in start order: the one at `from` first; the ones before and at `to` out.
    assert.deepEqual(
      rows.map((r) => Number(r['Ledger id'])),
      [ids.atFrom, ids.usd, ids.eur, ids.pending, ids.failed, ids.open, ids.credit, ids.free],
    );
    assert.ok(rows.every((r) => r.Row === 'Call'));
    const byId = new Map(rows.map((r) => [Number(r['Ledger id']), r]));
    assert.deepEqual(byId.get(ids.usd), {
      Row: 'Call',
      'Ledger id': String(ids.usd),
      Started: '2026-01-15T12:00:05.000Z',
      Answered: '2026-01-15T12:00:08.000Z',
      Ended: '2026-01-15T12:01:08.000Z',
      Direction: 'outbound',
      'Our number': A,
      'Other number': '+15559876543',
      'Call length (s)': '60',
      'Billed (s)': '60',
      Status: 'exact',
      Estimated: '0.007',
      'Estimate currency': 'USD',
      'Estimate method': 'rate 0.0070/min x 1 min',
      Exact: '0.0018',
      'Exact currency': 'USD',
      Rate: '0.0018',
      Source: 'detail_record',
      Booked: '0.0018',
      'Booked currency': 'USD',
      Variance: '-0.0052',
      'Variance currency': 'USD',
      'Billing group id': '',
      'Billing group': '',
      Tags: '',
      Country: '',
      'Connection id': '',
      Connection: '',
      'Call leg id': 'leg-usd',
      'Call session id': 'sess-leg-usd',
      'Call control id': 'v3:ctl-usd',
    });
    const eur = byId.get(ids.eur)!;
    assert.equal(eur['Other number'], `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(eur.Estimated, '0.003');
    assert.equal(eur['Estimate currency'], 'EUR');
    assert.equal(eur.Exact, '0.00305');
    assert.equal(eur['Exact currency'], 'EUR');
    assert.equal(eur.Rate, '0.00305');
    assert.equal(eur.Booked, '0.00305');
    assert.equal(eur['Booked currency'], 'EUR');
    assert.equal(eur.Variance, '0.00005');
    assert.equal(eur['Variance currency'], 'EUR');
    assert.equal(eur.Status, 'exact');
    // The embedded quotes are doubled inside a quoted cell (RFC 4180).
    assert.ok(raw.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`));

    const pending = byId.get(ids.pending)!;
    assert.equal(pending['Call leg id'], "'\tleg-tab");
    assert.equal(pending['Call session id'], "'\rsess-cr");
    assert.equal(pending['Other number'], "'-2+3");
    assert.equal(pending['Estimate method'], "'=1+1");
    assert.equal(pending.Status, 'pending');
    assert.equal(pending['Call length (s)'], '125');
    assert.equal(pending['Billed (s)'], '180');
    assert.equal(pending.Estimated, '0.021');
    assert.equal(pending.Exact, '');
    assert.equal(pending['Exact currency'], '');
    // Booked: the estimate while Telnyx's cost is not known.
    assert.equal(pending.Booked, '0.021');
    assert.equal(pending['Booked currency'], 'USD');
    assert.equal(pending.Variance, '');
    assert.equal(pending.Source, 'estimate');
    assert.equal(byId.get(ids.failed)!.Status, 'failed');

    const open = byId.get(ids.open)!;
    assert.equal(open.Status, 'open');
    assert.equal(open.Answered, '');
    assert.equal(open.Ended, '');
    assert.equal(open['Call length (s)'], '');
    assert.equal(open.Estimated, '');
    assert.equal(open.Booked, '');
    assert.equal(open['Booked currency'], '');
    assert.equal(open.Source, '');

    // Negative money stays a number: no neutralizing quote on amounts.
    const credit = byId.get(ids.credit)!;
    assert.equal(credit.Exact, '-0.003');
    assert.equal(credit.Booked, '-0.003');
    assert.equal(credit.Variance, '-0.01');
    assert.equal(credit.Source, 'manual');
    assert.equal(byId.get(ids.free)!.Status, 'not_billable');
    assert.equal(byId.get(ids.free)!.Exact, '0.00');
  });

  it('calls: one Total row per currency, each column summed over its own currency, never across', async () => {
    const { rows, totals, result } = await exportRows(ledger, { report: 'calls', range: RANGE });
    // Independently: the ledger's own rows in range, summed in bigint per column and currency.
    const ledgerRows = ledger.db
      .prepare('SELECT estimated_nanos e, estimate_currency ec, exact_nanos x, currency c, cost_source s FROM calls WHERE started_at >= ? AND started_at < ?')
      .safeIntegers(true)
      .all(FROM, TO) as { e: bigint | null; ec: string | null; x: bigint | null; c: string | null; s: string | null }[];
    const want = new Map<string, { est?: bigint; exact?: bigint; booked?: bigint; variance?: bigint; rows: number }>();
    const at = (cur: string) => want.get(cur) ?? want.set(cur, { rows: 0 }).get(cur)!;
    for (const r of ledgerRows) {
      const exact = r.s !== null && r.s !== 'estimate';
      if (r.e !== null) at(r.ec!).est = (at(r.ec!).est ?? 0n) + r.e;
      if (exact) at(r.c!).exact = (at(r.c!).exact ?? 0n) + r.x!;
      const [b, bc] = exact ? [r.x, r.c] : [r.e, r.ec];
      if (b !== null) {
        at(bc!).booked = (at(bc!).booked ?? 0n) + b;
        at(bc!).rows++;
      }
      if (exact && r.e !== null && r.ec === r.c) at(r.c!).variance = (at(r.c!).variance ?? 0n) + (r.x! - r.e);
    }
    const m = (v: bigint | undefined) => (v === undefined ? '' : formatMoney(v));
    const cur = (v: bigint | undefined, c: string) => (v === undefined ? '' : c);
    const expected = [...want.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, w]) => ({
        Row: 'Total',
        'Ledger id': '',
        Started: '',
        Answered: '',
        Ended: '',
        Direction: '',
        'Our number': '',
        'Other number': '',
        'Call length (s)': '',
        'Billed (s)': '',
        Status: '',
        Estimated: m(w.est),
        'Estimate currency': cur(w.est, c),
        'Estimate method': '',
        Exact: m(w.exact),
        'Exact currency': cur(w.exact, c),
        Rate: '',
        Source: '',
        Booked: m(w.booked),
        'Booked currency': cur(w.booked, c),
        Variance: m(w.variance),
        'Variance currency': cur(w.variance, c),
        'Billing group id': '',
        'Billing group': '',
        Tags: '',
        Country: '',
        'Connection id': '',
        Connection: '',
        'Call leg id': '',
        'Call session id': '',
        'Call control id': '',
      }));
    assert.deepEqual(totals, expected);
    assert.deepEqual(
      totals.map((t) => t.Booked),
      ['0.00305', '0.0268'],
    ); // EUR; USD 0.0018+0.021+0.007-0.003+0.00
    assert.deepEqual(result.totals, [
      { currency: 'EUR', rows: 1, booked: '0.00305' },
      { currency: 'USD', rows: 5, booked: '0.0268' },
    ]);
    // The rows of each currency, counted from the exported rows themselves.
    assert.equal(rows.filter((r) => r['Booked currency'] === 'USD').length, 5);
    // Asked not to: no Total rows.
    const bare = await exportText(ledger, { report: 'calls', range: RANGE, totals: false });
    assert.ok(!bare.raw.includes('\r\nTotal,'));
    assert.equal((parse(bare.raw, { columns: true }) as Row[]).length, rows.length);
  });

  it('calls: status is the badge the calls table shows', async () => {
    const { rows } = await exportRows(ledger, { report: 'calls', range: RANGE });
    const views = callViews(ledger.db);
    for (const r of rows) assert.equal(r.Status, views.row(Number(r['Ledger id']))!.badge, `call ${r['Ledger id']}`);
  });

  it('calls: pages of any size give the same file', async () => {
    const whole = await exportText(ledger, { report: 'calls', range: RANGE });
    for (const pageRows of [1, 2, 3, 7]) {
      const paged = await exportText(ledger, { report: 'calls', range: RANGE }, { pageRows });
      assert.equal(paged.raw, whole.raw, `pageRows ${pageRows}`);
    }
  });

  it('calls: number filter and empty range', async () => {
    const { rows } = await exportRows(ledger, { report: 'calls', range: RANGE, number: B });
    assert.deepEqual(
      rows.map((r) => Number(r['Ledger id'])),
      [ids.pending, ids.failed],
    );
    assert.ok(rows.every((r) => r['Our number'] === B));
    const empty = await exportText(ledger, { report: 'calls', range: { from: TO + 10_000, to: TO + 20_000 } });
    assert.equal(empty.rows, 0);
    assert.equal(empty.raw, `${reportColumns('calls').join(',')}\r\n`);
    const nobody = await exportText(ledger, { report: 'calls', range: RANGE, number: '+19999999999' });
    assert.equal(nobody.raw, `${reportColumns('calls').join(',')}\r\n`);
  });

  it('messages: exact costs with carrier fee and currency, neutralized ids, a Total row per currency', async () => {
    const { rows, raw, totals, result } = await exportRows(ledger, { report: 'messages', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('messages').join(','));
    const none = { 'Messaging profile id': '', 'Messaging profile': '', Tags: '', Country: '' };
    assert.deepEqual(rows, [
      {
        Row: 'Message',
        'Message id': 'msg-usd',
        Sent: '2026-01-15T12:01:40.000Z',
        Direction: 'outbound',
        'Our number': A,
        'Other number': '+15557654321',
        Type: 'SMS',
        Parts: '2',
        Delivery: 'delivered',
        Cost: '0.004',
        'Carrier fee': '0.0025',
        Currency: 'USD',
        Rate: '0.0020',
        'Cost status': 'exact',
        Source: 'message_finalized_event',
        ...none,
      },
      {
        Row: 'Message',
        'Message id': `'=cmd|"/c calc"!A0`,
        Sent: '2026-01-15T12:01:50.000Z',
        Direction: 'inbound',
        'Our number': A,
        'Other number': "'@evil",
        Type: 'MMS',
        Parts: '1',
        Delivery: 'received',
        Cost: '0.00305',
        'Carrier fee': '',
        Currency: 'EUR',
        Rate: '',
        'Cost status': 'exact',
        Source: 'message_sent_event',
        ...none,
      },
      {
        Row: 'Message',
        'Message id': 'msg-open',
        Sent: '2026-01-15T12:02:00.000Z',
        Direction: 'outbound',
        'Our number': B,
        'Other number': '+15557654321',
        Type: '',
        Parts: '',
        Delivery: '',
        Cost: '',
        'Carrier fee': '',
        Currency: '',
        Rate: '',
        'Cost status': 'open',
        Source: '',
        ...none,
      },
    ]);
    const blank = Object.fromEntries(reportColumns('messages').map((c) => [c, '']));
    assert.deepEqual(totals, [
      { ...blank, Row: 'Total', Cost: '0.00305', 'Carrier fee': '', Currency: 'EUR' },
      { ...blank, Row: 'Total', Cost: '0.004', 'Carrier fee': '0.0025', Currency: 'USD' },
    ]);
    assert.deepEqual(result.totals, [
      { currency: 'EUR', rows: 1, booked: '0.00305' },
      { currency: 'USD', rows: 1, booked: '0.004' },
    ]);
    const onlyB = await exportRows(ledger, { report: 'messages', range: RANGE, number: B });
    assert.deepEqual(
      onlyB.rows.map((r) => r['Message id']),
      ['msg-open'],
    );
    assert.deepEqual(onlyB.totals, [], 'no currency, no Total row');
  });

  it('history: every cost change in range, with its number, reason and readable detail', async () => {
    const { rows, raw, totals } = await exportRows(ledger, { report: 'history', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('history').join(','));
    assert.deepEqual(totals, [], 'changes do not add up: no Total rows');
    // The credit was applied at T+2h: outside the range even though its call is inside.
    assert.ok(!rows.some((r) => r.Reason === 'credit: dropped call'));
    // Ordered by time.
    const times = rows.map((r) => r.Changed);
    assert.deepEqual([...times].sort(), times);
    const exact = rows.find((r) => r.Of === 'call' && r.Id === String(ids.usd) && r['Source after'] === 'detail_record')!;
    assert.deepEqual(exact, {
      Changed: '2026-01-15T12:10:00.000Z',
      Of: 'call',
      Id: String(ids.usd),
      'Our number': A,
      'Started or sent': '2026-01-15T12:00:05.000Z',
      'Cost before': '0.007',
      'Cost after': '0.0018',
      Currency: 'USD',
      'Source before': 'estimate',
      'Source after': 'detail_record',
      'Status before': 'estimated',
      'Status after': 'exact',
      Reason: REASON, // commas, quotes and a newline survive the round trip
      // The stored JSON {"recordId":"rec-1","rate":"0.0018","billedSec":60} in words.
      Detail: 'record: rec-1; rate: 0.0018; billed seconds: 60',
    });
    assert.ok(raw.includes(`"${REASON.replaceAll('"', '""')}"`), 'the reason is one quoted cell, quotes doubled');
    const estimate = rows.find((r) => r.Id === String(ids.usd) && r['Source after'] === 'estimate')!;
    assert.equal(estimate.Detail, 'estimated billed seconds: 60; rate per minute: 0.0070');
    const eur = rows.find((r) => r.Id === String(ids.eur) && r['Source after'] === 'call_cost_event')!;
    assert.equal(eur.Reason, "'@SUM(A1:A2)");
    assert.equal(eur['Cost after'], '0.00305');
    assert.equal(eur.Currency, 'EUR');
    const msg = rows.find((r) => r.Of === 'message' && r['Source after'] === 'message_sent_event')!;
    assert.equal(msg.Id, `'=cmd|"/c calc"!A0`);
    assert.equal(msg.Reason, `'+provisional, "sent" cost`);
    assert.equal(msg['Cost before'], '');
    assert.equal(msg['Cost after'], '0.00305');
    assert.equal(msg['Started or sent'], '2026-01-15T12:01:50.000Z');
    // The estimate booked before the range is not in it.
    assert.ok(!rows.some((r) => r.Reason === 'before'));
    assert.ok(!rows.some((r) => r.Detail!.startsWith('{')), 'no raw JSON');

    const later = await exportRows(ledger, { report: 'history', range: { from: TO, to: TO + 7_200_000 } });
    assert.deepEqual(
      later.rows.map((r) => r.Reason),
      ['at to', 'credit: dropped call'],
    );
    assert.equal(later.rows[1]!['Cost after'], '-0.003');

    const onlyB = await exportRows(ledger, { report: 'history', range: RANGE, number: B });
    assert.deepEqual(
      onlyB.rows.map((r) => [r.Id, r.Reason]),
      [
        [String(ids.failed), 'rate 0.0070/min x 1 min'],
        [String(ids.pending), "'=1+1"],
      ],
    );
  });

  it('history by call date: every change of the range’s calls and messages, however late, in call order', async () => {
    const { rows } = await exportRows(ledger, { report: 'history', range: RANGE, historyBy: 'call' }, 2);
    // Independently from the ledger: changes whose call started / message was sent in range.
    const want = ledger.db
      .prepare(
        `SELECT h.id, COALESCE(c.started_at, m.sent_at) t, h.reason FROM cost_history h
         LEFT JOIN calls c ON c.id = h.call_id LEFT JOIN messages m ON m.id = h.message_id
         WHERE COALESCE(c.started_at, m.sent_at) >= ? AND COALESCE(c.started_at, m.sent_at) < ? ORDER BY t, h.id`,
      )
      .all(FROM, TO) as { id: number; t: number; reason: string }[];
    assert.ok(want.length > 8);
    assert.deepEqual(
      rows.map((r) => [r['Started or sent'], r.Reason!.replace(/^'/, '')]),
      want.map((w) => [new Date(w.t).toISOString(), w.reason]),
    );
    // The credit of T+2h belongs to a call of the range: in this cut, not in the change-date one.
    assert.ok(rows.some((r) => r.Reason === 'credit: dropped call' && r.Changed === '2026-01-15T14:00:00.000Z'));
    // A call before the range whose estimate was booked... before: out; the one at `to`: out.
    assert.ok(!rows.some((r) => r.Reason === 'before' || r.Reason === 'at to'));
    const onlyB = await exportRows(ledger, { report: 'history', range: RANGE, number: B, historyBy: 'call' });
    assert.deepEqual(
      onlyB.rows.map((r) => r.Id),
      [String(ids.pending), String(ids.failed)],
    );
    // Any page size: the same file.
    const whole = await exportText(ledger, { report: 'history', range: RANGE, historyBy: 'call' });
    for (const pageRows of [1, 3]) {
      assert.equal((await exportText(ledger, { report: 'history', range: RANGE, historyBy: 'call' }, { pageRows })).raw, whole.raw);
    }
  });

  it('summary: every row equals the sums of the exported calls and messages rows', async () => {
    const { rows } = await exportRows(ledger, { report: 'summary', range: RANGE });
    const calls = (await exportRows(ledger, { report: 'calls', range: RANGE })).rows;
    const messages = (await exportRows(ledger, { report: 'messages', range: RANGE })).rows;

    // Recompute every total from the exported rows, in bigint nano-units, per number+currency.
    const unquote = (s: string) => (s.startsWith("'") ? s.slice(1) : s);
    const m = (s: string) => (s === '' ? 0n : parseMoney(s));
    type Acc = {
      calls: number;
      billedSec: number;
      estimated: bigint;
      exact: bigint;
      booked: bigint;
      variance: bigint;
      varianceBase: bigint;
      pending: number;
      failed: number;
      messages: number;
      messagesTotal: bigint;
    };
    const acc = new Map<string, Acc>();
    const get = (n: string, c: string) => {
      const k = `${n} ${c}`;
      if (!acc.has(k))
        acc.set(k, {
          calls: 0,
          billedSec: 0,
          estimated: 0n,
          exact: 0n,
          booked: 0n,
          variance: 0n,
          varianceBase: 0n,
          pending: 0,
          failed: 0,
          messages: 0,
          messagesTotal: 0n,
        });
      return acc.get(k)!;
    };
    for (const r of calls) {
      const cur = r['Exact currency'] || r['Estimate currency'] || 'USD';
      const a = get(unquote(r['Our number']!), cur);
      a.calls++;
      a.billedSec += Number(r['Billed (s)'] || r['Call length (s)'] || 0);
      if (r['Estimate currency'] === cur) a.estimated += m(r.Estimated!);
      a.exact += m(r.Exact!);
      a.booked += m(r.Booked!);
      if (r.Variance !== '') {
        a.variance += m(r.Variance!);
        a.varianceBase += m(r.Estimated!);
      }
      if (r.Status === 'pending') a.pending++;
      if (r.Status === 'failed') a.failed++;
    }
    for (const r of messages) {
      const a = get(unquote(r['Our number']!), r.Currency || 'USD');
      a.messages++;
      a.messagesTotal += m(r.Cost!);
    }
    // Percent with one decimal, rounded half away from zero, on bigints.
    const pct = (v: bigint, base: bigint) => {
      if (base === 0n) return '';
      const abs = v < 0n ? -v : v;
      const tenths = (abs * 2000n + base) / (base * 2n);
      return `${v < 0n && tenths !== 0n ? '-' : ''}${tenths / 10n}.${tenths % 10n}`;
    };
    const expected = [...acc.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, a]) => {
        const [number, currency] = k.split(' ');
        return {
          Row: 'Number',
          Number: number!,
          Currency: currency!,
          Calls: String(a.calls),
          Minutes: `${Math.floor(a.billedSec / 60)}.${Math.floor(((a.billedSec % 60) * 10) / 60)}`,
          SMS: String(a.messages),
          Estimated: formatMoney(a.estimated),
          Exact: formatMoney(a.exact),
          Booked: formatMoney(a.booked),
          // No compared call (variance and its base both 0): n/a, written empty, never 0.
          Variance: a.variance === 0n && a.varianceBase === 0n ? '' : formatMoney(a.variance),
          'Variance %': pct(a.variance, a.varianceBase),
          'SMS cost': formatMoney(a.messagesTotal),
          Pending: String(a.pending),
          Failed: String(a.failed),
        };
      });
    assert.deepEqual(rows, expected);
  });

  it('summary: per number and currency, never summed across currencies; an "All numbers" Total row per currency', async () => {
    const { rows, raw, totals, result } = await exportRows(ledger, { report: 'summary', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('summary').join(','));
    const a = rows.filter((r) => r.Number === A);
    assert.deepEqual(
      a.map((r) => r.Currency),
      ['EUR', 'USD'],
    );
    const aEur = {
      Row: 'Number',
      Number: A,
      Currency: 'EUR',
      Calls: '1',
      Minutes: '1.0',
      SMS: '1',
      Estimated: '0.003',
      Exact: '0.00305',
      Booked: '0.00305',
      Variance: '0.00005',
      'Variance %': '1.7', // 0.00005 / 0.0030
      'SMS cost': '0.00305',
      Pending: '0',
      Failed: '0',
    };
    assert.deepEqual(a[0], aEur);
    const aUsd = a[1]!;
    assert.equal(aUsd.Exact, '-0.0012'); // 0.0018 - 0.0030 + 0.00
    assert.equal(aUsd.Variance, '-0.0152'); // -0.0052 - 0.0100
    assert.equal(aUsd['SMS cost'], '0.004');

    // Totals: B's USD row plus A's USD row; EUR is A's alone (its hand-written row above, with
    // no percentage on a Total row). Written by hand from the rows above.
    assert.deepEqual(totals, [
      { ...aEur, Row: 'Total', Number: 'All numbers', 'Variance %': '' },
      {
        Row: 'Total',
        Number: 'All numbers',
        Currency: 'USD',
        Calls: String(Number(aUsd.Calls) + 2),
        Minutes: `${Number(aUsd.Minutes) + 4}.0`,
        SMS: String(Number(aUsd.SMS) + 1),
        Estimated: formatMoney(parseMoney(aUsd.Estimated!) + parseMoney('0.028')),
        Exact: '-0.0012',
        Booked: formatMoney(parseMoney(aUsd.Booked!) + parseMoney('0.028')),
        Variance: '-0.0152',
        'Variance %': '',
        'SMS cost': '0.004',
        Pending: '1',
        Failed: '1',
      },
    ]);
    assert.deepEqual(result.totals, [
      { currency: 'EUR', rows: 1, booked: '0.00305' },
      { currency: 'USD', rows: 2, booked: totals[1]!.Booked },
    ]);

    const onlyB = await exportRows(ledger, { report: 'summary', range: RANGE, number: B });
    assert.deepEqual(onlyB.rows, [
      {
        Row: 'Number',
        Number: B,
        Currency: 'USD',
        Calls: '2',
        Minutes: '4.0',
        SMS: '1',
        Estimated: '0.028',
        Exact: '0.00',
        Booked: '0.028',
        Variance: '',
        'Variance %': '', // nothing to compare: n/a, not 0
        'SMS cost': '0.00',
        Pending: '1',
        Failed: '1',
      },
    ]);
    const empty = await exportText(ledger, { report: 'summary', range: { from: TO + 10_000, to: TO + 20_000 } });
    assert.equal(empty.raw, `${reportColumns('summary').join(',')}\r\n`);
  });

  it('writes a UTF-8 BOM only when asked', async () => {
    const plain = await exportText(ledger, { report: 'messages', range: RANGE });
    assert.notDeepEqual([...plain.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const excel = await exportText(ledger, { report: 'messages', range: RANGE }, { bom: true });
    assert.deepEqual([...excel.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.deepEqual(excel.bytes.subarray(3), plain.bytes);
    assert.deepEqual(parse(excel.raw, { columns: true, bom: true }), parse(plain.raw, { columns: true }));
  });

  it('rejects an invalid request before writing', async () => {
    const c = collector();
    await assert.rejects(
      exportReport(ledger.db, { report: 'calls', range: { from: TO, to: FROM } }, c.out),
      (err: Error & { code?: string }) => err.code === 'invalid_input',
    );
    assert.equal(c.bytes().length, 0);
  });
});

describe('CSV reports: streaming', () => {
  const N = 3000;
  let ledger: Ledger;
  before(() => {
    ledger = openTestLedger();
    ledger.tx(() => {
      for (let i = 0; i < N; i++) {
        const id = insertCall(ledger, { leg: `bulk-${i}`, ours: A, other: '+15559990000', startedAt: T + i });
        bookCallEstimate(ledger, id, { nanos: usd('0.0070'), currency: 'USD', method: 'bulk', rate: '0.0070', billedSec: 60 }, T + i);
      }
    });
  });
  after(() => ledger.close());

  it('waits for a slow output and keeps the ledger writable meanwhile', async () => {
    const c = collector({ highWaterMark: 1024, slow: true });
    let drains = 0;
    c.out.on('drain', () => drains++);
    const done = exportReport(ledger.db, { report: 'calls', range: { from: T, to: T + N } }, c.out, undefined, { pageRows: 50 });
    // While the export waits on 'drain', the app's writes on the same connection succeed
    // (an iterator held open across the wait would make them throw "connection is busy").
    await new Promise((r) => setTimeout(r, 20));
    const late = insertCall(ledger, { leg: 'late', ours: A, other: '+15559990001', startedAt: T + 10 * N });
    const { rows } = await done;
    assert.equal(rows, N);
    assert.ok(drains > 0, 'the export waited for drain');
    assert.ok(late > 0);
    assert.ok(c.out.writableFinished, 'out was ended');
    const parsed = (parse(c.text(), { columns: true }) as Row[]).filter((r) => r.Row === 'Call');
    assert.equal(parsed.length, N);
    assert.equal(new Set(parsed.map((r) => r['Ledger id'])).size, N);
  });

  it('stops and rejects with an AbortError when the signal aborts', async () => {
    const c = collector({ highWaterMark: 1024, slow: true });
    const abort = new AbortController();
    c.out.once('drain', () => abort.abort(new Error('the download was closed by the browser')));
    await assert.rejects(
      exportReport(ledger.db, { report: 'calls', range: { from: T, to: T + N } }, c.out, abort.signal, { pageRows: 50 }),
      (err: Error) => err.name === 'AbortError' && (err.cause as Error).message === 'the download was closed by the browser',
    );
    assert.ok(!c.out.writableEnded, 'out is left to the caller');
    const written = (parse(c.text(), { columns: true, relax_quotes: true, skip_records_with_error: true }) as Row[]).length;
    assert.ok(written < N, `stopped early (${written} rows written)`);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const c = collector();
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(exportReport(ledger.db, { report: 'calls', range: { from: T, to: T + N } }, c.out, abort.signal), {
      name: 'AbortError',
    });
    assert.equal(c.bytes().length, 0);
  });

  it('rejects when the output fails mid-way', async () => {
    let writes = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, cb) {
        if (++writes === 3) cb(new Error('disk full'));
        else setImmediate(cb);
      },
    });
    out.on('error', () => {}); // the caller's listener; the export reports the error itself
    await assert.rejects(exportReport(ledger.db, { report: 'calls', range: { from: T, to: T + N } }, out, undefined, { pageRows: 50 }), /disk full/);
  });
});
