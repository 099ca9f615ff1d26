// A contract call a button starts: busy while it runs, then its answer (kept until the next
// one) or its error (cleared by the next answer).
import { useState } from 'react';
import type { AppError, Result } from '../../shared/contract.ts';

export function useAction<T>(call: () => Promise<Result<T>>) {
  const [busy, setBusy] = useState(false);
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const run = async () => {
    setBusy(true);
    const res = await call();
    setBusy(false);
    if (res.ok) {
      setValue(res.value);
      setError(null);
    } else setError(res.error);
  };
  return { busy, value, error, run };
}
