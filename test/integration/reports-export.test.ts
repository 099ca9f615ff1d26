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
  const result = await exportReport(ledger.db, request, c.out, undefined, options);
  return { ...result, raw: c.text(), bytes: c.bytes() };
}

async function exportRows(ledger: Ledger, request: ExportRequest, pageRows?: number): Promise<{ rows: Row[]; count: number; raw: string }> {
  const { rows: count, raw } = await exportText(ledger, request, { pageRows });
  const rows = parse(raw, { columns: true }) as Row[];
  // Strict CRLF parse gives the same records: no record ends in a bare LF or CR.
  assert.deepEqual(parse(raw, { columns: true, record_delimiter: '\r\n' }), rows);
  assert.equal(rows.length, count);
  return { rows, count, raw };
}

function insertCall(
  ledger: Ledger,
  c: { leg: string; session?: string; control?: string; ours: string; other: string; direction?: 'inbound' | 'outbound'; startedAt: number; callSec?: number | null; ended?: boolean },
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
  ledger.db
    .prepare(`INSERT INTO jobs (kind, call_id, status, attempts, created_at, updated_at) VALUES ('call_cost', ?, ?, 1, ?, ?)`)
    .run(callId, status, T, T);
}

const REASON = 'exact cost from call-control record, "quoted", with, commas\nand a newline';
type CallName = 'usd' | 'eur' | 'pending' | 'failed' | 'open' | 'credit' | 'free' | 'atFrom' | 'before' | 'atTo';
const ids = {} as Record<CallName, number>;

function buildLedger(): Ledger {
  const ledger = openTestLedger();
  // 1. USD: estimate 0.0070, then exact 0.0018 (sub-cent) from a detail record: variance -0.0052.
  ids.usd = insertCall(ledger, { leg: 'leg-usd', control: 'v3:ctl-usd', ours: A, other: '+15559876543', startedAt: T + 5000 });
  bookCallEstimate(ledger, ids.usd, { nanos: usd('0.0070'), currency: 'USD', method: 'rate 0.0070/min x 1 min', rate: '0.0070', billedSec: 60 }, T + 70_000);
  applyCallCost(ledger, ids.usd, { source: 'detail_record', nanos: usd('0.0018'), currency: 'USD', rate: '0.0018', billedSec: 60, reason: REASON, detail: { recordId: 'rec-1' } }, T + 600_000);
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
  bookCallEstimate(ledger, ids.credit, { nanos: usd('0.0070'), currency: 'USD', method: 'rate 0.0070/min x 1 min', rate: '0.0070', billedSec: 60 }, T + 115_000);
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
  ledger.messages.upsert({ id: 'msg-usd', ourNumber: A, otherNumber: '+15557654321', direction: 'outbound', messageType: 'SMS', parts: 2, status: 'delivered', sentAt: T + 100_000 }, T + 100_000);
  applyMessageCost(ledger, 'msg-usd', { source: 'message_finalized_event', nanos: usd('0.0040'), carrierFeeNanos: usd('0.0025'), currency: 'USD', rate: '0.0020', reason: 'message.finalized cost' }, T + 101_000);
  ledger.messages.upsert({ id: '=cmd|"/c calc"!A0', ourNumber: A, otherNumber: '@evil', direction: 'inbound', messageType: 'MMS', parts: 1, status: 'received', sentAt: T + 110_000 }, T + 110_000);
  applyMessageCost(ledger, '=cmd|"/c calc"!A0', { source: 'message_sent_event', nanos: usd('0.00305'), carrierFeeNanos: null, currency: 'EUR', reason: '+provisional, "sent" cost' }, T + 111_000);
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
      rows.map((r) => Number(r.id)),
      [ids.atFrom, ids.usd, ids.eur, ids.pending, ids.failed, ids.open, ids.credit, ids.free],
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    assert.deepEqual(byId.get(ids.usd), {
      id: String(ids.usd),
      call_leg_id: 'leg-usd',
      call_session_id: 'sess-leg-usd',
      call_control_id: 'v3:ctl-usd',
      our_number: A,
      other_number: '+15559876543',
      direction: 'outbound',
      started_at: '2026-01-15T12:00:05.000Z',
      answered_at: '2026-01-15T12:00:08.000Z',
      ended_at: '2026-01-15T12:01:08.000Z',
      call_sec: '60',
      billed_sec: '60',
      status: 'exact',
      estimated_cost: '0.007',
      estimate_currency: 'USD',
      estimate_method: 'rate 0.0070/min x 1 min',
      exact_cost: '0.0018',
      currency: 'USD',
      rate: '0.0018',
      cost_source: 'detail_record',
      variance: '-0.0052',
      variance_currency: 'USD',
    });
    const eur = byId.get(ids.eur)!;
    assert.equal(eur.other_number, `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(eur.estimated_cost, '0.003');
    assert.equal(eur.estimate_currency, 'EUR');
    assert.equal(eur.exact_cost, '0.00305');
    assert.equal(eur.currency, 'EUR');
    assert.equal(eur.rate, '0.00305');
    assert.equal(eur.variance, '0.00005');
    assert.equal(eur.variance_currency, 'EUR');
    assert.equal(eur.status, 'exact');
    // The embedded quotes are doubled inside a quoted cell (RFC 4180).
    assert.ok(raw.includes(`"'=HYPERLINK(""http://evil.example"",""click"")"`));

    const pending = byId.get(ids.pending)!;
    assert.equal(pending.call_leg_id, "'\tleg-tab");
    assert.equal(pending.call_session_id, "'\rsess-cr");
    assert.equal(pending.other_number, "'-2+3");
    assert.equal(pending.estimate_method, "'=1+1");
    assert.equal(pending.status, 'pending');
    assert.equal(pending.call_sec, '125');
    assert.equal(pending.billed_sec, '180');
    assert.equal(pending.estimated_cost, '0.021');
    assert.equal(pending.exact_cost, '');
    assert.equal(pending.currency, '');
    assert.equal(pending.variance, '');
    assert.equal(pending.cost_source, 'estimate');
    assert.equal(byId.get(ids.failed)!.status, 'failed');

    const open = byId.get(ids.open)!;
    assert.equal(open.status, 'open');
    assert.equal(open.answered_at, '');
    assert.equal(open.ended_at, '');
    assert.equal(open.call_sec, '');
    assert.equal(open.estimated_cost, '');
    assert.equal(open.cost_source, '');

    // Negative money stays a number: no neutralizing quote on amounts.
    const credit = byId.get(ids.credit)!;
    assert.equal(credit.exact_cost, '-0.003');
    assert.equal(credit.variance, '-0.01');
    assert.equal(credit.cost_source, 'manual');
    assert.equal(byId.get(ids.free)!.status, 'not_billable');
    assert.equal(byId.get(ids.free)!.exact_cost, '0.00');
  });

  it('calls: status is the badge the calls table shows', async () => {
    const { rows } = await exportRows(ledger, { report: 'calls', range: RANGE });
    const views = callViews(ledger.db);
    for (const r of rows) assert.equal(r.status, views.row(Number(r.id))!.badge, `call ${r.id}`);
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
    assert.deepEqual(rows.map((r) => Number(r.id)), [ids.pending, ids.failed]);
    assert.ok(rows.every((r) => r.our_number === B));
    const empty = await exportText(ledger, { report: 'calls', range: { from: TO + 10_000, to: TO + 20_000 } });
    assert.equal(empty.rows, 0);
    assert.equal(empty.raw, `${reportColumns('calls').join(',')}\r\n`);
    const nobody = await exportText(ledger, { report: 'calls', range: RANGE, number: '+19999999999' });
    assert.equal(nobody.raw, `${reportColumns('calls').join(',')}\r\n`);
  });

  it('messages: exact costs with carrier fee and currency, neutralized ids', async () => {
    const { rows, raw } = await exportRows(ledger, { report: 'messages', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('messages').join(','));
    assert.deepEqual(rows, [
      {
        id: 'msg-usd', our_number: A, other_number: '+15557654321', direction: 'outbound', type: 'SMS', parts: '2',
        status: 'delivered', sent_at: '2026-01-15T12:01:40.000Z', cost: '0.004', carrier_fee: '0.0025', currency: 'USD',
        rate: '0.0020', cost_status: 'exact', cost_source: 'message_finalized_event',
      },
      {
        id: `'=cmd|"/c calc"!A0`, our_number: A, other_number: "'@evil", direction: 'inbound', type: 'MMS', parts: '1',
        status: 'received', sent_at: '2026-01-15T12:01:50.000Z', cost: '0.00305', carrier_fee: '', currency: 'EUR',
        rate: '', cost_status: 'exact', cost_source: 'message_sent_event',
      },
      {
        id: 'msg-open', our_number: B, other_number: '+15557654321', direction: 'outbound', type: '', parts: '',
        status: '', sent_at: '2026-01-15T12:02:00.000Z', cost: '', carrier_fee: '', currency: '', rate: '',
        cost_status: 'open', cost_source: '',
      },
    ]);
    const onlyB = await exportRows(ledger, { report: 'messages', range: RANGE, number: B });
    assert.deepEqual(onlyB.rows.map((r) => r.id), ['msg-open']);
  });

  it('history: every cost change in range, with its number, reason and JSON detail', async () => {
    const { rows, raw } = await exportRows(ledger, { report: 'history', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('history').join(','));
    // The credit was applied at T+2h: outside the range even though its call is inside.
    assert.ok(!rows.some((r) => r.reason === 'credit: dropped call'));
    // Ordered by time.
    const times = rows.map((r) => r.at);
    assert.deepEqual([...times].sort(), times);
    const exact = rows.find((r) => r.subject === 'call' && r.subject_id === String(ids.usd) && r.new_source === 'detail_record')!;
    assert.deepEqual(exact, {
      at: '2026-01-15T12:10:00.000Z',
      subject: 'call',
      subject_id: String(ids.usd),
      our_number: A,
      old_cost: '0.007',
      new_cost: '0.0018',
      currency: 'USD',
      old_source: 'estimate',
      new_source: 'detail_record',
      old_status: 'estimated',
      new_status: 'exact',
      reason: REASON, // commas, quotes and a newline survive the round trip
      detail: JSON.stringify({ recordId: 'rec-1', rate: '0.0018', billedSec: 60 }),
    });
    assert.ok(raw.includes(`"${REASON.replaceAll('"', '""')}"`), 'the reason is one quoted cell, quotes doubled');
    assert.deepEqual(JSON.parse(exact.detail!), { recordId: 'rec-1', rate: '0.0018', billedSec: 60 });
    const eur = rows.find((r) => r.subject_id === String(ids.eur) && r.new_source === 'call_cost_event')!;
    assert.equal(eur.reason, "'@SUM(A1:A2)");
    assert.equal(eur.new_cost, '0.00305');
    assert.equal(eur.currency, 'EUR');
    const msg = rows.find((r) => r.subject === 'message' && r.new_source === 'message_sent_event')!;
    assert.equal(msg.subject_id, `'=cmd|"/c calc"!A0`);
    assert.equal(msg.reason, `'+provisional, "sent" cost`);
    assert.equal(msg.old_cost, '');
    assert.equal(msg.new_cost, '0.00305');
    // The estimate booked before the range is not in it.
    assert.ok(!rows.some((r) => r.reason === 'before'));

    const later = await exportRows(ledger, { report: 'history', range: { from: TO, to: TO + 7_200_000 } });
    assert.deepEqual(later.rows.map((r) => r.reason), ['at to', 'credit: dropped call']);
    assert.equal(later.rows[1]!.new_cost, '-0.003');

    const onlyB = await exportRows(ledger, { report: 'history', range: RANGE, number: B });
    assert.deepEqual(
      onlyB.rows.map((r) => [r.subject_id, r.reason]),
      [
        [String(ids.failed), 'rate 0.0070/min x 1 min'],
        [String(ids.pending), "'=1+1"],
      ],
    );
  });

  it(
    'summary: every row equals the sums of the exported calls and messages rows',
    async () => {
      const { rows } = await exportRows(ledger, { report: 'summary', range: RANGE });
      const calls = (await exportRows(ledger, { report: 'calls', range: RANGE })).rows;
      const messages = (await exportRows(ledger, { report: 'messages', range: RANGE })).rows;

      // Recompute every total from the exported rows, in bigint nano-units, per number+currency.
      const unquote = (s: string) => (s.startsWith("'") ? s.slice(1) : s);
      const m = (s: string) => (s === '' ? 0n : parseMoney(s));
      type Acc = { calls: number; billedSec: number; estimated: bigint; exact: bigint; booked: bigint; variance: bigint; varianceBase: bigint; pending: number; failed: number; messages: number; messagesTotal: bigint };
      const acc = new Map<string, Acc>();
      const get = (n: string, c: string) => {
        const k = `${n} ${c}`;
        if (!acc.has(k)) acc.set(k, { calls: 0, billedSec: 0, estimated: 0n, exact: 0n, booked: 0n, variance: 0n, varianceBase: 0n, pending: 0, failed: 0, messages: 0, messagesTotal: 0n });
        return acc.get(k)!;
      };
      for (const r of calls) {
        const cur = r.currency || r.estimate_currency || 'USD';
        const a = get(unquote(r.our_number!), cur);
        a.calls++;
        a.billedSec += Number(r.billed_sec || r.call_sec || 0);
        if (r.estimate_currency === cur) a.estimated += m(r.estimated_cost!);
        a.exact += m(r.exact_cost!);
        a.booked += r.exact_cost !== '' ? m(r.exact_cost!) : m(r.estimated_cost!);
        if (r.variance !== '') {
          a.variance += m(r.variance!);
          a.varianceBase += m(r.estimated_cost!);
        }
        if (r.status === 'pending') a.pending++;
        if (r.status === 'failed') a.failed++;
      }
      for (const r of messages) {
        const a = get(unquote(r.our_number!), r.currency || 'USD');
        a.messages++;
        a.messagesTotal += m(r.cost!);
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
            number: number,
            currency: currency!,
            calls: String(a.calls),
            billed_minutes: `${Math.floor(a.billedSec / 60)}.${Math.floor(((a.billedSec % 60) * 10) / 60)}`,
            messages: String(a.messages),
            estimated_total: formatMoney(a.estimated),
            exact_total: formatMoney(a.exact),
            booked_total: formatMoney(a.booked),
            // No compared call (variance and its base both 0): n/a, written empty, never 0.
            variance: a.variance === 0n && a.varianceBase === 0n ? '' : formatMoney(a.variance),
            variance_pct: pct(a.variance, a.varianceBase),
            messages_total: formatMoney(a.messagesTotal),
            pending: String(a.pending),
            failed: String(a.failed),
          };
        });
      assert.deepEqual(rows, expected);
    },
  );

  it('summary: per number and currency, never summed across currencies', async () => {
    const { rows, raw } = await exportRows(ledger, { report: 'summary', range: RANGE });
    assert.equal(raw.slice(0, raw.indexOf('\r\n')), reportColumns('summary').join(','));
    const a = rows.filter((r) => r.number === A);
    assert.deepEqual(a.map((r) => r.currency), ['EUR', 'USD']);
    assert.deepEqual(a[0], {
      number: A, currency: 'EUR', calls: '1', billed_minutes: '1.0', messages: '1',
      estimated_total: '0.003', exact_total: '0.00305', booked_total: '0.00305', variance: '0.00005',
      variance_pct: '1.7', // 0.00005 / 0.0030
      messages_total: '0.00305', pending: '0', failed: '0',
    });
    const aUsd = a[1]!;
    assert.equal(aUsd.exact_total, '-0.0012'); // 0.0018 - 0.0030 + 0.00
    assert.equal(aUsd.variance, '-0.0152'); // -0.0052 - 0.0100
    assert.equal(aUsd.messages_total, '0.004');

    const onlyB = await exportRows(ledger, { report: 'summary', range: RANGE, number: B });
    assert.deepEqual(onlyB.rows, [
      {
        number: B, currency: 'USD', calls: '2', billed_minutes: '4.0', messages: '1',
        estimated_total: '0.028', exact_total: '0.00', booked_total: '0.028', variance: '', variance_pct: '', // nothing to compare: n/a, not 0
        messages_total: '0.00', pending: '1', failed: '1',
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
    const parsed = parse(c.text(), { columns: true }) as Row[];
    assert.equal(parsed.length, N);
    assert.equal(new Set(parsed.map((r) => r.id)).size, N);
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
    await assert.rejects(
      exportReport(ledger.db, { report: 'calls', range: { from: T, to: T + N } }, out, undefined, { pageRows: 50 }),
      /disk full/,
    );
  });
});
