// "Check against Telnyx" for a month: the ledger's exact totals beside the simulator's
// GET /v2/usage_reports (developers.telnyx.com usage reports, beta: costs as JSON numbers,
// customer_carrier_fee apart), through the contract and the CLI as a child process, as
// JSON and as CSV (read back with csv-parse).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { VerifyReport } from '../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { monthRange } from '../../electron/core/verify/month.ts';
import { runCli } from '../helpers/cli.ts';
import { coreOnSimulator } from '../helpers/core.ts';
import { startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

describe('check against Telnyx', () => {
  it('monthRange is the whole UTC month, end exclusive', () => {
    assert.deepEqual(monthRange('2026-02'), { from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 2, 1) });
    assert.throws(() => monthRange('2026-13'), RangeError);
  });

  it('after an import every product and currency matches; a report that disagrees is shown with the difference, and the CLI exits 1', async () => {
    const account = { seed: 'verify', calls: 400, messages: 200, sipTrunkingRate: 0.2, webrtcRate: 0.1 };
    const sim = await startTestSimulator(account);
    const dataDir = tempDir();
    const env = { TELNYX_API_KEY: sim.apiKey, TELNYX_API_BASE_URL: sim.baseUrl };
    const imported = await runCli(['--data-dir', dataDir, 'import', '--from', '2026-01-01', '--to', '2026-01-31'], env);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);

    const core = await coreOnSimulator(sim, { dataDir });
    let report: VerifyReport;
    let withCsv: VerifyReport;
    try {
      const r = await dispatch(core.api, 'verify.month', { month: '2026-01' });
      assert.ok(r.ok, JSON.stringify(r));
      report = r.value as VerifyReport;
      assert.equal(report.csv, undefined, 'CSV only when asked');
      const c = await dispatch(core.api, 'verify.month', { month: '2026-01', csv: true });
      assert.ok(c.ok, JSON.stringify(c));
      withCsv = c.value as VerifyReport;
      const bad = await dispatch(core.api, 'verify.month', { month: '2026-1' });
      assert.equal(bad.ok, false);
    } finally {
      await core.close();
    }
    assert.ok(report.rows.length >= 6, JSON.stringify(report.rows));
    assert.deepEqual(new Set(report.rows.map((r) => r.product)), new Set(['call-control', 'sip-trunking', 'webrtc', 'messaging']));
    assert.deepEqual(new Set(report.rows.map((r) => r.currency)), new Set(['USD', 'EUR']));
    for (const row of report.rows) assert.equal(row.difference, '0.00', `${row.product} ${row.currency}: ${row.ledger} vs ${row.telnyx}`);
    assert.equal(report.matches, true);
    // The same comparison as CSV, read back with csv-parse: a Product row per product and
    // currency, then a Total row per currency summed here in bigint; the month's explanation on every row.
    const { csv, ...same } = withCsv;
    assert.deepEqual(same, report);
    const csvRows = parse(csv!, { columns: true, strict: true } as never) as Record<string, string>[];
    const why = {
      'Calls still estimated': String(report.explain.callsEstimated),
      'Calls without a record': String(report.explain.callsNoRecord),
      'Calls open': String(report.explain.callsOpen),
      'Calls partial': String(report.explain.callsPartial),
      'Messages without an exact cost': String(report.explain.messagesWithoutCost),
    };
    const sums = new Map<string, [bigint, bigint]>();
    for (const r of report.rows) {
      const [l, t] = sums.get(r.currency) ?? [0n, 0n];
      sums.set(r.currency, [l + parseMoney(r.ledger), t + parseMoney(r.telnyx)]);
    }
    assert.deepEqual(csvRows, [
      ...report.rows.map((r) => ({
        Row: 'Product',
        Month: '2026-01',
        Product: r.product,
        Currency: r.currency,
        'Ledger exact': r.ledger,
        Telnyx: r.telnyx,
        Difference: r.difference,
        Matches: r.matches ? 'yes' : 'no',
        ...why,
      })),
      ...[...sums.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, [l, t]]) => ({
          Row: 'Total',
          Month: '2026-01',
          Product: '',
          Currency: currency,
          'Ledger exact': formatMoney(l),
          Telnyx: formatMoney(t),
          Difference: formatMoney(l - t),
          Matches: l === t ? 'yes' : 'no',
          ...why,
        })),
    ]);
    assert.ok(csvRows.filter((r) => r.Row === 'Total').every((r) => r.Difference === '0.00' && Number(r['Ledger exact']) > 0));
    const ok = await runCli(['--data-dir', dataDir, 'verify', '--month', '2026-01'], env);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /every total matches/);

    // The same account, Telnyx reporting 0.5 more per row.
    const off = await startTestSimulator({ ...account, usageReportOffset: '0.5' });
    const differs = await runCli(['--data-dir', dataDir, '--json', 'verify', '--month', '2026-01'], {
      TELNYX_API_KEY: off.apiKey,
      TELNYX_API_BASE_URL: off.baseUrl,
    });
    assert.equal(differs.code, 1);
    const parsed = JSON.parse(differs.stdout) as VerifyReport;
    assert.equal(parsed.matches, false);
    for (const row of parsed.rows) assert.equal(row.difference, '-0.50');
    // `verify --csv`: the same rows as CSV on standard output, the same exit code.
    const differsCsv = await runCli(['--data-dir', dataDir, 'verify', '--month', '2026-01', '--csv'], {
      TELNYX_API_KEY: off.apiKey,
      TELNYX_API_BASE_URL: off.baseUrl,
    });
    assert.equal(differsCsv.code, 1, differsCsv.stderr);
    const offRows = parse(differsCsv.stdout, { columns: true, strict: true } as never) as Record<string, string>[];
    const products = offRows.filter((r) => r.Row === 'Product');
    assert.deepEqual(
      products.map((r) => [r.Product, r.Currency, r.Difference, r.Matches]),
      parsed.rows.map((r) => [r.product, r.currency, '-0.50', 'no']),
    );
    for (const total of offRows.filter((r) => r.Row === 'Total')) {
      const n = products.filter((r) => r.Currency === total.Currency).length;
      assert.equal(total.Difference, formatMoney(-500_000_000n * BigInt(n)), total.Currency);
    }
    const usage = await runCli(['--data-dir', dataDir, 'verify', '--month', 'January'], env);
    assert.equal(usage.code, 2);
  });
});
