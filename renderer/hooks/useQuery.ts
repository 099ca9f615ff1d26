// One contract call as React state, cached by TanStack Query under keyOf(method, input). Keeps
// the previous answer while a new input loads (no flicker); refreshed when the core says a
// topic the method reads was written (data/client.ts). `input` null: nothing is asked.
import { keepPreviousData, useQuery as useTanstackQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { AppError, Input, Method, Output } from '../../shared/contract.ts';
import { appErrorOf, keyOf } from '../data/client.ts';

export interface QueryState<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
  /** `data` is the previous input's answer, kept while this input's loads. */
  previous: boolean;
  reload(): Promise<void>;
}

export function useQuery<M extends Method>(method: M, input: Input<M> | null): QueryState<Output<M>> {
  const q = useTanstackQuery<Output<M>>({
    queryKey: keyOf(method, (input ?? {}) as Input<M>),
    enabled: input !== null,
    placeholderData: keepPreviousData,
  });
  const { refetch } = q;
  const reload = useCallback(async () => void (await refetch()), [refetch]);
  return { data: q.data ?? null, error: appErrorOf(q.error), loading: q.isFetching, previous: q.isPlaceholderData, reload };
}
