// A write method, called from a screen: the answer as a Result, and the queries that read
// what it wrote invalidated once (data/client.ts).
import { useMutation } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Input, Method, Output, Result } from '../../shared/contract.ts';
import { useData } from '../data/context.ts';

export function useWrite<M extends Method>(method: M): { run(input: Input<M>): Promise<Result<Output<M>>>; running: boolean } {
  const data = useData();
  const m = useMutation({ mutationFn: (input: Input<M>) => data.write(method, input) });
  const { mutateAsync } = m;
  const run = useCallback((input: Input<M>) => mutateAsync(input), [mutateAsync]);
  return { run, running: m.isPending };
}
