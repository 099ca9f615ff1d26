// "Check against Telnyx" as CSV, through the reports' writer (same quoting, neutralizing and
// exact money): one row per product and currency, then one Total row per currency (the
// products summed; currencies never added). What in the ledger can explain a difference is
// the month's, so its counts stand on every row: each row reads on its own in a spreadsheet.
import { Writable } from 'node:stream';
import type { VerifyReport } from '../../../shared/contract.ts';
import { formatMoney, parseMoney } from '../../../shared/money.ts';
import { int, text } from '../reports/cells.ts';
import { CRLF } from '../reports/csv.ts';
import { writeCsv } from '../reports/csv-writer.ts';
import { arrayPager } from '../reports/pager.ts';
import { withTotalRows } from '../reports/totals.ts';

export const VERIFY_COLUMNS = [
  'Row',
  'Month',
  'Product',
  'Currency',
  'Ledger exact',
  'Telnyx',
  'Difference',
  'Matches',
  'Calls still estimated',
  'Calls without a record',
  'Calls open',
  'Calls partial',
  'Messages without an exact cost',
] as const;

type Line = { row: string; product: string; currency: string; ledger: string; telnyx: string; difference: string; matches: boolean };

function totals(rows: VerifyReport['rows']): Line[] {
  const by = new Map<string, { ledger: bigint; telnyx: bigint }>();
  for (const r of rows) {
    const t = by.get(r.currency) ?? { ledger: 0n, telnyx: 0n };
    t.ledger += parseMoney(r.ledger);
    t.telnyx += parseMoney(r.telnyx);
    by.set(r.currency, t);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, t]) => ({
      row: 'Total',
      product: '',
      currency,
      ledger: formatMoney(t.ledger),
      telnyx: formatMoney(t.telnyx),
      difference: formatMoney(t.ledger - t.telnyx),
      matches: t.ledger === t.telnyx,
    }));
}

/** The report as CSV text (CRLF records, no BOM). */
export async function verifyCsv(report: VerifyReport): Promise<string> {
  const e = report.explain;
  const why = [e.callsEstimated, e.callsNoRecord, e.callsOpen, e.callsPartial, e.messagesWithoutCost].map(int).join(',');
  // Amounts are the report's exact decimal strings: numbers, never neutralized.
  const toLine = (l: Line) =>
    `${l.row},${text(report.month)},${text(l.product)},${text(l.currency)},${l.ledger},${l.telnyx},${l.difference},${l.matches ? 'yes' : 'no'},${why}${CRLF}`;
  const lines = report.rows.map((r): Line => ({ row: 'Product', ...r }));
  const pages = withTotalRows(arrayPager(lines, toLine), true, () => totals(report.rows).map(toLine).join(''));
  let csv = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      csv += chunk.toString('utf8');
      done();
    },
  });
  await writeCsv(out, VERIFY_COLUMNS, pages);
  return csv;
}
