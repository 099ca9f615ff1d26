// The Telnyx client against a loopback HTTP server that answers in Telnyx's shapes (and
// misbehaves on purpose): real sockets, real undici, our own retry/paging/normalizing code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ManualClock, type Clock } from '../../electron/core/util/clock.ts';
import type { Logger } from '../../electron/core/util/logger.ts';
import {
  createTelnyxClient,
  isTelnyxError,
  TelnyxError,
  type TelnyxClientOptions,
  type VoiceRecord,
  type MessageRecord,
} from '../../electron/core/telnyx/index.ts';

const API_KEY = 'KEYtest_0123456789abcdefSECRET';
const T0 = Date.UTC(2026, 0, 15, 12);

// ---------------------------------------------------------------------------------------
// Loopback server

interface Seen {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, ctx: { n: number; path: string; query: URLSearchParams }) => void | Promise<void>;

interface TestServer {
  baseUrl: string;
  seen: Seen[];
  maxInFlight: number;
  close(): Promise<void>;
}

async function startServer(handler: Handler): Promise<TestServer> {
  let inFlight = 0;
  const state: TestServer = {
    baseUrl: '',
    seen: [],
    maxInFlight: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight -= 1;
      }
    };
    res.on('close', finish);
    res.on('finish', finish);
    const url = new URL(req.url ?? '/', 'http://localhost');
    state.seen.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    Promise.resolve(handler(req, res, { n: state.seen.length, path: url.pathname, query: url.searchParams })).catch((err) => {
      res.destroy(err as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  return state;
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function envelope(data: unknown[], page: number, totalPages: number, pageSize = 50): unknown {
  return { data, meta: { page_number: page, page_size: pageSize, total_pages: totalPages, total_results: totalPages * pageSize } };
}

function voiceRow(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    record_type: 'sip_trunking_detail_record',
    id,
    telnyx_leg_id: `leg-${id}`,
    telnyx_session_id: `session-${id}`,
    cli: '+15550001111',
    cld: '+15550002222',
    direction: 'outbound',
    created_at: new Date(T0 + 1000).toISOString(),
    started_at: new Date(T0).toISOString(),
    finished_at: new Date(T0 + 60_000).toISOString(),
    call_sec: 50,
    billed_sec: 60,
    rate: '0.009',
    cost: '0.0090',
    currency: 'USD',
    ...extra,
  };
}

const sleepReal = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A manual clock that advances by itself and records every wait the client asks for. */
function recordingClock(): { clock: Clock; waits: number[] } {
  const manual = new ManualClock(T0);
  const waits: number[] = [];
  return {
    waits,
    clock: {
      now: () => manual.now(),
      sleep: (ms) => {
        waits.push(ms);
        const p = manual.sleep(ms);
        void manual.advance(ms);
        return p;
      },
    },
  };
}

function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

async function withClient(
  handler: Handler,
  options: Partial<TelnyxClientOptions>,
  fn: (client: ReturnType<typeof createTelnyxClient>, server: TestServer) => Promise<void>,
): Promise<void> {
  const server = await startServer(handler);
  const client = createTelnyxClient({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    retry: { baseMs: 1, maxMs: 4 },
    ...options,
  });
  try {
    await fn(client, server);
  } finally {
    await client.close();
    await server.close();
  }
}

async function rejectsWith(p: Promise<unknown>): Promise<TelnyxError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TelnyxError, `expected a TelnyxError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

function assertNoKey(err: TelnyxError, lines: string[] = []): void {
  for (const text of [err.message, JSON.stringify(err), String(err.stack), inspect(err, { depth: 10 }), ...lines]) {
    assert.ok(!text.includes(API_KEY), `API key leaked into: ${text.slice(0, 200)}`);
    assert.ok(!text.includes('SECRET'), `API key fragment leaked into: ${text.slice(0, 200)}`);
  }
}

// ---------------------------------------------------------------------------------------

describe('telnyx client: paging', () => {
  it('delivers every page in order with bounded concurrency and sends the documented query', async () => {
    const totalPages = 9;
    const handler: Handler = async (_req, res, { query }) => {
      const page = Number(query.get('page[number]'));
      // Later pages answer faster, so out-of-order completion is the norm here.
      await sleepReal((totalPages - page) * 4 + 5);
      send(res, 200, envelope([voiceRow(`p${page}-a`), voiceRow(`p${page}-b`)], page, totalPages));
    };
    await withClient(handler, {}, async (client, server) => {
      const order: number[] = [];
      let rows = 0;
      for await (const page of client.detailRecords({ recordType: 'sip-trunking', from: T0, to: T0 + 3_600_000, concurrency: 3 })) {
        order.push(page.page);
        rows += page.rows.length;
        assert.equal(page.rows[0]?.id, `p${page.page}-a`);
      }
      assert.deepEqual(order, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(rows, 18);
      assert.ok(server.maxInFlight <= 3, `max in flight ${server.maxInFlight} > 3`);
      assert.ok(server.maxInFlight >= 2, 'pages after the first were fetched concurrently');
      const q = server.seen[0]!.query;
      assert.equal(server.seen[0]!.path, '/v2/detail_records');
      assert.equal(q.get('filter[record_type]'), 'sip-trunking');
      // Whole UTC days (full date-times are not documented for filter[created_at]); rows are
      // filtered to the hour asked for on our side.
      assert.equal(q.get('filter[created_at][gte]'), '2026-01-15');
      assert.equal(q.get('filter[created_at][lt]'), '2026-01-16');
      assert.equal(q.get('page[size]'), '50');
      assert.equal(q.get('sort'), 'created_at');
      assert.equal(server.seen[0]!.authorization, `Bearer ${API_KEY}`);
    });
  });

  it('never has more requests open than the pool has connections', async () => {
    const handler: Handler = async (_req, res, { query }) => {
      const page = Number(query.get('page[number]'));
      await sleepReal(10);
      send(res, 200, envelope([voiceRow(`p${page}`)], page, 8));
    };
    await withClient(handler, { connections: 2 }, async (client, server) => {
      const pages: number[] = [];
      await client.eachDetailRecordsPage({
        recordType: 'webrtc',
        concurrency: 6,
        onPage: (p) => void pages.push(p.page),
      });
      assert.deepEqual(pages, [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.ok(server.maxInFlight <= 2, `max in flight ${server.maxInFlight} > 2`);
    });
  });

  it('resumes: skipped pages are neither fetched nor delivered (page 1 is read for its meta)', async () => {
    const handler: Handler = (_req, res, { query }) => {
      const page = Number(query.get('page[number]'));
      send(res, 200, envelope([voiceRow(`p${page}`)], page, 7));
    };
    await withClient(handler, {}, async (client, server) => {
      const delivered: number[] = [];
      for await (const page of client.detailRecords({ recordType: 'call-control', skipPages: new Set([1, 2, 3, 5]) })) {
        delivered.push(page.page);
      }
      assert.deepEqual(delivered, [4, 6, 7]);
      const fetched = server.seen.map((s) => Number(s.query.get('page[number]'))).sort((a, b) => a - b);
      assert.deepEqual(fetched, [1, 4, 6, 7]);
    });
  });

  it('stops after page 1 when total_pages is 0 or 1', async () => {
    await withClient(
      (_req, res) => send(res, 200, envelope([], 1, 0)),
      {},
      async (client, server) => {
        const pages = [];
        for await (const p of client.detailRecords({ recordType: 'messaging' })) pages.push(p);
        assert.equal(pages.length, 1);
        assert.equal(server.seen.length, 1);
      },
    );
  });
});

describe('telnyx client: tolerant parsing', () => {
  it('normalizes voice rows: numbers for strings, id variants, empty control id, 0 vs missing cost, extra fields kept', async () => {
    const rows = [
      voiceRow('a', {
        id: 12345,
        telnyx_leg_id: undefined,
        call_leg_id: 'LEG-A',
        leg_id: 'leg-a-2',
        telnyx_session_id: undefined,
        call_session_id: 'SESSION-A',
        telnyx_call_control_id: '',
        call_sec: '60',
        billed_sec: '60',
        cost: '0',
        billing_group_id: 42,
        country_code: 1,
        custom_thing: { nested: true },
      }),
      voiceRow('b', { cost: undefined, currency: undefined, rate: 0.0105, call_control_id: 'v3:abc', direction: 'incoming' }),
      voiceRow('c', { billable: false, cost: null }),
    ];
    await withClient(
      (_req, res) => send(res, 200, envelope(rows, '1' as unknown as number, 1)),
      {},
      async (client) => {
        const page = await client.detailRecordsPage({ recordType: 'sip-trunking', page: 1 });
        assert.equal(page.rejected.length, 0);
        const [a, b, c] = page.rows as [VoiceRecord, VoiceRecord, VoiceRecord];
        assert.equal(a.id, '12345');
        assert.deepEqual(a.legIds, ['LEG-A', 'leg-a-2']);
        assert.deepEqual(a.sessionIds, ['SESSION-A']);
        assert.equal(a.controlId, null);
        assert.equal(a.callSec, 60);
        assert.equal(a.billedSec, 60);
        assert.equal(a.costNanos, 0n);
        assert.equal(a.currency, 'USD');
        assert.equal(a.recordType, 'sip-trunking');
        assert.equal(a.raw.billing_group_id, 42);
        assert.deepEqual(a.raw.custom_thing, { nested: true });
        assert.equal(a.startedAt, T0);
        assert.equal(b.costNanos, null);
        assert.equal(b.currency, null);
        assert.equal(b.rate, '0.0105');
        assert.equal(b.controlId, 'v3:abc');
        assert.equal(b.direction, 'inbound');
        assert.equal(c.notBillable, true);
        assert.equal(a.notBillable, false);
        assert.equal(page.meta.pageNumber, 1);
      },
    );
  });

  it('normalizes message records with exact money', async () => {
    const mdr = {
      record_type: 'message_detail_record',
      uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      cli: '+15550001111',
      cld: '+15550002222',
      direction: 'outbound',
      message_type: 'SMS',
      status: 'delivered',
      parts: '2',
      rate: '0.0040',
      cost: '0.0080',
      carrier_fee: '0.00305',
      currency: 'USD',
      created_at: '2026-01-15T12:00:00Z',
      sent_at: '2026-01-15T12:00:01Z',
      completed_at: '2026-01-15T12:00:03Z',
      tags: ['x'],
    };
    await withClient(
      (_req, res) => send(res, 200, envelope([mdr], 1, 1)),
      {},
      async (client) => {
        const page = await client.detailRecordsPage({ recordType: 'messaging', page: 1 });
        const m = page.rows[0] as MessageRecord;
        assert.equal(m.id, mdr.uuid);
        assert.equal(m.parts, 2);
        assert.equal(m.rate, '0.004');
        assert.equal(m.costNanos, 8_000_000n);
        assert.equal(m.carrierFeeNanos, 3_050_000n);
        assert.equal(m.completedAt, T0 + 3000);
        assert.deepEqual(m.raw.tags, ['x']);
      },
    );
  });

  it('reports rows it cannot read, with index and reason, and keeps the rest of the page', async () => {
    const rows = [
      voiceRow('good-1'),
      voiceRow('x', { id: undefined }),
      voiceRow('bad-money', { cost: 'abc' }),
      voiceRow('too-precise', { cost: '0.0000000001' }),
      'not an object',
      voiceRow('bad-int', { call_sec: 'sixty' }),
      voiceRow('good-2'),
    ];
    await withClient(
      (_req, res) => send(res, 200, envelope(rows, 1, 1)),
      {},
      async (client) => {
        const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
        assert.deepEqual(
          page.rows.map((r) => r.id),
          ['good-1', 'good-2'],
        );
        assert.deepEqual(
          page.rejected.map((r) => r.index),
          [1, 2, 3, 4, 5],
        );
        assert.match(page.rejected[0]!.reason, /id/);
        assert.match(page.rejected[1]!.reason, /cost/);
        assert.match(page.rejected[2]!.reason, /decimals/);
        assert.match(page.rejected[4]!.reason, /call_sec/);
        assert.equal(page.rejected[3]!.raw, 'not an object');
      },
    );
  });

  it('drops rows whose created_at is outside [from, to) even when the server ignored the window', async () => {
    const from = T0;
    const to = T0 + 60_000;
    const rows = [
      voiceRow('before', { created_at: new Date(from - 1).toISOString() }),
      voiceRow('first', { created_at: new Date(from).toISOString() }),
      voiceRow('inside', { created_at: '2026-01-15 12:00:30' }), // no zone: UTC
      voiceRow('at-end', { created_at: new Date(to).toISOString() }),
    ];
    await withClient(
      (_req, res) => send(res, 200, envelope(rows, 1, 1)),
      {},
      async (client) => {
        const page = await client.detailRecordsPage({ recordType: 'call-control', from, to, page: 1 });
        assert.deepEqual(
          page.rows.map((r) => r.id),
          ['first', 'inside'],
        );
        assert.equal(page.droppedOutsideWindow, 2);
      },
    );
  });

  it('refuses record types that do not exist before sending anything', async () => {
    await withClient(
      (_req, res) => send(res, 200, envelope([], 1, 1)),
      {},
      async (client, server) => {
        await assert.rejects(client.detailRecordsPage({ recordType: 'call' as 'webrtc', page: 1 }), TypeError);
        await assert.rejects(client.detailRecordsPage({ recordType: 'webrtc', page: 1, pageSize: 51 }), RangeError);
        assert.equal(server.seen.length, 0);
      },
    );
  });
});

describe('telnyx client: malformed responses', () => {
  it('a wrong envelope is retried a few times, then reported as malformed', async () => {
    await withClient(
      (_req, res) => send(res, 200, { data: { not: 'an array' } }),
      {},
      async (client, server) => {
        const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
        assert.equal(err.kind, 'malformed');
        assert.equal(err.retryable, true);
        assert.equal(err.attempts, 3);
        assert.equal(server.seen.length, 3);
        assert.match(err.message, /envelope/);
      },
    );
  });

  it('meta missing is malformed', async () => {
    await withClient(
      (_req, res) => send(res, 200, { data: [] }),
      { retry: { baseMs: 1, maxMs: 2, malformedAttempts: 2 } },
      async (client, server) => {
        const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
        assert.equal(err.kind, 'malformed');
        assert.equal(server.seen.length, 2);
      },
    );
  });

  it('truncated JSON is retried and the next good answer wins', async () => {
    const handler: Handler = (_req, res, { n }) => {
      if (n === 1) return send(res, 200, '{"data":[{"id":"a","cost":"0.01');
      send(res, 200, envelope([voiceRow('a')], 1, 1));
    };
    await withClient(handler, {}, async (client, server) => {
      const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.equal(page.rows[0]?.id, 'a');
      assert.equal(server.seen.length, 2);
    });
  });

  it('a body cut off mid-stream (connection closed before content-length) is retried', async () => {
    const handler: Handler = (_req, res, { n }) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write('{"data":[{"id":"a"');
        setTimeout(() => res.socket?.destroy(), 5);
        return;
      }
      send(res, 200, envelope([voiceRow('a')], 1, 1));
    };
    await withClient(handler, {}, async (client, server) => {
      const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.equal(page.rows.length, 1);
      assert.equal(server.seen.length, 2);
    });
  });
});

describe('telnyx client: errors that need a person', () => {
  it('401 is not retried, says what to do, and never carries the key', async () => {
    const { logger, lines } = captureLogger();
    const handler: Handler = (req, res) =>
      send(res, 401, {
        errors: [{ code: '10009', title: 'Authentication failed', detail: `Could not authenticate ${req.headers.authorization}` }],
      });
    await withClient(handler, { logger }, async (client, server) => {
      const err = await rejectsWith(client.detailRecordsPage({ recordType: 'messaging', page: 1 }));
      assert.equal(server.seen.length, 1);
      assert.equal(err.kind, 'auth');
      assert.equal(err.status, 401);
      assert.equal(err.retryable, false);
      assert.deepEqual(err.codes, ['10009']);
      assert.equal(err.message, 'Telnyx rejected the API key (401, code 10009): check the key in Settings');
      assert.match(String(err.detail), /\[redacted\]/);
      assert.ok(lines.length > 0, 'the failure was logged');
      assertNoKey(err, lines);

      const verify = await rejectsWith(client.verifyKey());
      assert.equal(verify.kind, 'auth');
      assert.equal(server.seen.length, 2);
      assertNoKey(verify);
    });
  });

  it('403 is auth, 400 and 422 are bad_request, 404 is not_found: none retried', async () => {
    const answers: Array<[number, string]> = [
      [403, '10010'],
      [400, '10015'],
      [422, '10015'],
      [404, '10005'],
    ];
    const handler: Handler = (_req, res, { n }) => {
      const [status, code] = answers[n - 1]!;
      send(res, status, { errors: [{ code, title: 'Nope', detail: 'filter[x] is not valid', source: { parameter: 'filter[x]' } }] });
    };
    await withClient(handler, {}, async (client, server) => {
      const kinds: string[] = [];
      for (let i = 0; i < answers.length; i++) {
        const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
        kinds.push(err.kind);
        assert.equal(err.retryable, false);
        assert.equal(err.status, answers[i]![0]);
        assert.equal(err.code, answers[i]![1]);
        assert.equal(err.apiErrors[0]?.source?.parameter, 'filter[x]');
        assert.equal(server.seen.length, i + 1, 'not retried');
      }
      assert.deepEqual(kinds, ['auth', 'bad_request', 'bad_request', 'not_found']);
    });
  });

  it('an empty key fails without a request', async () => {
    await withClient(
      (_req, res) => send(res, 200, envelope([], 1, 1)),
      { apiKey: '  ' },
      async (client, server) => {
        const err = await rejectsWith(client.verifyKey());
        assert.equal(err.kind, 'auth');
        assert.match(err.message, /Settings/);
        assert.equal(server.seen.length, 0);
      },
    );
  });
});

describe('telnyx client: rate limits', () => {
  it('429 waits Retry-After, then x-ratelimit-reset, then backoff', async () => {
    const { clock, waits } = recordingClock();
    const handler: Handler = (_req, res, { n }) => {
      const tooMany = { errors: [{ code: '10011', title: 'Too many requests' }] };
      if (n === 1) return send(res, 429, tooMany, { 'retry-after': '7', 'x-ratelimit-reset': '30' });
      if (n === 2) return send(res, 429, tooMany, { 'x-ratelimit-reset': '3' });
      if (n === 3) return send(res, 429, tooMany);
      send(res, 200, envelope([voiceRow('a')], 1, 1));
    };
    await withClient(handler, { clock, retry: { baseMs: 100, maxMs: 10_000, random: () => 0.5 } }, async (client, server) => {
      const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.equal(page.rows.length, 1);
      assert.equal(server.seen.length, 4);
      // third 429: backoff step 100 * 2^2 = 400 -> 200 fixed + 0.5 * 200 jitter
      assert.deepEqual(waits, [7000, 3000, 300]);
    });
  });

  it('a 429 asking for longer than the cap fails at once with retryAfterMs', async () => {
    const { clock, waits } = recordingClock();
    const handler: Handler = (_req, res) => send(res, 429, { errors: [{ code: '10011' }] }, { 'retry-after': '3600' });
    await withClient(handler, { clock }, async (client, server) => {
      const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
      assert.equal(err.kind, 'rate_limited');
      assert.equal(err.retryable, true);
      assert.equal(err.retryAfterMs, 3_600_000);
      assert.equal(server.seen.length, 1);
      assert.deepEqual(waits, []);
    });
  });

  it('x-ratelimit-remaining: 0 holds every following request until the reset', async () => {
    // A clock that only moves when the test says so, recording each wait asked of it.
    const manual = new ManualClock(T0);
    const waits: number[] = [];
    const clock: Clock = { now: () => manual.now(), sleep: (ms) => (waits.push(ms), manual.sleep(ms)) };
    const handler: Handler = (_req, res, { n }) => {
      const headers: Record<string, string> =
        n === 1 ? { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' } : { 'x-ratelimit-remaining': '99' };
      send(res, 200, envelope([], 1, 1), headers);
    };
    await withClient(handler, { clock }, async (client, server) => {
      await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.deepEqual(waits, []);
      // Two concurrent requests: both hold for the shared reset, nothing is sent meanwhile.
      const both = Promise.all([
        client.detailRecordsPage({ recordType: 'webrtc', page: 1 }),
        client.detailRecordsPage({ recordType: 'sip-trunking', page: 1 }),
      ]);
      while (waits.length < 2) await new Promise((r) => setImmediate(r));
      assert.deepEqual(waits, [2000, 2000]);
      assert.equal(server.seen.length, 1);
      await manual.advance(2000);
      await both;
      assert.equal(server.seen.length, 3);
    });
  });
});

describe('telnyx client: transient failures', () => {
  it('500 and 503 are retried with jittered backoff, then the answer is used', async () => {
    const { clock, waits } = recordingClock();
    const handler: Handler = (_req, res, { n }) => {
      if (n === 1) return send(res, 500, '<html>oops</html>');
      if (n === 2) return send(res, 503, { errors: [{ code: '90001', title: 'Service unavailable' }] });
      send(res, 200, envelope([voiceRow('a')], 1, 1));
    };
    await withClient(handler, { clock, retry: { baseMs: 10, maxMs: 1000, random: () => 0.5 } }, async (client, server) => {
      const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.equal(page.rows.length, 1);
      assert.equal(server.seen.length, 3);
      assert.deepEqual(waits, [8, 15]); // steps 10, 20: half fixed + half * 0.5
    });
  });

  it('5xx forever gives a server error after the attempt budget', async () => {
    await withClient(
      (_req, res) => send(res, 502, 'bad gateway'),
      { retry: { baseMs: 1, maxMs: 2, attempts: 4 } },
      async (client, server) => {
        const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
        assert.equal(err.kind, 'server');
        assert.equal(err.status, 502);
        assert.equal(err.attempts, 4);
        assert.equal(server.seen.length, 4);
        assert.match(err.message, /try again later/);
      },
    );
  });

  it('a dropped connection is retried', async () => {
    const handler: Handler = (req, res, { n }) => {
      if (n === 1) return void req.socket.destroy();
      send(res, 200, envelope([voiceRow('a')], 1, 1));
    };
    await withClient(handler, {}, async (client, server) => {
      const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.equal(page.rows.length, 1);
      assert.equal(server.seen.length, 2);
    });
  });

  it('a refused connection is a retryable network error', async () => {
    const server = await startServer((_req, res) => send(res, 200, envelope([], 1, 1)));
    const baseUrl = server.baseUrl;
    await server.close();
    const client = createTelnyxClient({ baseUrl, apiKey: API_KEY, retry: { baseMs: 1, maxMs: 2, attempts: 2 } });
    try {
      const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
      assert.equal(err.kind, 'network');
      assert.equal(err.retryable, true);
      assert.equal(err.causeCode, 'ECONNREFUSED');
      assert.equal(err.attempts, 2);
      assertNoKey(err);
    } finally {
      await client.close();
    }
  });

  it('a request that gets no answer times out and is retried', async () => {
    const handler: Handler = (_req, res, { n }) => {
      if (n === 1) return; // hang: never answer
      send(res, 200, envelope([voiceRow('a')], 1, 1));
    };
    await withClient(handler, { timeoutMs: 150 }, async (client, server) => {
      const page = await client.detailRecordsPage({ recordType: 'webrtc', page: 1 });
      assert.equal(page.rows.length, 1);
      assert.equal(server.seen.length, 2);
    });
  });

  it('timeouts every time end as a timeout error', async () => {
    await withClient(
      () => undefined,
      { timeoutMs: { headersMs: 100, bodyMs: 100 }, retry: { baseMs: 1, maxMs: 2, attempts: 2 } },
      async (client, server) => {
        const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1 }));
        assert.equal(err.kind, 'timeout');
        assert.equal(err.retryable, true);
        assert.equal(server.seen.length, 2);
      },
    );
  });
});

describe('telnyx client: cancel', () => {
  it('abort cancels a request in flight', async () => {
    const controller = new AbortController();
    const handler: Handler = () => {
      setTimeout(() => controller.abort(), 10); // the server got it; the user cancels
    };
    await withClient(handler, {}, async (client, server) => {
      const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1, signal: controller.signal }));
      assert.equal(err.kind, 'cancelled');
      assert.equal(err.retryable, false);
      assert.equal(server.seen.length, 1);
    });
  });

  it('abort during a backoff wait cancels without another request', async () => {
    const manual = new ManualClock(T0); // never advanced: the backoff would wait forever
    const controller = new AbortController();
    const handler: Handler = (_req, res) => {
      send(res, 503, 'busy');
      setTimeout(() => controller.abort(), 20);
    };
    await withClient(handler, { clock: manual }, async (client, server) => {
      const err = await rejectsWith(client.detailRecordsPage({ recordType: 'webrtc', page: 1, signal: controller.signal }));
      assert.equal(err.kind, 'cancelled');
      assert.equal(server.seen.length, 1);
    });
  });

  it('abort stops a paged walk; pages already delivered stay delivered', async () => {
    const controller = new AbortController();
    const handler: Handler = (_req, res, { query }) => {
      const page = Number(query.get('page[number]'));
      if (page >= 3) return; // hang
      send(res, 200, envelope([voiceRow(`p${page}`)], page, 5));
    };
    await withClient(handler, {}, async (client) => {
      const delivered: number[] = [];
      const err = await rejectsWith(
        (async () => {
          for await (const page of client.detailRecords({ recordType: 'webrtc', concurrency: 2, signal: controller.signal })) {
            delivered.push(page.page);
            if (page.page === 2) setTimeout(() => controller.abort(), 10);
          }
        })(),
      );
      assert.equal(err.kind, 'cancelled');
      assert.deepEqual(delivered, [1, 2]);
    });
  });
});

describe('telnyx client: findCallRecords', () => {
  it('returns only rows whose leg or session id we asked for, even when the server ignores filters', async () => {
    const legId = '5a1b2c3d-0000-4000-8000-000000000001';
    const sessionId = '6b1b2c3d-0000-4000-8000-000000000002';
    const from = T0;
    const to = T0 + 10 * 60_000;
    const handler: Handler = (_req, res, { query }) => {
      const type = query.get('filter[record_type]');
      const page = Number(query.get('page[number]'));
      const others = [voiceRow(`${type}-other-${page}-1`), voiceRow(`${type}-other-${page}-2`)];
      let data: unknown[] = others;
      if (type === 'sip-trunking' && page === 2) {
        data = [...others, voiceRow('sip-match', { telnyx_leg_id: undefined, call_leg_id: legId.toUpperCase() })];
      }
      if (type === 'webrtc') {
        data = [...others, voiceRow('webrtc-session-match', { telnyx_session_id: sessionId })];
      }
      // A row carrying our id as its control id must not match: a control id is not a leg id.
      if (type === 'call-control') data = [...others, voiceRow('cc-fake', { telnyx_call_control_id: legId })];
      send(res, 200, envelope(data, page, type === 'sip-trunking' ? 3 : 1));
    };
    await withClient(handler, {}, async (client, server) => {
      const found = await client.findCallRecords({ legIds: [legId], sessionIds: [sessionId], around: { from, to } });
      assert.deepEqual(
        found.records.map((f) => [f.record.id, f.record.recordType, f.matchedOn]),
        [
          ['sip-match', 'sip-trunking', 'leg'],
          ['webrtc-session-match', 'webrtc', 'session'],
        ],
      );
      assert.equal(found.truncated, false);
      assert.ok(found.scanned >= 12);
      const types = new Set(server.seen.map((s) => s.query.get('filter[record_type]')));
      assert.deepEqual([...types].sort(), ['call-control', 'sip-trunking', 'webrtc']);
      for (const s of server.seen) {
        assert.equal(s.query.get('filter[created_at][gte]'), new Date(from).toISOString().slice(0, 10));
        assert.equal(s.query.get('filter[created_at][lt]'), new Date(Math.ceil(to / 86_400_000) * 86_400_000).toISOString().slice(0, 10));
      }
      await assert.rejects(client.findCallRecords({ legIds: ['v3:abc'], around: { from, to } }), TypeError);
    });
  });
});

describe('telnyx client: webhook deliveries', () => {
  it('pages stored deliveries, sends the filters, drops other event types and out-of-window rows', async () => {
    const delivery = (id: string, eventType: string, startedAt: number) => ({
      id,
      record_type: 'webhook_delivery',
      status: 'delivered',
      started_at: new Date(startedAt).toISOString(),
      finished_at: new Date(startedAt + 100).toISOString(),
      webhook: {
        id: `evt-${id}`,
        event_type: eventType,
        occurred_at: new Date(startedAt - 50).toISOString(),
        payload: { call_leg_id: 'leg', call_control_id: 'v3:x' },
      },
      attempts: [{ status: 'delivered', http: { response: { status: 200 } } }],
    });
    const handler: Handler = (_req, res, { query }) => {
      const page = Number(query.get('page[number]'));
      const data =
        page === 1
          ? [delivery('d1', 'call.hangup', T0 + 1000), delivery('d2', 'call.speak.ended', T0 + 2000), { id: 'broken' }]
          : [delivery('d3', 'call.cost', T0 + 3000), delivery('d4', 'call.hangup', T0 + 999_999)];
      send(res, 200, envelope(data, page, 2, 250));
    };
    await withClient(handler, {}, async (client, server) => {
      const pages = [];
      for await (const p of client.webhookDeliveries({
        eventTypes: ['call.hangup', 'call.cost'],
        startedGte: T0,
        startedLte: T0 + 60_000,
      })) {
        pages.push(p);
      }
      assert.deepEqual(
        pages.map((p) => p.rows.map((r) => r.eventId)),
        [['evt-d1'], ['evt-d3']],
      );
      assert.equal(pages[0]!.droppedOtherEventType, 1);
      assert.equal(pages[0]!.rejected.length, 1);
      assert.equal(pages[1]!.droppedOutsideWindow, 1);
      const row = pages[0]!.rows[0]!;
      assert.equal(row.deliveryId, 'd1');
      assert.equal(row.occurredAt, T0 + 950);
      assert.deepEqual(row.payload, { call_leg_id: 'leg', call_control_id: 'v3:x' });
      const q = server.seen[0]!.query;
      assert.equal(server.seen[0]!.path, '/v2/webhook_deliveries');
      assert.equal(q.get('filter[event_type]'), 'call.hangup,call.cost');
      assert.equal(q.get('filter[started_at][gte]'), new Date(T0).toISOString());
      assert.equal(q.get('filter[started_at][lte]'), new Date(T0 + 60_000).toISOString());
      assert.equal(q.get('page[size]'), '250');
    });
  });
});

describe('telnyx client: verifyKey', () => {
  it('is one cheap request', async () => {
    await withClient(
      (_req, res) => send(res, 200, envelope([], 1, 0, 1)),
      {},
      async (client, server) => {
        assert.deepEqual(await client.verifyKey(), { ok: true });
        assert.equal(server.seen.length, 1);
        assert.equal(server.seen[0]!.query.get('page[size]'), '1');
        assert.equal(server.seen[0]!.query.get('filter[record_type]'), 'messaging');
        assert.ok(isTelnyxError(new TelnyxError({ kind: 'auth', status: 401 }), 'auth'));
      },
    );
  });
});
