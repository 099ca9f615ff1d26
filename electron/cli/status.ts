// `cost-desk status`: what the original design asked people to find with SQL by hand.
import type { Db } from '../core/ledger/open.ts';
import { formatMoney } from '../../shared/money.ts';

export function statusReport(db: Db) {
  const calls = db.prepare('SELECT cost_status AS status, COUNT(*) AS n FROM calls GROUP BY cost_status ORDER BY 1').all() as { status: string; n: number }[];
  const messages = db.prepare('SELECT cost_status AS status, COUNT(*) AS n FROM messages GROUP BY cost_status ORDER BY 1').all() as { status: string; n: number }[];
  const jobs = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY 1').all() as { status: string; n: number }[];
  const perNumber = db
    .prepare(
      `SELECT our_number AS number, COALESCE(currency, estimate_currency) AS currency, COUNT(*) AS calls,
         SUM(cost_status = 'exact') AS exact, SUM(cost_status = 'estimated') AS estimated,
         SUM(CASE WHEN cost_source IS NOT NULL AND cost_source <> 'estimate' THEN actual_nanos ELSE estimated_nanos END) AS booked
       FROM calls GROUP BY our_number, 2 ORDER BY 1, 2`,
    )
    .safeIntegers(true)
    .all() as { number: string; currency: string | null; calls: bigint; exact: bigint; estimated: bigint; booked: bigint | null }[];
  const numbers = perNumber.map((r) => ({
    number: r.number,
    currency: r.currency,
    calls: Number(r.calls),
    exact: Number(r.exact),
    estimated: Number(r.estimated),
    booked: r.booked === null ? null : formatMoney(r.booked),
  }));
  const lines = [
    `calls:    ${calls.map((c) => `${c.status} ${c.n}`).join(', ') || 'none'}`,
    `messages: ${messages.map((c) => `${c.status} ${c.n}`).join(', ') || 'none'}`,
    `jobs:     ${jobs.map((c) => `${c.status} ${c.n}`).join(', ') || 'none'}`,
    '',
    'number            currency  calls  exact  estimated  booked',
    ...numbers.map((n) => `${n.number.padEnd(17)} ${String(n.currency ?? '-').padEnd(8)} ${String(n.calls).padStart(6)} ${String(n.exact).padStart(6)} ${String(n.estimated).padStart(10)}  ${n.booked ?? '-'}`),
  ];
  return { calls, messages, jobs, numbers, text: lines.join('\n') };
}
