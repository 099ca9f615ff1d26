// Rows imports could not read (issue 11, point 1): kept as received by the core, listed
// here beside the cost jobs, because both are "what is still missing". Each import with
// such rows says its range and types and offers to import that range again: the same import
// resumes and reads again only the pages those rows are on (ledger/imports.ts donePages).
import { useState } from 'react';
import type { ImportProblemView, ImportProgress } from '../../shared/contract.ts';
import { ScrollRegion } from '../components/ScrollRegion.tsx';
import { LocalTime } from '../components/LocalTime.tsx';
import { right, TableHead } from '../components/TableHead.tsx';
import { useData } from '../data/context.ts';
import { useQuery } from '../hooks/useQuery.ts';
import { errorText } from '../lib/error-line.ts';
import { intText, rangeText } from '../lib/format.ts';

const LIMIT = 50;

type Outcome = { importId: number; ok: boolean; text: string };

export function ImportProblems() {
  const problems = useQuery('import.problems', { offset: 0, limit: LIMIT });
  const imports = useQuery('import.list', {});
  // Kept here, not in the import's line: the line goes once its rows are read, the answer stays.
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const total = problems.data?.total ?? 0;
  if (total === 0) {
    return outcome ? (
      <p className={`notice ${outcome.ok ? 'notice-ok' : 'notice-error'}`} role="status" data-testid={`problem-import-outcome-${outcome.importId}`}>
        {outcome.text} {outcome.ok ? 'No unreadable rows remain.' : ''}
      </p>
    ) : null;
  }
  const rows = problems.data?.rows ?? [];
  // Every import that kept unreadable rows (the list may hold more than this page names).
  const withProblems = (imports.data?.imports ?? []).filter((i) => i.rejected > 0);
  return (
    <section className="import-problems" aria-labelledby="import-problems-title" data-testid="import-problems">
      <h2 id="import-problems-title" className="section-title">
        Unreadable rows from imports
      </h2>
      <p className="lede" data-testid="import-problems-lede">
        {intText(total)} row{total === 1 ? '' : 's'} Telnyx sent could not be read, even after retries (renamed or missing fields, a billable record without a
        cost, an amount too large to hold). Each is kept exactly as received and counted; nothing in it is booked. Import the range again to read their pages
        again: only those pages are asked for.
      </p>
      <ul className="problem-imports">
        {withProblems.map((i) => (
          <ImportLine key={i.importId} imp={i} outcome={outcome?.importId === i.importId ? outcome : null} onOutcome={setOutcome} />
        ))}
      </ul>
      <ScrollRegion label="Unreadable rows">
        <table className="data-table" data-testid="import-problems-table">
          <caption className="sr-only">Rows imports could not read</caption>
          <TableHead columns={['Import', 'Record type', right('Page'), right('Row'), 'Why it could not be read', 'Seen', 'As received']} />
          <tbody>
            {rows.map((p) => (
              <ProblemRow key={`${p.importId}:${p.recordType}:${p.page}:${p.index}`} p={p} />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {total > rows.length && (
        <p className="muted" data-testid="import-problems-more">
          Showing the first {intText(rows.length)} of {intText(total)} rows; `cost-desk status` counts them all.
        </p>
      )}
    </section>
  );
}

function ProblemRow({ p }: { p: ImportProblemView }) {
  return (
    <tr data-testid={`import-problem-${p.importId}-${p.recordType}-${p.page}-${p.index}`}>
      <th scope="row">{p.importId}</th>
      <td className="mono">{p.recordType}</td>
      <td className="align-right">{p.page}</td>
      <td className="align-right">{p.index + 1}</td>
      <td className="break error-cell" data-col="reason">
        {p.reason}
      </td>
      <td className="nowrap">
        <LocalTime ms={p.seenAt} />
      </td>
      <td className="break">
        <details>
          <summary>Show</summary>
          <pre className="mono raw-row" data-testid="import-problem-raw">
            {p.raw}
          </pre>
        </details>
      </td>
    </tr>
  );
}

function ImportLine({ imp, outcome, onOutcome }: { imp: ImportProgress; outcome: Outcome | null; onOutcome(o: Outcome | null): void }) {
  const data = useData();
  const [busy, setBusy] = useState(false);
  const again = async () => {
    setBusy(true);
    onOutcome(null);
    const res = await data.write('import.start', { range: imp.range, recordTypes: imp.recordTypes });
    setBusy(false);
    onOutcome(
      res.ok
        ? { importId: imp.importId, ok: true, text: `Import ${res.value.importId} is reading those pages again; its progress is on the Import screen.` }
        : { importId: imp.importId, ok: false, text: errorText(res.error) },
    );
  };
  const running = imp.status === 'running';
  return (
    <li className="problem-import" data-testid={`problem-import-${imp.importId}`}>
      <span>
        Import {imp.importId}: {rangeText(imp.range)}, {imp.recordTypes.join(', ')} — {intText(imp.rejected)} row{imp.rejected === 1 ? '' : 's'} could not be
        read ({imp.status.replace(/_/g, ' ')}).
      </span>{' '}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void again()}
        disabled={busy || running}
        data-testid={`problem-import-again-${imp.importId}`}
      >
        {running ? 'Importing…' : 'Import this range again'}
      </button>
      {outcome && (
        <p className={`notice ${outcome.ok ? 'notice-ok' : 'notice-error'}`} role="status" data-testid={`problem-import-outcome-${imp.importId}`}>
          {outcome.text}
        </p>
      )}
    </li>
  );
}
