// A monthly statement checked against Telnyx's usage report (GET /v2/usage_reports, beta, as
// the simulator serves it: costs as JSON numbers, customer_carrier_fee apart), through the
// same client and sums as `verify --month`. The statement's side is summed here from the
// ledger's rows in plain JS; the files are read back (exceljs, pdf.js) and show the check.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatMoney, parseMoney } from '../../shared/money.ts';
import type { Ledger } from '../../electron/core/ledger/index.ts';
import { NOT_ACCOUNT_WIDE } from '../../electron/core/statements/telnyx-check.ts';
import { CHECK_HEADER } from '../../electron/core/statements/xlsx.ts';
import { runCli } from '../helpers/cli.ts';
import { call, coreOnSimulator } from '../helpers/core.ts';
import { startTestSimulator } from '../helpers/simulator.ts';
import { pdfPages, readXlsx } from '../helpers/statement-readers.ts';
import { tempDir } from '../helpers/temp.ts';

const ACCOUNT = { seed: 'statement-check', calls: 400, messages: 200, sipTrunkingRate: 0.2, webrtcRate: 0.1 };
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);

/** January's exact call costs plus message costs per currency, from the rows. */
function exactFromRows(ledger: Ledger): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const add = (cur: unknown, v: unknown) => out.set(String(cur), (out.get(String(cur)) ?? 0n) + (v as bigint));
  for (const c of ledger.db.prepare('SELECT started_at, exact_nanos, currency FROM calls').safeIntegers(true).all() as Array<
    Record<string, bigint | string | null>
  >) {
    const t = Number(c.started_at);
    if (c.started_at !== null && t >= FROM && t < TO && c.exact_nanos !== null) add(c.currency, c.exact_nanos);
  }
  for (const m of ledger.db.prepare('SELECT sent_at, cost_nanos, currency FROM messages').safeIntegers(true).all() as Array<
    Record<string, bigint | string | null>
  >) {
    const t = Number(m.sent_at);
    if (m.sent_at !== null && t >= FROM && t < TO && m.cost_nanos !== null && m.currency !== null) add(m.currency, m.cost_nanos);
  }
  return out;
}

describe('statements checked against Telnyx usage report', () => {
  let dataDir: string;
  before(async () => {
    const sim = await startTestSimulator(ACCOUNT);
    dataDir = tempDir();
    const imported = await runCli(['--data-dir', dataDir, 'import', '--from', '2026-01-01', '--to', '2026-01-31'], {
      TELNYX_API_KEY: sim.apiKey,
      TELNYX_API_BASE_URL: sim.baseUrl,
    });
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
  });

  const open = async (o: { usageReportOffset?: string; key?: boolean } = {}) => {
    const sim = await startTestSimulator({ ...ACCOUNT, ...(o.usageReportOffset ? { usageReportOffset: o.usageReportOffset } : {}) });
    const core = await coreOnSimulator(sim, { dataDir, key: o.key === false ? null : sim.apiKey });
    return { sim, core };
  };

  it('agrees after an import, per currency, and the .xlsx and PDF say so', async () => {
    const { core } = await open();
    const st = await call(core, 'statements.get', { month: '2026-01', checkWithTelnyx: true });
    const ours = exactFromRows(core.runtime.session().ledger);
    assert.equal(st.telnyxCheck?.status, 'matches', JSON.stringify(st.telnyxCheck));
    assert.deepEqual(new Set(st.telnyxCheck.rows.map((r) => r.currency)), new Set(['USD', 'EUR']));
    for (const r of st.telnyxCheck.rows) {
      assert.equal(parseMoney(r.statement), ours.get(r.currency), `${r.currency}: the statement's side is the rows' exact costs`);
      assert.equal(r.statement, r.telnyx);
      assert.equal(parseMoney(r.difference), 0n);
    }
    // Not asked: no request, no check.
    assert.equal((await call(core, 'statements.get', { month: '2026-01' })).telnyxCheck, null);

    const xlsx = join(tempDir(), 'jan.xlsx');
    await call(core, 'statements.export', { month: '2026-01', format: 'xlsx', out: xlsx, checkWithTelnyx: true });
    const sheet = (await readXlsx(xlsx)).getWorksheet('Statement')!;
    const cells: unknown[][] = [];
    sheet.eachRow((row) => cells.push((row.values as unknown[]).slice(1)));
    const at = cells.findIndex((r) => r[0] === "Check against Telnyx's usage report");
    assert.ok(at >= 0, 'the check is on the sheet');
    assert.equal(cells[at]![1], 'agrees');
    assert.deepEqual(cells[at + 1], CHECK_HEADER);
    for (const r of st.telnyxCheck.rows) {
      const row = cells.find((c) => c[0] === r.currency && c.length >= 8 && c[7] !== undefined)!;
      assert.equal(row[1], Number(r.statement), 'a numeric cell');
      assert.equal(row[3], Number(r.telnyx));
      assert.equal(row[5], 0);
      assert.equal(row[7], 'yes');
    }
    const pdf = join(tempDir(), 'jan.pdf');
    await call(core, 'statements.export', { month: '2026-01', format: 'pdf', out: pdf, checkWithTelnyx: true });
    const first = (await pdfPages(pdf))[0]!;
    assert.match(first, /Check against Telnyx's usage report: the statement agrees/);
    for (const r of st.telnyxCheck.rows)
      assert.match(first, new RegExp(`${r.currency} ${r.statement.replace('.', '\\.')} ${r.telnyx.replace('.', '\\.')} 0\\.00 yes`));
    await core.close();
  });

  it('a usage report that disagrees is shown with the difference; scoped or keyless statements say why they were not compared', async () => {
    const { core } = await open({ usageReportOffset: '0.5' });
    const st = await call(core, 'statements.get', { month: '2026-01', checkWithTelnyx: true });
    // Telnyx's side as `verify --month` reads it (per product), summed per currency here.
    const verify = await call(core, 'verify.month', { month: '2026-01' });
    const telnyx = new Map<string, bigint>();
    for (const r of verify.rows) telnyx.set(r.currency, (telnyx.get(r.currency) ?? 0n) + parseMoney(r.telnyx));
    const ours = exactFromRows(core.runtime.session().ledger);
    assert.equal(st.telnyxCheck?.status, 'differs');
    for (const r of st.telnyxCheck.rows) {
      assert.equal(r.matches, false);
      assert.equal(r.telnyx, formatMoney(telnyx.get(r.currency)!));
      assert.equal(parseMoney(r.difference), ours.get(r.currency)! - telnyx.get(r.currency)!);
      assert.ok(parseMoney(r.difference) < 0n);
    }
    const pdf = join(tempDir(), 'jan-off.pdf');
    await call(core, 'statements.export', { month: '2026-01', format: 'pdf', out: pdf, checkWithTelnyx: true });
    assert.match((await pdfPages(pdf))[0]!, /Check against Telnyx's usage report: the statement differs/);

    const number = core.runtime.session().ledger.db.prepare('SELECT our_number FROM calls LIMIT 1').pluck().get() as string;
    const scoped = await call(core, 'statements.get', { month: '2026-01', number, checkWithTelnyx: true });
    assert.deepEqual(scoped.telnyxCheck && [scoped.telnyxCheck.status, scoped.telnyxCheck.reason, scoped.telnyxCheck.rows], [
      'not_checked',
      NOT_ACCOUNT_WIDE,
      [],
    ]);
    await core.close();

    const keyless = await open({ key: false });
    const none = await call(keyless.core, 'statements.get', { month: '2026-01', checkWithTelnyx: true });
    assert.deepEqual(none.telnyxCheck && [none.telnyxCheck.status, none.telnyxCheck.reason], ['not_checked', 'No Telnyx API key is set.']);
    await keyless.core.close();
  });
});
