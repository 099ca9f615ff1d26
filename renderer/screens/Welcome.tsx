// First run (mode 'unconfigured'): explore demo data, or go and enter an API key.
import { useState } from 'react';
import type { AppError } from '../../shared/contract.ts';
import { useAppState } from '../app/context.ts';
import { useData } from '../data/context.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

export function Welcome() {
  const data = useData();
  const { setInfo, navigate } = useAppState();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const startDemo = async () => {
    setBusy(true);
    setError(null);
    // Everything else shown is refreshed by the data layer (demo.start writes every topic).
    const res = await data.write('demo.start', {});
    setBusy(false);
    if (res.ok) setInfo(res.value);
    else setError(res.error);
  };

  return (
    <section className="screen welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h1 id="welcome-title" tabIndex={-1}>
        Welcome to Telnyx Cost Desk
      </h1>
      <p className="lede">
        See what every Telnyx call and SMS really cost. Cost Desk books an estimate when a call ends, then replaces it with the exact cost from Telnyx’s detail
        records as soon as they appear.
      </p>
      <div className="welcome-choices">
        <div className="card">
          <h2>Look around first</h2>
          <p>Load a generated month of calls and messages. Nothing is sent to Telnyx, and everything is marked as demo data.</p>
          <button type="button" className="btn btn-primary" onClick={startDemo} disabled={busy} data-testid="demo-start">
            {busy ? 'Starting demo…' : 'Explore with demo data'}
          </button>
        </div>
        <div className="card">
          <h2>Use your account</h2>
          <p>Enter a Telnyx API key (v2). It is stored on this computer only and never shown again in full.</p>
          <button type="button" className="btn" onClick={() => navigate('settings')} data-testid="welcome-enter-key">
            Enter API key
          </button>
        </div>
      </div>
      {error && <ErrorNotice error={error} testId="demo-error" />}
    </section>
  );
}
