// Monthly statements per number, per billing group or for the whole account: the figures
// (statements.get) and the files (statements.export, .xlsx or .pdf).
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { formatMoney } from '../../../shared/money.ts';
import type { StatementFormat, StatementView } from '../../../shared/data.ts';
import { AppFailure } from '../api/types.ts';
import type { Db } from '../ledger/open.ts';
import { minutesText, variancePct } from './cells.ts';
import type { CallLine, Statement, StatementScope } from './model.ts';
import { monthPeriod } from './period.ts';
import { writeStatementPdf } from './pdf.ts';
import { buildStatement } from './query.ts';
import { writeStatementXlsx } from './xlsx.ts';

export const STATEMENTS_DIR = 'statements';

export interface StatementRequest {
  month: string;
  number?: string;
  billingGroup?: string;
  checkWithTelnyx?: boolean;
}

export function scopeOf(q: StatementRequest): StatementScope {
  if (q.number && q.billingGroup) throw new AppFailure('invalid_input', 'a statement is per number or per billing group, not both');
  if (q.number) return { kind: 'number', number: q.number };
  if (q.billingGroup) return { kind: 'billingGroup', billingGroup: q.billingGroup };
  return { kind: 'all' };
}

export function statementFor(db: Db, q: StatementRequest, now: number): Statement {
  return buildStatement(db, monthPeriod(q.month), scopeOf(q), now);
}

/** The format a file name asks for: .xlsx or .pdf. */
export function formatOfFile(file: string): StatementFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.pdf') return 'pdf';
  throw new AppFailure('invalid_input', `the statement file must end in .xlsx or .pdf, not "${ext || file}"`);
}

export function defaultStatementPath(dataDir: string, st: Statement, format: StatementFormat): string {
  const dir = join(dataDir, STATEMENTS_DIR);
  mkdirSync(dir, { recursive: true });
  const scope =
    st.scope.kind === 'all' ? 'all' : (st.scope.kind === 'number' ? st.scope.number : `group-${st.scope.billingGroup}`).replace(/[^0-9A-Za-z_-]+/g, '');
  const base = `cost-desk-statement-${scope}-${st.period.month}`;
  let file = join(dir, `${base}.${format}`);
  for (let n = 2; existsSync(file); n++) file = join(dir, `${base}-${n}.${format}`);
  return file;
}

/** Writes the file as .partial first, renamed when complete: a half statement is never left. */
export async function writeStatement(db: Db, st: Statement, format: StatementFormat, file: string): Promise<number> {
  if (!isAbsolute(file)) throw new AppFailure('invalid_input', `the statement file must be an absolute path, not "${file}"`);
  if (existsSync(file)) throw new AppFailure('conflict', `${file} already exists; a statement never overwrites a file`, 'Choose a new file name.');
  const partial = `${file}.partial`;
  try {
    if (format === 'xlsx') await writeStatementXlsx(db, st, partial);
    else await writeStatementPdf(st, partial);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return statSync(file).size;
}

function callLineView(l: CallLine) {
  return {
    kind: l.kind,
    calls: l.calls,
    billedSec: l.billedSec,
    minutes: minutesText(l.billedSec),
    exactCalls: l.exactCalls,
    estimatedCalls: l.estimatedCalls,
    exact: formatMoney(l.exact),
    estimated: formatMoney(l.estimated),
    booked: formatMoney(l.booked),
    variance: formatMoney(l.variance),
    variancePct: variancePct(l.variance, l.varianceBase),
  };
}

export function statementView(st: Statement): StatementView {
  const m = (l: { kind: string; messages: number; parts: number; cost: bigint; carrierFees: bigint }) => ({
    kind: l.kind,
    messages: l.messages,
    parts: l.parts,
    cost: formatMoney(l.cost),
    carrierFees: formatMoney(l.carrierFees),
  });
  return {
    month: st.period.month,
    periodLabel: st.period.label,
    from: st.period.from,
    to: st.period.to,
    scopeLabel: st.scopeLabel,
    numbers: st.numbers,
    sections: st.sections.map((s) => ({
      currency: s.currency,
      calls: s.calls.map(callLineView),
      callsTotal: callLineView(s.callsTotal),
      messages: s.messages.map(m),
      messagesTotal: m(s.messagesTotal),
      total: formatMoney(s.total),
      topDestinations: s.topDestinations.map((d) => ({
        destination: d.destination,
        calls: d.calls,
        messages: d.messages,
        minutes: minutesText(d.billedSec),
        booked: formatMoney(d.booked),
      })),
    })),
    unpricedCalls: st.unpricedCalls,
    unpricedMessages: st.unpricedMessages,
    telnyxCheck: st.telnyxCheck && {
      ...st.telnyxCheck,
      rows: st.telnyxCheck.rows.map((r) => ({
        currency: r.currency,
        statement: formatMoney(r.statement),
        telnyx: formatMoney(r.telnyx),
        difference: formatMoney(r.difference),
        matches: r.matches,
      })),
    },
  };
}
