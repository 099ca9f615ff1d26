// `cost-desk status` as text: the core's status.summary, laid out for a terminal or a cron log.
import type { StatusSummary } from '../../shared/contract.ts';

export function statusText(s: StatusSummary): string {
  const counts = (rows: StatusSummary['calls']) => rows.map((c) => `${c.status} ${c.n}`).join(', ') || 'none';
  return [
    `calls:    ${counts(s.calls)}`,
    `messages: ${counts(s.messages)}`,
    `jobs:     ${counts(s.jobs)}`,
    ...(s.callsWithoutJob > 0 ? [`problem:  ${s.callsWithoutJob} ended calls have no exact cost and no job to fetch one (run \`cost-desk reconcile\`)`] : []),
    ...s.importProblems.map(
      (p) => `problem:  import ${p.importId} could not read ${p.rows} rows after retries (kept as received); import the same range again to read them again`,
    ),
    ...(s.unlinkedFeatureRecords > 0
      ? [
          `note:     ${s.unlinkedFeatureRecords} billed-feature records (recording, AMD, ...) name a call this ledger does not have yet: kept, and added to it once its call is imported`,
        ]
      : []),
    '',
    'number            currency  calls  exact  estimated  booked',
    ...s.numbers.map(
      (n) =>
        `${n.number.padEnd(17)} ${String(n.currency ?? '-').padEnd(8)} ${String(n.calls).padStart(6)} ${String(n.exact).padStart(6)} ${String(n.estimated).padStart(10)}  ${n.booked ?? '-'}`,
    ),
  ].join('\n');
}
