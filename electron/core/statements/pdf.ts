// The statement as a printable PDF (pdfkit, its built-in Helvetica: no browser needed). Each
// currency starts on its own page, and every page carries the scope, the period and that
// page's currency in its header and "Page n of N" in its footer. Amounts are printed as their
// exact decimal text (formatMoney), never rounded.
import PDFDocument from 'pdfkit';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { formatMoney } from '../../../shared/money.ts';
import { minutesText, variancePct } from './cells.ts';
import type { CurrencySection, Statement } from './model.ts';

type Doc = PDFKit.PDFDocument;
const MARGIN = 40;
const ROW = 15;

interface Column {
  title: string;
  width: number;
  right?: boolean;
}

const CALL_COLUMNS: Column[] = [
  { title: 'Kind', width: 120 },
  { title: 'Calls', width: 50, right: true },
  { title: 'Minutes', width: 60, right: true },
  { title: 'Exact calls', width: 60, right: true },
  { title: 'Estimated calls', width: 75, right: true },
  { title: 'Exact', width: 80, right: true },
  { title: 'Estimated', width: 80, right: true },
  { title: 'Booked', width: 80, right: true },
  { title: 'Variance', width: 80, right: true },
  { title: 'Variance %', width: 60, right: true },
];
const MESSAGE_COLUMNS: Column[] = [
  { title: 'Kind', width: 120 },
  { title: 'Messages', width: 60, right: true },
  { title: 'Parts', width: 50, right: true },
  { title: 'Cost', width: 90, right: true },
  { title: 'Carrier fees', width: 90, right: true },
];
const DESTINATION_COLUMNS: Column[] = [
  { title: 'Destination', width: 120 },
  { title: 'Calls', width: 50, right: true },
  { title: 'Messages', width: 60, right: true },
  { title: 'Minutes', width: 60, right: true },
  { title: 'Booked', width: 90, right: true },
];

const money = (n: bigint) => formatMoney(n);

class Printer {
  currency = '';
  constructor(
    readonly doc: Doc,
    readonly st: Statement,
  ) {
    doc.on('pageAdded', () => this.header());
  }

  header(): void {
    const { doc, st } = this;
    doc.font('Helvetica-Bold').fontSize(9).fillColor('#000');
    doc.text(`Cost Desk statement: ${st.scopeLabel}`, MARGIN, 20, { lineBreak: false });
    const right = `Period: ${st.period.label}   ${this.currency.includes(',') ? 'Currencies' : 'Currency'}: ${this.currency || 'none'}`;
    doc.text(right, doc.page.width - MARGIN - doc.widthOfString(right), 20, { lineBreak: false });
    doc.font('Helvetica').fontSize(9);
    doc.y = 44;
  }

  /** Room for `rows` more rows on this page, else a new page (which gets the header). */
  room(rows: number): void {
    if (this.doc.y + rows * ROW > this.doc.page.height - MARGIN - 20) this.doc.addPage();
  }

  line(text: string, o: { bold?: boolean; size?: number } = {}): void {
    this.room(1);
    const { doc } = this;
    doc.font(o.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(o.size ?? 9);
    const y = doc.y;
    doc.text(text, MARGIN, y, { lineBreak: false });
    doc.y = y + (o.size ? o.size + 8 : ROW);
  }

  row(columns: Column[], cells: string[], bold = false): void {
    this.room(1);
    const { doc } = this;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    const y = doc.y;
    let x = MARGIN;
    columns.forEach((c, i) => {
      const text = cells[i] ?? '';
      // A long exact amount is printed smaller to fit its column, never cut or rounded.
      doc.fontSize(8.5);
      const natural = doc.widthOfString(text);
      if (natural > c.width - 6) doc.fontSize((8.5 * (c.width - 6)) / natural);
      const w = doc.widthOfString(text);
      // On one baseline, whatever the size, so the row reads as one line.
      doc.text(text, c.right ? x + c.width - w - 4 : x, y + 9, { lineBreak: false, baseline: 'alphabetic' });
      x += c.width;
    });
    doc.y = y + ROW;
  }

  table(columns: Column[], rows: string[][], boldLast = false): void {
    this.room(Math.min(rows.length + 1, 4));
    this.row(
      columns,
      columns.map((c) => c.title),
      true,
    );
    rows.forEach((r, i) => this.row(columns, r, boldLast && i === rows.length - 1));
    this.doc.y += 6;
  }
}

function section(p: Printer, s: CurrencySection): void {
  p.line(`${s.currency}: ${p.st.period.label}`, { bold: true, size: 12 });
  p.line('Calls by kind', { bold: true });
  p.table(
    CALL_COLUMNS,
    [...s.calls, s.callsTotal].map((l) => [
      l.kind,
      String(l.calls),
      minutesText(l.billedSec),
      String(l.exactCalls),
      String(l.estimatedCalls),
      money(l.exact),
      money(l.estimated),
      money(l.booked),
      money(l.variance),
      variancePct(l.variance, l.varianceBase) ?? '-',
    ]),
    true,
  );
  p.line('Messages by kind', { bold: true });
  p.table(
    MESSAGE_COLUMNS,
    [...s.messages, s.messagesTotal].map((l) => [l.kind, String(l.messages), String(l.parts), money(l.cost), money(l.carrierFees)]),
    true,
  );
  p.line(`Total (calls booked + messages): ${money(s.total)} ${s.currency}`, { bold: true });
  p.line('Top destinations (outbound, by booked cost)', { bold: true });
  p.table(
    DESTINATION_COLUMNS,
    s.topDestinations.map((d) => [d.destination, String(d.calls), String(d.messages), minutesText(d.billedSec), money(d.booked)]),
  );
}

const CHECK_COLUMNS: Column[] = [
  { title: 'Currency', width: 70 },
  { title: 'Statement exact', width: 110, right: true },
  { title: 'Telnyx usage report', width: 110, right: true },
  { title: 'Difference', width: 110, right: true },
  { title: 'Agrees', width: 60 },
];

/** The check against Telnyx's usage report, when it was asked for. */
function telnyxCheck(p: Printer, st: Statement): void {
  const c = st.telnyxCheck;
  if (!c) return;
  const outcome = c.status === 'matches' ? 'the statement agrees' : c.status === 'differs' ? 'the statement differs' : `not checked: ${c.reason ?? ''}`;
  p.line(`Check against Telnyx's usage report: ${outcome}`, { bold: true });
  if (c.rows.length)
    p.table(
      CHECK_COLUMNS,
      c.rows.map((r) => [r.currency, money(r.statement), money(r.telnyx), money(r.difference), r.matches ? 'yes' : 'no']),
    );
}

export async function writeStatementPdf(st: Statement, file: string): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 44, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: `Cost Desk statement ${st.scopeLabel} ${st.period.month}`, Creator: 'Telnyx Cost Desk' },
  });
  const out = createWriteStream(file);
  doc.pipe(out);
  const p = new Printer(doc, st);
  // The first page sums up every currency the statement has.
  p.currency = st.sections.map((s) => s.currency).join(', ');
  p.header();
  p.line('Cost Desk statement', { bold: true, size: 16 });
  p.line(`Scope: ${st.scopeLabel}`);
  p.line(`Period: ${st.period.label}, ${new Date(st.period.from).toISOString().slice(0, 10)} to ${new Date(st.period.to - 1).toISOString().slice(0, 10)}`);
  p.line(`Generated: ${new Date(st.generatedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC`);
  p.line(`Numbers: ${st.numbers.length ? st.numbers.join(', ') : 'none'}`);
  p.line(`Calls without any cost yet: ${st.unpricedCalls}; messages without a cost yet: ${st.unpricedMessages}`);
  telnyxCheck(p, st);
  if (st.sections.length === 0) p.line('No priced calls or messages in this period.');
  st.sections.forEach((s) => {
    p.currency = s.currency;
    doc.addPage();
    section(p, s);
  });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const label = `Page ${i + 1} of ${range.count}`;
    doc.font('Helvetica').fontSize(8);
    // Below the bottom margin: without this pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    doc.text(label, doc.page.width - MARGIN - doc.widthOfString(label), doc.page.height - 28, { lineBreak: false });
  }
  doc.end();
  await finished(out);
}
