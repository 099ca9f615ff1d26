// The calls report: one row per call that started in the range, in start order, then one
// "Total" row per currency. Column names are the UI's words (README glossary): Estimated,
// Exact, Booked, Variance, each beside its own currency column.
import { isExactSource } from '../ledger/booked.ts';
import type { Db } from '../ledger/open.ts';
import { decimal, difference, int, money, nanos, text } from './cells.ts';
import { CRLF } from './csv.ts';
import { CurrencyTotals, tagsText, totalledReport } from './totals.ts';
import type { ReportContext, ReportFilter, ReportPages } from './types.ts';
import { CALL_REPORT, reportHeaders } from '../views/report-columns.ts';

export const CALL_COLUMNS = reportHeaders(CALL_REPORT);

// The summed columns of a Total row, in this order.
const ESTIMATED = 0;
const EXACT = 1;
const BOOKED = 2;
const VARIANCE = 3;

// A row holds CALL_REPORT's expressions in column order (views/report-columns.ts).
function lineWriter(ctx: ReportContext, totals: CurrencyTotals) {
  const time = ctx.time;
  return (r: unknown[]): string => {
    const [
      id,
      startedAt,
      answeredAt,
      endedAt,
      direction,
      ours,
      other,
      callSec,
      billedSec,
      status,
      estimated,
      estimateCurrency,
      method,
      exactNanos,
      currency,
      rate,
      source,
      groupId,
      groupName,
      tags,
      country,
      connectionId,
      connectionName,
      leg,
      session,
      control,
    ] = r;
    // The exact cost is Telnyx's (call.cost event, detail record, manual); an estimate is not.
    const isExact = isExactSource(source as string | null);
    const exact = isExact ? exactNanos : null;
    // Booked: the exact cost where Telnyx's is known, else the estimate (glossary).
    const booked = isExact ? exactNanos : estimated;
    const bookedCurrency = isExact ? currency : estimateCurrency;
    // Variance only within one currency, over the same calls the summary's variance covers.
    const a = nanos(exact);
    const e = nanos(estimated);
    const variance = a !== null && e !== null && estimateCurrency === currency ? difference(a, e) : null;

    if (e !== null) totals.of(estimateCurrency)?.sums[ESTIMATED]!.add(e);
    if (a !== null) totals.of(currency)?.sums[EXACT]!.add(a);
    const bookedAcc = nanos(booked) === null ? null : totals.of(bookedCurrency);
    if (bookedAcc) {
      bookedAcc.rows++;
      bookedAcc.sums[BOOKED]!.add(booked);
    }
    if (variance !== null) totals.of(currency)?.sums[VARIANCE]!.add(variance);

    return (
      `Call,${int(id)},${time(startedAt)},${time(answeredAt)},${time(endedAt)},${text(direction)},${text(ours)},` +
      `${text(other)},${int(callSec)},${int(billedSec)},${text(status)},${money(estimated)},${text(estimateCurrency)},` +
      `${text(method)},${money(exact)},${isExact ? text(currency) : ''},${isExact ? decimal(rate) : ''},${text(source)},` +
      `${money(bookedAcc ? booked : null)},${bookedAcc ? text(bookedCurrency) : ''},${variance === null ? '' : money(variance)},` +
      `${variance === null ? '' : text(currency)},${text(groupId)},${text(groupName)},${text(tagsText(tags))},${text(country)},` +
      `${text(connectionId)},${text(connectionName)},${text(leg)},${text(session)},${text(control)}${CRLF}`
    );
  };
}

/** One Total row per currency: each amount sums its column over the rows whose own currency column is that currency. */
function totalLines(totals: CurrencyTotals): string {
  let out = '';
  for (const [currency, acc] of totals.entries()) {
    const c = text(currency);
    const s = acc.sums;
    const has = (i: number) => (s[i]!.seen ? c : '');
    out +=
      `Total,,,,,,,,,,,${s[ESTIMATED]!.text()},${has(ESTIMATED)},,${s[EXACT]!.text()},${has(EXACT)},,,` +
      `${s[BOOKED]!.text()},${has(BOOKED)},${s[VARIANCE]!.text()},${has(VARIANCE)},,,,,,,,,${CRLF}`;
  }
  return out;
}

export function callsPager(db: Db, f: ReportFilter, ctx: ReportContext): ReportPages {
  const totals = new CurrencyTotals(4, BOOKED);
  return totalledReport(db, CALL_REPORT, f, ctx, totals, lineWriter(ctx, totals), () => totalLines(totals));
}
