// cost-desk backup / restore / statement: the contract calls from a terminal, with exit codes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { summarizeLedger } from '../../electron/core/backup/snapshot.ts';
import { bookExactUsd, insertEndedCalls, oneMinuteCall } from '../helpers/seed-calls.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp.ts';
import { pdfPages, readXlsx } from '../helpers/statement-readers.ts';

const T = Date.UTC(2026, 0, 10, 12);
const endedCall = (id: string) => oneMinuteCall(id, T, '+15550001111', '+15550002222');

describe('cli backup and restore', () => {
  it('backs up to --out, restores it, and keeps the replaced ledger', async () => {
    const dir = tempDir();
    const file = join(dir, LIVE_LEDGER);
    const ledger = openLedgerFile(file);
    insertEndedCalls(ledger, [endedCall('a'), endedCall('b')], T);
    ledger.close();
    const out = join(tempDir(), 'my-backup.db');
    const env = { TELNYX_API_KEY: undefined };

    const b = await runCli(['backup', '--out', out, '--data-dir', dir, '--json'], env);
    assert.equal(b.code, 0, b.stderr);
    const made = JSON.parse(b.stdout) as { file: string; contents: { calls: number } };
    assert.equal(made.file, out);
    assert.equal(made.contents.calls, 2);
    assert.ok(existsSync(out));

    const again = await runCli(['backup', '--out', out, '--data-dir', dir], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; a backup never overwrites a file/);

    const more = openLedgerFile(file);
    insertEndedCalls(more, [endedCall('c')], T);
    more.close();

    const r = await runCli(['restore', out, '--data-dir', dir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /restored .*my-backup\.db: 2 calls, 0 messages; the previous ledger is kept at .*ledger\.before-restore-\d{8}-\d{6}\.db/);
    const restored = openLedgerFile(file);
    assert.equal(summarizeLedger(restored.db).calls, 2);
    restored.close();

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a ledger');
    const bad = await runCli(['restore', junk, '--data-dir', dir], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /junk\.db cannot be restored: .*Nothing was changed\./);
  });
});

describe('cli statement', () => {
  it('writes the month of one number as .xlsx and .pdf (format from the name); bad usage exits 2', async () => {
    const dir = tempDir();
    const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
    const ids = insertEndedCalls(ledger, [endedCall('s1'), endedCall('s2')], T);
    bookExactUsd(ledger, ids, 12_345_000n, { billedSec: 60 });
    ledger.close();
    const env = { TELNYX_API_KEY: undefined };
    const xlsx = join(dir, 'jan.xlsx');
    const r = await runCli(['statement', '--month', '2026-01', '--number', '+15550001111', '--out', xlsx, '--data-dir', dir], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `statement +15550001111, January 2026 (UTC): 0.02469 USD; wrote ${xlsx} (${statSync(xlsx).size} bytes)`);
    const wb = await readXlsx(xlsx);
    assert.equal(wb.getWorksheet('Calls')!.rowCount, 3);
    const pdf = join(dir, 'jan.pdf');
    assert.equal((await runCli(['statement', '--month', '2026-01', '--out', pdf, '--data-dir', dir], env)).code, 0);
    assert.match((await pdfPages(pdf)).join('\n'), /Total \(calls booked \+ messages\): 0\.02469 USD/);

    for (const [argv, message] of [
      [['statement', '--month', '2026-01', '--out', join(dir, 'x.csv')], /--out must end in \.xlsx or \.pdf/],
      [['statement', '--month', 'January', '--out', join(dir, 'x.pdf')], /--month must be YYYY-MM/],
      [['statement', '--month', '2026-01', '--number', '+1555', '--billing-group', 'g', '--out', join(dir, 'x.pdf')], /one or the other/],
    ] as const) {
      const bad = await runCli([...argv, '--data-dir', dir], env);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, message);
    }
    const again = await runCli(['statement', '--month', '2026-01', '--out', pdf, '--data-dir', dir], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });
});
