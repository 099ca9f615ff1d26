// The messages report: one row per message sent (or received) in the range, in time order,
// then one "Total" row per currency. A message's Cost includes its carrier fee (shown apart).
import type { Db } from '../ledger/open.ts';
import { decimal, int, money, text } from './cells.ts';
import { CRLF } from './csv.ts';
import { CurrencyTotals, tagsText, totalledReport } from './totals.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';
import { MESSAGE_REPORT, reportHeaders } from '../views/report-columns.ts';

export const MESSAGE_COLUMNS = reportHeaders(MESSAGE_REPORT);

const COST = 0;
const FEE = 1;

// A row holds MESSAGE_REPORT's expressions in column order (views/report-columns.ts).
function lineWriter(ctx: ReportContext, totals: CurrencyTotals) {
  const time = ctx.time;
  return (r: unknown[]): string => {
    const [, id, sentAt, direction, ours, other, type, parts, status, cost, fee, currency, rate, costStatus, source, profileId, profileName, tags, country] = r;
    const acc = cost === null ? null : totals.of(currency);
    if (acc) {
      acc.rows++;
      acc.sums[COST]!.add(cost);
      acc.sums[FEE]!.add(fee);
    }
    return (
      `Message,${text(id)},${time(sentAt)},${text(direction)},${text(ours)},${text(other)},${text(type)},${int(parts)},` +
      `${text(status)},${money(cost)},${money(fee)},${text(currency)},${decimal(rate)},${text(costStatus)},${text(source)},` +
      `${text(profileId)},${text(profileName)},${text(tagsText(tags))},${text(country)}${CRLF}`
    );
  };
}

function totalLines(totals: CurrencyTotals): string {
  let out = '';
  for (const [currency, acc] of totals.entries()) {
    out += `Total,,,,,,,,,${acc.sums[COST]!.text()},${acc.sums[FEE]!.text()},${text(currency)},,,,,,,${CRLF}`;
  }
  return out;
}

export function messagesPager(db: Db, f: ReportFilter, ctx: ReportContext): ReportPages {
  const totals = new CurrencyTotals(2, COST);
  return totalledReport(db, MESSAGE_REPORT, f, ctx, totals, lineWriter(ctx, totals), () => totalLines(totals));
}
