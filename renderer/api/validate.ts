// Dev-only: full zod validation of outputs and events against the contract. Loaded with a
// dynamic import guarded by import.meta.env.DEV, so zod never reaches a production bundle.
import { contract, events, type EventName, type Method, type Result } from '../../shared/contract.ts';
import { failure } from './envelope.ts';

export function validateOutput(method: Method, result: Result<unknown>): Result<unknown> {
  const checked = contract[method].output.safeParse(result);
  if (checked.success) return checked.data as Result<unknown>;
  console.error(`[cost-desk] ${method} returned a value that breaks the contract`, checked.error.issues, result);
  return failure('internal', `${method} returned a value that breaks the contract (see the console)`);
}

export function validateEvent(event: EventName, payload: unknown): boolean {
  const checked = events[event].safeParse(payload);
  if (!checked.success) console.error(`[cost-desk] event ${event} breaks the contract`, checked.error.issues, payload);
  return checked.success;
}
