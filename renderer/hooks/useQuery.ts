// One contract call as React state. Keeps the previous value while reloading (no flicker),
// ignores answers that arrive after a newer request, and reloads when `input` changes. An
// answer the boot module prefetched (and that has arrived) is the first render's state.
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
  const [first] = useState(() => (key === null ? undefined : api.peek(method, JSON.parse(key) as Input<M>)));
  const [data, setData] = useState<Output<M> | null>(first?.ok ? first.value : null);
  const [error, setError] = useState<AppError | null>(first && !first.ok ? first.error : null);
  const [loading, setLoading] = useState(key !== null && !first);
  const seq = useRef(0);
  // The key the first state already answers: the mount effect need not ask again.
  const answered = useRef(first ? key : null);

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
    if (answered.current !== null && answered.current === key) {
      answered.current = null;
      return;
    }
    void reload();
  }, [reload, key]);

  return { data, error, loading, reload };
}
