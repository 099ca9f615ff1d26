// Statements in Chromium: a month and a number picked on the screen, the figures shown equal
// the ledger's rows, and both exports write files whose contents (read back with exceljs and
// pdf.js) say the same; screenshots and an axe scan, light and dark.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney } from '../../shared/money.ts';
import { haveChromium, importRange, JANUARY_START, januaryAccount, startLiveApp, waitFor } from './support/app.ts';
import { describeFindings, go, openApp, shotsAndAxeBothSchemes, type AxeFinding } from './support/browser.ts';
import { readLedger } from './support/truth.ts';
import { pdfPages, readXlsx } from '../helpers/statement-readers.ts';

const START = JANUARY_START;
const ACCOUNT = januaryAccount('e2e-statements', 250, 100, 4);

test('Statements: the month of one number on screen, exported as .xlsx and PDF', { timeout: 90_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const { app } = await startLiveApp(ACCOUNT);
  await importRange(app, { from: START, to: START + 6 * 86_400_000 });

  // The busiest USD number, and its January total summed here from the rows.
  const db = readLedger((await app.call('app.info', {})).ledgerFile);
  const number = db.prepare("SELECT our_number FROM calls WHERE currency = 'USD' GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").pluck().get() as string;
  let total = 0n;
  for (const c of db.prepare('SELECT exact_nanos, estimated_nanos, started_at FROM calls WHERE our_number = ?').all(number) as Array<{
    exact_nanos: bigint | null;
    estimated_nanos: bigint | null;
    started_at: bigint;
  }>) {
    if (Number(c.started_at) < Date.UTC(2026, 1, 1)) total += c.exact_nanos ?? c.estimated_nanos ?? 0n;
  }
  for (const m of db.prepare('SELECT cost_nanos FROM messages WHERE our_number = ? AND cost_nanos IS NOT NULL').all(number) as Array<{ cost_nanos: bigint }>)
    total += m.cost_nanos;
  db.close();
  const expected = `${formatMoney(total)} USD`;

  const { page, problems } = await openApp(app.host);
  await go(page, 'statements');
  await page.getByTestId('statement-month').fill('2026-01');
  await page.getByTestId('statement-number').selectOption(number);
  const shown = page.getByTestId('statement-total-USD');
  await waitFor(async () => (await shown.textContent()) === expected, `the total ${expected} on screen`);
  const findings: AxeFinding[] = [];
  await shotsAndAxeBothSchemes(t, page, 'statements', findings);

  const saved = page.getByTestId('statement-saved');
  await page.getByTestId('statement-export-xlsx').click();
  await waitFor(async () => (await saved.textContent())?.startsWith('Saved spreadsheet to '), 'the .xlsx');
  const xlsx = (await saved.textContent())!.replace('Saved spreadsheet to ', '');
  assert.match(xlsx, /statements\/cost-desk-statement-\d+-2026-01\.xlsx$/);
  const sheet = (await readXlsx(xlsx)).getWorksheet('Statement')!;
  const totals: unknown[] = [];
  sheet.eachRow((row) => row.getCell(1).value === 'Total (calls booked + messages)' && totals.push(row.getCell(2).value));
  assert.deepEqual(totals, [Number(formatMoney(total))], 'the spreadsheet total, a numeric cell');

  await page.getByTestId('statement-export-pdf').click();
  await waitFor(async () => (await saved.textContent())?.startsWith('Saved PDF to '), 'the PDF');
  const pdf = (await saved.textContent())!.replace('Saved PDF to ', '');
  const pages = await pdfPages(pdf);
  assert.ok(pages.every((text) => text.includes('Period: January 2026 (UTC)') && text.includes('Currency: USD')));
  assert.ok(pages.join('\n').includes(`Total (calls booked + messages): ${expected}`));

  assert.equal(findings.length, 0, `serious or critical axe violations:\n${describeFindings(findings)}`);
  assert.deepEqual(problems, []);
});
