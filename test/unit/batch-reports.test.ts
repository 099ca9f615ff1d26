// Batch detail-record reports: the published shapes (test/fixtures/telnyx/README.md names each
// source), where the API key may go when a report is downloaded, and how a CSV is read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createTelnyxHttp } from '../../electron/core/telnyx/http.ts';
import { downloadReport, parseBatchReport, REPORT_PREFIXES, reportRequestBody, reportState, ReportDownloadError } from '../../electron/core/telnyx/index.ts';
import { checkColumns, csvBatches, ReportUnusable } from '../../electron/core/ingest/report-import/csv-records.ts';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/telnyx/${name}`, import.meta.url), 'utf8'));
const KEY = 'KEYtest0000000000000000000000000000_unit';

describe('batch report shapes', () => {
  it('reads the published voice and messaging report answers (number and word statuses)', () => {
    const voice = parseBatchReport('voice', REPORT_PREFIXES[1])(fixture('batch-voice-report.docs.json'));
    assert.deepEqual(voice, {
      id: '123e4567-e89b-12d3-a456-426614174000',
      kind: 'voice',
      state: 'pending',
      status: 1,
      reportUrl: '<string>',
      prefix: REPORT_PREFIXES[1],
    });
    const mdr = parseBatchReport('messaging', REPORT_PREFIXES[0])(fixture('batch-messaging-report.docs.json'));
    assert.equal(mdr.state, 'pending');
    assert.equal(mdr.reportUrl, 'http://portal.telnyx.com/downloads/report_name_8hvb45Gu.csv');
    for (const [status, state] of [
      [2, 'complete'],
      ['2', 'complete'],
      ['COMPLETE', 'complete'],
      [3, 'failed'],
      ['FAILED', 'failed'],
      [4, 'expired'],
      ['EXPIRED', 'expired'],
      [1, 'pending'],
    ] as const) {
      assert.equal(reportState(status), state, String(status));
    }
    assert.equal(reportState(7), null);
    assert.throws(() => parseBatchReport('voice', REPORT_PREFIXES[0])({ data: { id: 'x', status: 'done?' } }), /not a report status/);
  });

  it("asks for a report with the SDKs' request fields only", () => {
    const allowed = (name: string) => new Set(Object.keys(fixture(name)));
    const range = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 31) };
    const voice = reportRequestBody({ kind: 'voice', ...range, source: 'call-control', fields: ['id', 'cost'] });
    for (const k of Object.keys(voice)) assert.ok(allowed('batch-voice-create.sdk-request.json').has(k), `voice ${k}`);
    assert.equal(voice.start_time, '2026-01-01T00:00:00Z');
    assert.equal(voice.end_time, '2026-01-31T00:00:00Z');
    const messaging = reportRequestBody({ kind: 'messaging', ...range });
    for (const k of Object.keys(messaging)) assert.ok(allowed('batch-messaging-create.sdk-request.json').has(k), `messaging ${k}`);
  });
});

describe('where the key goes when a report is downloaded', () => {
  const http = createTelnyxHttp({ baseUrl: 'http://127.0.0.1:9/v2', apiKey: KEY });
  it('only to the API origin itself: never to Telnyx storage or another port', () => {
    assert.equal(http.downloadHeaders('http://127.0.0.1:9/v2/reports/1.csv').authorization, `Bearer ${KEY}`);
    for (const url of ['http://127.0.0.1:10/r.csv', 'https://127.0.0.1:9/r.csv', 'https://storage.telnyx.example/r.csv?sig=1', 'http://localhost:9/r.csv']) {
      assert.equal(http.downloadHeaders(url).authorization, undefined, url);
    }
  });
  it('refuses a report_url over plain http to a remote host (the docs example is one) before any request', async () => {
    await assert.rejects(downloadReport(http, 'http://portal.telnyx.com/downloads/report_name_8hvb45Gu.csv'), (err: unknown) => {
      assert.ok(err instanceof ReportDownloadError);
      assert.match(err.message, /only https/);
      return true;
    });
    await assert.rejects(downloadReport(http, 'ftp://x/y'), ReportDownloadError);
    await http.close();
  });
});

describe('reading a report CSV', () => {
  const all = async (text: string | Buffer, o: Partial<Parameters<typeof csvBatches>[1]> = {}) => {
    const out = [];
    for await (const b of csvBatches(Readable.from([text]), { recordType: 'call-control', skipRows: 0, window: { from: 0, to: 8e12 }, batchRows: 2, ...o }))
      out.push(b);
    return out;
  };
  const header = 'id,call_leg_id,cli,cld,direction,start_time,end_time,cost,currency,rate,created_at,tags\r\n';
  const row = (id: string, cost: string, created = '2026-01-02T00:00:00Z') =>
    `${id},leg-${id},+15550001,+15550002,outbound,2026-01-02T00:00:00Z,2026-01-02T00:01:00Z,${cost},USD,0.0035,${created},"sales,vip"\r\n`;

  it('reads rows by the detail-record names, CDR names as aliases, quoted cells, a BOM; batches of batchRows', async () => {
    const batches = await all(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(header + row('a', '0.0035') + row('b', '0.007') + row('c', '0'))]));
    assert.deepEqual(
      batches.map((b) => b.rows),
      [2, 1],
    );
    const [a] = batches[0]!.voice;
    assert.equal(a!.id, 'a');
    assert.deepEqual(a!.legIds, ['leg-a']);
    assert.equal(a!.costNanos, 3_500_000n);
    assert.equal(a!.startedAt, Date.UTC(2026, 0, 2));
    assert.equal(a!.finishedAt, Date.UTC(2026, 0, 2, 0, 1));
    assert.equal(a!.attribution.tags, '["sales","vip"]');
  });

  it('skips rows already ingested, keeps only the window, and lists an unbookable row as a problem', async () => {
    const text = header + row('a', '0.1') + row('b', '0.2', '2026-03-01T00:00:00Z') + row('c', '') + row('d', '0.4');
    const batches = await all(text, { skipRows: 1, window: { from: 0, to: Date.UTC(2026, 1, 1) }, batchRows: 10 });
    assert.equal(batches[0]!.rows, 3);
    assert.deepEqual(
      batches[0]!.voice.map((r) => r.id),
      ['d'],
    );
    assert.equal(batches[0]!.problems.length, 1);
    assert.equal(batches[0]!.problems[0]!.index, 3);
    assert.match(batches[0]!.problems[0]!.reason, /no cost/);
  });

  it('a cut file is an error, never fewer rows in silence; a file without a needed column is unusable', async () => {
    await assert.rejects(all(header + row('a', '0.1') + 'b,leg-b,"+1555'), /Quote Not Closed|quote/i);
    await assert.rejects(all(header + row('a', '0.1') + 'b,leg-b,+1555\r\n'), /column|record/i);
    assert.throws(() => checkColumns(['id', 'cli', 'cld', 'direction', 'cost'], false), ReportUnusable);
    assert.throws(() => checkColumns(['uuid', 'cli', 'cld', 'direction', 'currency'], true), /no cost column/);
    checkColumns(['uuid', 'cli', 'cld', 'direction', 'cost', 'currency'], true);
  });
});
