// The statement as .xlsx (exceljs): a "Statement" sheet with the figures per currency, and
// "Calls" and "Messages" sheets with every row behind them. Numbers are numeric cells, times
// are date cells (UTC), and every amount a double cannot carry exactly also has its exact text.
import ExcelJS from 'exceljs';
import type { Db } from '../ledger/open.ts';
import { exactTextIfNeeded, minutesText, moneyNumber, variancePct } from './cells.ts';
import type { CallLine, CurrencySection, MessageLine, Statement } from './model.ts';
import { statementRows } from '../views/statement-rows.ts';

export const MONEY_FORMAT = '#,##0.00#######';
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

type Sheet = ExcelJS.Worksheet;
type Cell = string | number | Date | null;

/** A row of cells; money columns become a number plus its exact text when one is needed. */
function addRow(sheet: Sheet, cells: Cell[], o: { bold?: boolean; money?: number[] } = {}): void {
  const row = sheet.addRow(cells);
  if (o.bold) row.font = { bold: true };
  for (const col of o.money ?? []) row.getCell(col + 1).numFmt = MONEY_FORMAT;
  row.eachCell((cell) => {
    if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
  });
  row.commit();
}

/** [number, exact text or null] for one amount. */
const money = (nanos: bigint): [number, string | null] => [moneyNumber(nanos), exactTextIfNeeded(nanos)];

export const CALL_HEADER = [
  'Kind',
  'Calls',
  'Billed seconds',
  'Billed minutes',
  'Exact calls',
  'Estimated calls',
  'Exact',
  'Exact (text)',
  'Estimated',
  'Estimated (text)',
  'Booked',
  'Booked (text)',
  'Variance',
  'Variance (text)',
  'Variance %',
];
export const MESSAGE_HEADER = ['Kind', 'Messages', 'Parts', 'Cost', 'Cost (text)', 'Carrier fees', 'Carrier fees (text)'];
export const DESTINATION_HEADER = ['Destination', 'Calls', 'Messages', 'Billed minutes', 'Booked', 'Booked (text)'];

function callCells(l: CallLine): Cell[] {
  return [
    l.kind,
    l.calls,
    l.billedSec,
    Number(minutesText(l.billedSec)),
    l.exactCalls,
    l.estimatedCalls,
    ...money(l.exact),
    ...money(l.estimated),
    ...money(l.booked),
    ...money(l.variance),
    variancePct(l.variance, l.varianceBase),
  ];
}
function messageCells(l: MessageLine): Cell[] {
  return [l.kind, l.messages, l.parts, ...money(l.cost), ...money(l.carrierFees)];
}

function writeSection(sheet: Sheet, s: CurrencySection, label: string): void {
  addRow(sheet, []);
  addRow(sheet, [`${s.currency} · ${label}`], { bold: true });
  addRow(sheet, CALL_HEADER, { bold: true });
  for (const l of [...s.calls, s.callsTotal]) addRow(sheet, callCells(l), { money: [6, 8, 10, 12], bold: l === s.callsTotal });
  addRow(sheet, MESSAGE_HEADER, { bold: true });
  for (const l of [...s.messages, s.messagesTotal]) addRow(sheet, messageCells(l), { money: [3, 5], bold: l === s.messagesTotal });
  addRow(sheet, ['Total (calls booked + messages)', ...money(s.total)], { money: [1], bold: true });
  addRow(sheet, [`Top destinations (outbound, by booked cost)`], { bold: true });
  addRow(sheet, DESTINATION_HEADER, { bold: true });
  for (const d of s.topDestinations) addRow(sheet, [d.destination, d.calls, d.messages, Number(minutesText(d.billedSec)), ...money(d.booked)], { money: [4] });
}

export const CHECK_HEADER = [
  'Currency',
  'Statement exact',
  'Statement exact (text)',
  'Telnyx usage report',
  'Telnyx usage report (text)',
  'Difference',
  'Difference (text)',
  'Agrees',
];

/** The check against Telnyx's usage report, when it was asked for: its outcome and one row per currency. */
function writeTelnyxCheck(sheet: Sheet, st: Statement): void {
  const c = st.telnyxCheck;
  if (!c) return;
  const outcome = c.status === 'matches' ? 'agrees' : c.status === 'differs' ? 'differs' : `not checked: ${c.reason ?? ''}`;
  addRow(sheet, ["Check against Telnyx's usage report", outcome], { bold: true });
  if (c.rows.length === 0) return;
  addRow(sheet, CHECK_HEADER, { bold: true });
  for (const r of c.rows)
    addRow(sheet, [r.currency, ...money(r.statement), ...money(r.telnyx), ...money(r.difference), r.matches ? 'yes' : 'no'], { money: [1, 3, 5] });
}

export async function writeStatementXlsx(db: Db, st: Statement, file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'Telnyx Cost Desk';
  wb.created = new Date(st.generatedAt);
  const sheet = wb.addWorksheet('Statement', {
    headerFooter: { oddHeader: `&LCost Desk statement: ${st.scopeLabel}&R${st.period.label}`, oddFooter: '&RPage &P of &N' },
  });
  sheet.columns = CALL_HEADER.map((_, i) => ({ width: i === 0 ? 34 : 16 }));
  addRow(sheet, ['Cost Desk statement'], { bold: true });
  addRow(sheet, ['Scope', st.scopeLabel]);
  addRow(sheet, ['Period', st.period.label]);
  addRow(sheet, ['From (UTC)', new Date(st.period.from)]);
  addRow(sheet, ['Until (UTC, exclusive)', new Date(st.period.to)]);
  addRow(sheet, ['Generated (UTC)', new Date(st.generatedAt)]);
  addRow(sheet, ['Numbers', st.numbers.join(', ')]);
  addRow(sheet, ['Calls without any cost yet', st.unpricedCalls]);
  addRow(sheet, ['Messages without a cost yet', st.unpricedMessages]);
  writeTelnyxCheck(sheet, st);
  for (const s of st.sections) writeSection(sheet, s, st.period.label);
  sheet.commit();
  writeDetails(wb, db, st);
  await wb.commit();
}

function writeDetails(wb: ExcelJS.stream.xlsx.WorkbookWriter, db: Db, st: Statement): void {
  const rows = statementRows(db, st);
  const amount = (nanos: bigint | null) => (nanos === null ? [null, null] : money(nanos));
  const time = (ms: number | null) => (ms === null ? null : new Date(ms));
  detailSheet(wb.addWorksheet('Calls'), rows.calls(), {
    headers: ['Started (UTC)', 'Our number', 'Other number', 'Direction', 'Billed seconds', 'Booked', 'Booked (text)', 'Currency', 'Cost'],
    widths: [18, 18, 18, 10, 10, 16, 16, 8, 12],
    moneyAt: 5,
    cells: (c) => [time(c.startedAt), c.ourNumber, c.otherNumber, c.direction, c.billedSec, ...amount(c.booked), c.currency, c.status],
  });
  detailSheet(wb.addWorksheet('Messages'), rows.messages(), {
    headers: ['Sent (UTC)', 'Our number', 'Other number', 'Direction', 'Type', 'Parts', 'Cost', 'Cost (text)', 'Currency'],
    widths: [18, 18, 18, 10, 8, 8, 16, 16, 8],
    moneyAt: 6,
    cells: (m) => [time(m.sentAt), m.ourNumber, m.otherNumber, m.direction, m.type, m.parts, ...amount(m.cost), m.currency],
  });
}

/** How a detail sheet lays out its items: headers, column widths, and where the amount's money cell is (its exact text beside it). */
interface DetailLayout<T> {
  headers: Cell[];
  widths: number[];
  moneyAt: number;
  cells: (item: T) => Cell[];
}

/** A sheet of one row per call or message, under a bold header. */
function detailSheet<T>(sheet: Sheet, items: Iterable<T>, layout: DetailLayout<T>): void {
  sheet.columns = layout.widths.map((width) => ({ width }));
  addRow(sheet, layout.headers, { bold: true });
  for (const item of items) addRow(sheet, layout.cells(item), { money: [layout.moneyAt] });
  sheet.commit();
}
