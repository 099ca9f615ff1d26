// The single gate between any host and the core: checks the method exists, validates the
// input against the contract, runs it, validates the output, and turns every failure into
// a typed { ok: false, error } — a host never forwards a raw exception (or its stack) out.
import { z } from 'zod';
import { contract, type Method, type Result } from '../../../shared/contract.ts';
import { AppFailure, type CoreApi } from './types.ts';

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export async function dispatch(
  api: CoreApi,
  method: unknown,
  rawInput: unknown,
  onInternalError?: (err: unknown, method: string) => void,
): Promise<Result<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'invalid_input', message: `unknown method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  }
  const spec = contract[method];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }));
    return { ok: false, error: { code: 'invalid_input', message: `${method}: ${z.prettifyError(parsed.error)}`, issues } };
  }
  try {
    const fn = api[method] as (input: unknown) => Promise<unknown>;
    const value = await fn(parsed.data);
    const checked = spec.output.safeParse({ ok: true, value });
    if (!checked.success) {
      onInternalError?.(checked.error, method);
      return { ok: false, error: { code: 'internal', message: `${method} produced an invalid result` } };
    }
    return checked.data as Result<unknown>;
  } catch (err) {
    if (err instanceof AppFailure) return { ok: false, error: err.toAppError() };
    onInternalError?.(err, method);
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
