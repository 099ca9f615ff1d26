// Change events derived from the contract's access declaration (shared/access.ts): after a
// write method runs, the topics it declares are announced once, whether it succeeded or failed
// part-way (a failed write may still have changed something; a needless refresh is cheap).
// No method emits ledger.changed by hand.
import { ACCESS, type Topic } from '../../../shared/access.ts';
import { METHODS, type Method } from '../../../shared/contract.ts';
import type { CoreApi } from './types.ts';

export function withChangeEvents(api: CoreApi, announce: (topics: readonly Topic[]) => void): CoreApi {
  const wrapped: Record<string, unknown> = { ...api };
  for (const method of METHODS) {
    const writes = ACCESS[method].writes;
    if (writes.length === 0) continue;
    const run = api[method] as (input: unknown) => Promise<unknown>;
    wrapped[method] = async (input: unknown) => {
      try {
        return await run(input);
      } finally {
        announce(writes);
      }
    };
  }
  return wrapped as CoreApi;
}

/** The write methods, for tests and docs. */
export const WRITE_METHODS: readonly Method[] = METHODS.filter((m) => ACCESS[m].writes.length > 0);
