// The ledger at a glance (`cost-desk status`, the status.summary contract method): calls,
// messages and jobs per status, calls nobody will price, imports with unreadable rows, and per
// number and currency how many calls are exact or estimated and what they are booked at.
import type { StatusSummary } from '../../../shared/contract.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { Db } from '../ledger/open.ts';
import { recordsRepo } from '../ledger/records.ts';
import { asBig, isOverflow, registerBigSum, withBigSums } from './big-sum.ts';

type Count = { status: string; n: number };

const PER_NUMBER = `SELECT our_number AS number, COALESCE(currency, estimate_currency) AS currency, COUNT(*) AS calls,
       SUM(cost_status = 'exact') AS exact, SUM(cost_status = 'estimated') AS estimated,
       SUM(CASE WHEN cost_source IS NOT NULL AND cost_source <> 'estimate' THEN exact_nanos ELSE estimated_nanos END) AS booked
     FROM calls GROUP BY our_number, 2 ORDER BY 1, 2`;

type NumberRow = { number: string; currency: string | null; calls: bigint; exact: bigint; estimated: bigint; booked: bigint | string | null };

function perNumber(db: Db): StatusSummary['numbers'] {
  let rows: NumberRow[];
  try {
    rows = db.prepare(PER_NUMBER).safeIntegers(true).all() as NumberRow[];
  } catch (err) {
    // A sum past int64 (an absurd amount on some number): the exact sum, in a bigint.
    if (!isOverflow(err)) throw err;
    registerBigSum(db);
    rows = db.prepare(withBigSums(PER_NUMBER)).safeIntegers(true).all() as NumberRow[];
  }
  return rows.map((r) => ({
    number: r.number,
    currency: r.currency,
    calls: Number(r.calls),
    exact: Number(r.exact),
    estimated: Number(r.estimated),
    booked: r.booked === null ? null : formatMoney(asBig(r.booked)),
  }));
}

export function statusSummary(db: Db): StatusSummary {
  const counts = (sql: string) => db.prepare(sql).all() as Count[];
  // Ended calls still waiting for an exact cost must have a job fetching it; any other is a
  // call nobody will ever price, and is shown as such.
  const callsWithoutJob = Number(
    db
      .prepare(
        `SELECT COUNT(*) FROM calls c WHERE c.cost_status IN ('open','estimated') AND c.ended_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.call_id = c.id AND j.status IN ('pending','running','failed'))`,
      )
      .pluck()
      .get(),
  );
  const importProblems = db
    .prepare(
      `SELECT i.id AS importId, i.status, COUNT(p.row_index) AS rows FROM imports i JOIN import_problems p ON p.import_id = i.id
        GROUP BY i.id ORDER BY i.id`,
    )
    .all() as StatusSummary['importProblems'];
  return {
    calls: counts('SELECT cost_status AS status, COUNT(*) AS n FROM calls GROUP BY cost_status ORDER BY 1'),
    messages: counts('SELECT cost_status AS status, COUNT(*) AS n FROM messages GROUP BY cost_status ORDER BY 1'),
    jobs: counts('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status ORDER BY 1'),
    callsWithoutJob,
    importProblems,
    unlinkedFeatureRecords: recordsRepo(db).unlinkedFeatureCount(),
    numbers: perNumber(db),
  };
}
