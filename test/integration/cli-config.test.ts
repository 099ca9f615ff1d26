// `cost-desk config get|set` as cron and a terminal run it: real child processes, the real
// ledger. Every change goes through settings.update (the Settings screen's call): a bad value
// is refused with the contract's own rule and path (exit 2) and changes nothing; the API key
// is never printed and never taken from the command line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { readSettings } from '../../electron/core/settings/settings.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';

const noKey = { TELNYX_API_KEY: undefined, TELNYX_API_BASE_URL: undefined };

function stored(dir: string) {
  const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
  try {
    return readSettings(ledger);
  } finally {
    ledger.close();
  }
}

describe('cli config', { concurrency: 2 }, () => {
  it('get lists every setting as key = value; get KEY prints its value alone', async () => {
    const dir = tempDir();
    const all = await runCli(['config', 'get', '--data-dir', dir], noKey);
    assert.equal(all.code, 0, all.stderr);
    const lines = all.stdout.trim().split('\n');
    assert.equal(lines[0], 'apiKey = not set');
    assert.ok(lines.includes('pollingIntervalSec = 30'), all.stdout);
    assert.ok(lines.includes('rates.currency = USD'), all.stdout);
    assert.ok(lines.includes(`dataDir = ${dir}`), all.stdout);
    const one = await runCli(['config', 'get', 'retryScheduleMs', '--data-dir', dir], noKey);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, `${JSON.stringify(stored(dir).retryScheduleMs)}\n`);
    const json = await runCli(['config', 'get', '--json', '--data-dir', dir], noKey);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { 'rates.inboundPerMinute': string })['rates.inboundPerMinute'], stored(dir).rates.inboundPerMinute);
  });

  it('set changes one setting in the ledger, typed by the contract (numbers, booleans, decimal text, JSON lists)', async () => {
    const dir = tempDir();
    const cases: Array<[string, string, string]> = [
      ['pollingIntervalSec', '120', 'pollingIntervalSec = 120'],
      ['pollingEnabled', 'false', 'pollingEnabled = false'],
      // A rate stays the decimal text given (never a float): 0.0042, not 0.004200000000000001.
      ['rates.inboundPerMinute', '0.0042', 'rates.inboundPerMinute = 0.0042'],
      ['retryScheduleMs', '[30000,120000]', 'retryScheduleMs = [30000,120000]'],
      [
        'rates.otherCurrencies',
        '[{"currency":"EUR","inboundPerMinute":"0.01","outboundPerMinute":"0.02"}]',
        'rates.otherCurrencies = [{"currency":"EUR","inboundPerMinute":"0.01","outboundPerMinute":"0.02"}]',
      ],
    ];
    for (const [key, value, echo] of cases) {
      const r = await runCli(['config', 'set', key, value, '--data-dir', dir], noKey);
      assert.equal(r.code, 0, `${key}: ${r.stderr}`);
      assert.equal(r.stdout, `${echo}\n`);
    }
    const s = stored(dir);
    assert.equal(s.pollingIntervalSec, 120);
    assert.equal(s.pollingEnabled, false);
    assert.equal(s.rates.inboundPerMinute, '0.0042');
    assert.equal(s.rates.outboundPerMinute, '0.015', 'the other rates are kept');
    assert.deepEqual(s.retryScheduleMs, [30000, 120000]);
    assert.deepEqual(s.rates.otherCurrencies, [{ currency: 'EUR', inboundPerMinute: '0.01', outboundPerMinute: '0.02' }]);
    const back = await runCli(['config', 'get', 'rates.inboundPerMinute', '--data-dir', dir], noKey);
    assert.equal(back.stdout, '0.0042\n');
  });

  it('a bad value exits 2 with the rule and its path, and changes nothing', async () => {
    const dir = tempDir();
    const before = stored(dir);
    const cases: Array<[string[], RegExp]> = [
      [['pollingIntervalSec', '2'], /^error: pollingIntervalSec: Whole seconds, 5–86400\n$/],
      [['rates.currency', 'usd'], /^error: rates\.currency: A three-letter currency code, e\.g\. USD\n$/],
      [['rates.inboundPerMinute', '1,5'], /^error: rates\.inboundPerMinute: A decimal amount per minute, e\.g\. 0\.0035\n$/],
      [['retryScheduleMs', '[10]'], /^error: retryScheduleMs\.0: Each delay from 1 second to 24 hours\n$/],
      [['pollingEnabled', 'maybe'], /^error: pollingEnabled: expected true or false, not "maybe"\n$/],
      [['settleWindowMs', 'soon'], /^error: settleWindowMs: expected a number, not "soon"\n$/],
      [['retryScheduleMs', '30s,2m'], /^error: retryScheduleMs: expected JSON/],
      // The key is sent to this address: a remote one must be https.
      [
        ['apiBaseUrl', 'http://example.com/v2'],
        /^error: refusing to send the API key in clear to example\.com: .*https.*\n {2}Use https:\/\/api\.telnyx\.com\/v2/,
      ],
      [
        ['pollingIntervall', '60'],
        /^error: unknown setting "pollingIntervall"; the settings are: apiBaseUrl, pollingEnabled, pollingIntervalSec, .*rates\.currency/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['config', 'set', ...args, '--data-dir', dir], noKey);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    const unknown = await runCli(['config', 'get', 'nope', '--data-dir', dir], noKey);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown setting "nope"/);
    assert.deepEqual(stored(dir), before, 'nothing changed');
  });

  it('the API key is never printed and never taken as an argument; the refusal says how to set it', async () => {
    const dir = tempDir();
    const key = 'KEY_never_on_a_command_line_0123456789';
    for (const name of ['apiKey', 'api_key', 'API-KEY']) {
      const r = await runCli(['config', 'set', name, key, '--data-dir', dir], noKey);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /not shown or set on the command line/);
      assert.match(r.stderr, /TELNYX_API_KEY/);
      assert.doesNotMatch(r.stderr + r.stdout, new RegExp(key));
    }
    const env = { ...noKey, TELNYX_API_KEY: key };
    const one = await runCli(['config', 'get', 'apiKey', '--data-dir', dir], env);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, 'set, ends in …6789 (from TELNYX_API_KEY)\n');
    for (const argv of [
      ['config', 'get'],
      ['config', 'get', '--json'],
    ]) {
      const all = await runCli([...argv, '--data-dir', dir], env);
      assert.equal(all.code, 0, all.stderr);
      assert.doesNotMatch(all.stdout + all.stderr, new RegExp(key.slice(0, -4)));
    }
  });

  it('TELNYX_API_BASE_URL wins: config set apiBaseUrl says where to change it', async () => {
    const dir = tempDir();
    const r = await runCli(['config', 'set', 'apiBaseUrl', 'https://api.telnyx.com/v2', '--data-dir', dir], {
      ...noKey,
      TELNYX_API_BASE_URL: 'http://127.0.0.1:9/v2',
    });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      'error: The API base URL is set by TELNYX_API_BASE_URL.\n  Change or unset TELNYX_API_BASE_URL where it is defined, then restart.\n',
    );
    const shown = await runCli(['config', 'get', 'apiBaseUrl', '--data-dir', dir], { ...noKey, TELNYX_API_BASE_URL: 'http://127.0.0.1:9/v2' });
    assert.equal(shown.stdout, 'http://127.0.0.1:9/v2\n');
  });
});
