// Normalizing Telnyx rows, the retry arithmetic and the error messages, without a network.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseMoney } from '../../shared/money.ts';
import {
  TelnyxError,
  backoffDelay,
  normalizeMessageRecord,
  normalizeRows,
  normalizeVoiceRecord,
  normalizeWebhookDelivery,
  parseEnvelope,
  parseTimestamp,
  rateLimitWaitMs,
  sanitizePath,
} from '../../electron/core/telnyx/index.ts';
import {
  IdLike,
  OptionalCurrency,
  OptionalDecimalText,
  OptionalDirection,
  OptionalInt,
  OptionalMoney,
  OptionalText,
  OptionalTimestamp,
  readField,
} from '../../electron/core/telnyx/schemas.ts';
import type { z } from 'zod';

describe('telnyx schemas', () => {
  it('envelope meta accepts numeric strings and rejects a missing meta or non-array data', () => {
    const { meta } = parseEnvelope({ data: [], meta: { page_number: '2', total_pages: '5', page_size: 50, total_results: null } });
    assert.deepEqual(meta, { pageNumber: 2, pageSize: 50, totalPages: 5, totalResults: null });
    assert.throws(() => parseEnvelope({ data: [] }), /meta/);
    assert.throws(() => parseEnvelope({ data: {}, meta: { page_number: 1, total_pages: 1 } }), /data/);
    assert.throws(() => parseEnvelope([]), /envelope/);
  });

  it('voice: every leg/session id variant is collected, deduplicated, numbers become strings', () => {
    const r = normalizeVoiceRecord(
      { id: 'x', telnyx_leg_id: 'L1', call_leg_id: 'L2', leg_id: 'L1', session_id: 77, call_control_id: ' ', billing_group_id: 5 },
      'call-control',
    );
    assert.ok(r.ok);
    assert.deepEqual(r.record.legIds, ['L1', 'L2']);
    assert.deepEqual(r.record.sessionIds, ['77']);
    assert.equal(r.record.controlId, null);
    assert.equal(r.record.raw.billing_group_id, 5);
  });

  it('voice: money and seconds', () => {
    const ok = normalizeVoiceRecord({ id: 'x', cost: 0.018, rate: '0.0090', call_sec: '60.0', billed_sec: '', currency: 'eur' }, 'webrtc');
    assert.ok(ok.ok);
    assert.equal(ok.record.costNanos, 18_000_000n);
    assert.equal(ok.record.rate, '0.009');
    assert.equal(ok.record.callSec, 60);
    assert.equal(ok.record.billedSec, null);
    assert.equal(ok.record.currency, 'EUR');
    const bad = normalizeVoiceRecord({ id: 'x', call_sec: 12.5, started_at: 'yesterday' }, 'webrtc');
    assert.ok(!bad.ok);
    assert.match(bad.reason, /call_sec/);
    assert.match(bad.reason, /started_at/);
  });

  it('voice: not billable when the row says so, and only then', () => {
    const flag = (extra: Record<string, unknown>) => {
      const r = normalizeVoiceRecord({ id: 'x', ...extra }, 'webrtc');
      assert.ok(r.ok);
      return r.record.notBillable;
    };
    assert.equal(flag({ billable: false }), true);
    assert.equal(flag({ is_billable: 'false' }), true);
    assert.equal(flag({ status: 'not_billable' }), true);
    assert.equal(flag({ billable: true }), false);
    assert.equal(flag({ status: 'completed' }), false);
    assert.equal(flag({}), false);
  });

  it('message: uuid is the id; a webhook-shaped cost object is read too', () => {
    const r = normalizeMessageRecord({ uuid: 'm1', cost: { amount: '0.0040', currency: 'USD' }, message_type: 'mms' });
    assert.ok(r.ok);
    assert.equal(r.record.id, 'm1');
    assert.equal(r.record.costNanos, 4_000_000n);
    assert.equal(r.record.currency, 'USD');
    assert.equal(r.record.messageType, 'MMS');
    assert.ok(!normalizeMessageRecord({ cost: '0.01' }).ok);
  });

  it('webhook delivery: event id, type, payload; a stored webhook body ({data:{...}}) is unwrapped', () => {
    const r = normalizeWebhookDelivery({
      id: 'd1',
      webhook: { data: { id: 'e1', event_type: 'call.hangup', occurred_at: '2026-01-15T12:00:00Z', payload: { x: 1 } } },
    });
    assert.ok(r.ok);
    assert.equal(r.record.eventId, 'e1');
    assert.equal(r.record.eventType, 'call.hangup');
    assert.deepEqual(r.record.payload, { x: 1 });
    assert.ok(!normalizeWebhookDelivery({ id: 'd1', webhook: { id: 'e1' } }).ok);
    assert.ok(!normalizeWebhookDelivery({ id: 'd1', webhook: { id: 'e1', event_type: 'x', payload: 'str' } }).ok);
  });

  it('timestamps: ISO with or without zone, micro-seconds, epoch seconds and ms', () => {
    const t = Date.UTC(2026, 0, 15, 12);
    assert.equal(parseTimestamp('2026-01-15T12:00:00Z'), t);
    assert.equal(parseTimestamp('2026-01-15 12:00:00'), t);
    assert.equal(parseTimestamp('2026-01-15T12:00:00.123456Z'), t + 123);
    assert.equal(parseTimestamp('2026-01-15T14:00:00+02:00'), t);
    assert.equal(parseTimestamp(t / 1000), t);
    assert.equal(parseTimestamp(t), t);
    assert.equal(parseTimestamp('soon'), null);
  });

  it('property: a cost with up to 9 decimals is exact; more is a rejected row, never a throw', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 12 }), (units, decimals) => {
        const digits = units.toString().padStart(decimals + 1, '0');
        const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
        const { rows, rejected } = normalizeRows([{ id: 'x', cost: text }], (raw) => normalizeVoiceRecord(raw, 'webrtc'));
        const significant = (text.split('.')[1] ?? '').replace(/0+$/, '').length;
        if (significant <= 9) {
          assert.equal(rows[0]?.costNanos, parseMoney(text));
        } else {
          assert.equal(rejected.length, 1);
        }
      }),
    );
  });

  it('property: any JSON row ends up in rows or rejected, never lost, never thrown', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 20 }), (data) => {
        for (const normalize of [(raw: unknown) => normalizeVoiceRecord(raw, 'sip-trunking'), normalizeMessageRecord, normalizeWebhookDelivery]) {
          const { rows, rejected } = normalizeRows(data, normalize as (raw: unknown) => ReturnType<typeof normalizeMessageRecord>);
          assert.equal(rows.length + rejected.length, data.length);
        }
      }),
    );
  });
});

describe('telnyx retry arithmetic', () => {
  it('backoff doubles, is capped, and keeps half of each step fixed', () => {
    const p = { baseMs: 100, maxMs: 1000, random: () => 0 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(p, n)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.equal(backoffDelay({ ...p, random: () => 0.999999 }, 1), 100);
  });

  it('429 wait: Retry-After seconds or date, else x-ratelimit-reset (relative or Unix), else null', () => {
    const now = Date.UTC(2026, 0, 15, 12);
    assert.equal(rateLimitWaitMs({ 'retry-after': '7', 'x-ratelimit-reset': '30' }, now), 7000);
    assert.equal(rateLimitWaitMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now), 5000);
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': '3' }, now), 3000);
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 4) }, now), 4000);
    assert.equal(rateLimitWaitMs({}, now), null);
  });
});

describe('telnyx errors', () => {
  it('messages say what to do and which request failed, without its secrets', () => {
    const e = new TelnyxError({
      kind: 'bad_request',
      status: 422,
      apiErrors: [{ code: '10015', title: 'Invalid filter', detail: 'filter[foo] is not supported', source: null }],
      path: sanitizePath('/v2/detail_records?filter[record_type]=webrtc&token=abc'),
    });
    assert.equal(e.path, '/v2/detail_records?filter[record_type]=webrtc&token=[redacted]');
    assert.match(e.message, /GET \/v2\/detail_records \(422, code 10015: Invalid filter — filter\[foo\] is not supported\)/);
    assert.ok(!e.message.includes('abc'));
    assert.equal(e.retryable, false);
    assert.equal(new TelnyxError({ kind: 'server', status: 503 }).retryable, true);
    assert.equal(new TelnyxError({ kind: 'cancelled' }).retryable, false);
  });
});

describe('field shortcuts', () => {
  it('read every value exactly as the schema does (same value, same refusal)', () => {
    const schemas = { OptionalText, OptionalInt, IdLike, OptionalDirection, OptionalTimestamp, OptionalMoney, OptionalDecimalText, OptionalCurrency };
    const value = fc.oneof(
      fc.constantFrom(
        null,
        undefined,
        '',
        ' ',
        '0',
        '60',
        '60.0',
        '-1',
        '0.0090',
        ' 0.5 ',
        '1e3',
        'usd',
        'EUR',
        ' eur ',
        'US',
        'inbound',
        'Outgoing',
        '2026-01-02T03:04:05Z',
        '2026-01-02 03:04',
        '2026-01-02T03:04:05.123+02:00',
        '1767323045',
        'not a date',
        '0.0000000001',
        '12345678901234567890.5',
        true,
        false,
        {},
        [],
      ),
      fc.string(),
      fc.stringMatching(/^\s?-?\d{0,4}(\.\d{0,11})?\s?$/),
      fc.integer(),
      fc.double(),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(schemas)), value, (name, v) => {
        const schema = schemas[name as keyof typeof schemas] as z.ZodType;
        const viaSchema = schema.safeParse(v);
        const got = readField(schema, v);
        assert.equal(got.ok, viaSchema.success, `${name} ${String(v)}`);
        if (got.ok && viaSchema.success) assert.deepEqual(got.value, viaSchema.data, `${name} ${String(v)}`);
      }),
      { numRuns: 3000 },
    );
  });
});
