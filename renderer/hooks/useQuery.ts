// One contract call as React state. Keeps the previous value while reloading (no flicker),
// ignores answers that arrive after a newer request, and reloads when `input` changes.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError, Input, Method, Output } from '../../shared/contract.ts';
import { useApi } from '../app/context.ts';

export interface QueryState<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
  reload(): Promise<void>;
}

export function useQuery<M extends Method>(method: M, input: Input<M> | null): QueryState<Output<M>> {
  const api = useApi();
  const key = input === null ? null : JSON.stringify(input);
  const [data, setData] = useState<Output<M> | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(key !== null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    if (key === null) return;
    const mine = ++seq.current;
    setLoading(true);
    const res = await api.call(method, JSON.parse(key) as Input<M>);
    if (mine !== seq.current) return;
    if (res.ok) {
      setData(res.value);
      setError(null);
    } else {
      setError(res.error);
    }
    setLoading(false);
  }, [api, method, key]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}
