// A failure as the user should see it: what happened, and what to do about it.
import type { AppError } from '../../shared/contract.ts';
import { useAppState } from '../app/context.ts';
import { errorLine, isNetworkError } from '../lib/error-line.ts';

export function ErrorNotice({ error, testId, compact }: { error: AppError; testId?: string; compact?: boolean }) {
  const { navigate, route } = useAppState();
  const keyProblem = (error.code === 'auth' || error.code === 'no_key') && route !== 'settings';
  return (
    <div className={`notice notice-error${compact ? ' notice-compact' : ''}`} role="alert" data-testid={testId} data-error-code={error.code}>
      {isNetworkError(error) ? (
        // One line, what happened and what to do; the request and cause code on hover.
        <p className="notice-title" title={errorLine(error).detail}>
          {errorLine(error).text}
        </p>
      ) : (
        <>
          <p className="notice-title">{error.message}</p>
          {error.action && <p className="notice-action">What to do: {error.action}</p>}
        </>
      )}
      {keyProblem && (
        <p>
          <button type="button" className="btn btn-link" onClick={() => navigate('settings')}>
            Open Settings
          </button>
        </p>
      )}
    </div>
  );
}
