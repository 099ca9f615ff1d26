// "Check my Telnyx setup": the account doctor (contract doctor.run, the same checks as
// `cost-desk doctor`), each check with what it means for costs and the fix in the portal.
import { useApi } from '../../app/context.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useAction } from '../../hooks/useAction.ts';

const TONE = { ok: 'ok', warning: 'warn', problem: 'bad' } as const;
const LABEL = { ok: 'OK', warning: 'Warning', problem: 'Problem' } as const;

export function DoctorSection() {
  const api = useApi();
  const { busy, value: report, error, run } = useAction(() => api.call('doctor.run', {}));

  return (
    <section className="card" aria-labelledby="set-doctor-title" data-testid="settings-doctor">
      <h2 id="set-doctor-title">Check my Telnyx setup</h2>
      <p className="muted">Reads your account’s settings with your key: what decides whether Cost Desk can see each cost.</p>
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => void run()} disabled={busy} data-testid="doctor-run">
          {busy ? 'Checking…' : 'Run the checks'}
        </button>
      </div>
      {error && <ErrorNotice error={error} testId="doctor-error" />}
      {report && (
        <ul className="doctor-list" data-testid="doctor-checks">
          {report.checks.map((c) => (
            <li key={c.id} data-status={c.status}>
              <span className={`badge badge-${TONE[c.status]}`}>{LABEL[c.status]}</span> <strong>{c.title}</strong>: {c.detail}
              {c.meaning && <p className="help">What it means: {c.meaning}</p>}
              {c.fix && <p className="help">Fix: {c.fix}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
