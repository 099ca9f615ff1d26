// `cost-desk status`: what the original design asked people to find with SQL by hand.
import type { Db } from '../core/ledger/open.ts';
import { formatMoney } from '../../shared/money.ts';
import { FEATURE_RECORD_TYPES } from '../../shared/domain.ts';
import { asBig, isOverflow, registerBigSum, withBigSums } from '../core/views/big-sum.ts';

export function statusReport(db: Db) {
  const calls = db.prepare('SELECT cost_status AS status, COUNT(*) AS n FROM calls GROUP BY cost_status ORDER BY 1').all() as { status: string; n: number }[];
  const messages = db.prepare('SELECT cost_status AS status, COUNT(*) AS n FROM messages GROUP BY cost_status ORDER BY 1').all() as { status: string; n: number }[];
  const jobs = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY 1').all() as { status: string; n: number }[];
  const perNumberSql = `SELECT our_number AS number, COALESCE(currency, estimate_currency) AS currency, COUNT(*) AS calls,
         SUM(cost_status = 'exact') AS exact, SUM(cost_status = 'estimated') AS estimated,
         SUM(CASE WHEN cost_source IS NOT NULL AND cost_source <> 'estimate' THEN exact_nanos ELSE estimated_nanos END) AS booked
       FROM calls GROUP BY our_number, 2 ORDER BY 1, 2`;
  type Row = { number: string; currency: string | null; calls: bigint; exact: bigint; estimated: bigint; booked: bigint | string | null };
  let perNumber: Row[];
  try {
    perNumber = db.prepare(perNumberSql).safeIntegers(true).all() as Row[];
  } catch (err) {
    // A sum past int64 (an absurd amount on some number): the exact sum, in a bigint.
    if (!isOverflow(err)) throw err;
    registerBigSum(db);
    perNumber = db.prepare(withBigSums(perNumberSql)).safeIntegers(true).all() as Row[];
  }
  const numbers = perNumber.map((r) => ({
    number: r.number,
    currency: r.currency,
    calls: Number(r.calls),
    exact: Number(r.exact),
    estimated: Number(r.estimated),
    booked: r.booked === null ? null : formatMoney(asBig(r.booked)),
  }));
  // Ended calls still waiting for an exact cost must have a job fetching it; any other is a
  // call nobody will ever price, and is shown as such.
  const withoutJob = Number(
    db
      .prepare(
        `SELECT COUNT(*) FROM calls c WHERE c.cost_status IN ('open','estimated') AND c.ended_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.call_id = c.id AND j.status IN ('pending','running','failed'))`,
      )
      .pluck()
      .get(),
  );
  const problems = db
    .prepare(
      `SELECT i.id AS importId, i.status, COUNT(p.row_index) AS rows FROM imports i JOIN import_problems p ON p.import_id = i.id
        GROUP BY i.id ORDER BY i.id`,
    )
    .all() as { importId: number; status: string; rows: number }[];
  // Billed-feature records (recording, AMD, ...) whose call the ledger does not know: kept, shown.
  const unlinked = Number(
    db.prepare(`SELECT COUNT(*) FROM detail_records WHERE call_id IS NULL AND message_id IS NULL AND record_type IN (${FEATURE_RECORD_TYPES.map(() => '?').join(',')})`).pluck().get(...FEATURE_RECORD_TYPES),
  );
  const lines = [
    `calls:    ${calls.map((c) => `${c.status} ${c.n}`).join(', ') || 'none'}`,
    `messages: ${messages.map((c) => `${c.status} ${c.n}`).join(', ') || 'none'}`,
    `jobs:     ${jobs.map((c) => `${c.status} ${c.n}`).join(', ') || 'none'}`,
    ...(withoutJob > 0 ? [`problem:  ${withoutJob} ended calls have no exact cost and no job to fetch one (run \`cost-desk reconcile\`)`] : []),
    ...problems.map((p) => `problem:  import ${p.importId} could not read ${p.rows} rows after retries (kept as received); import the same range again to read them again`),
    ...(unlinked > 0 ? [`note:     ${unlinked} billed-feature records (recording, AMD, ...) name a call this ledger does not have yet: kept, and added to it once its call is imported`] : []),
    '',
    'number            currency  calls  exact  estimated  booked',
    ...numbers.map((n) => `${n.number.padEnd(17)} ${String(n.currency ?? '-').padEnd(8)} ${String(n.calls).padStart(6)} ${String(n.exact).padStart(6)} ${String(n.estimated).padStart(10)}  ${n.booked ?? '-'}`),
  ];
  return { calls, messages, jobs, callsWithoutJob: withoutJob, importProblems: problems, unlinkedFeatureRecords: unlinked, numbers, text: lines.join('\n') };
}
