// Checks the Result envelope of anything a host hands back. Production builds stop here (the
// core validates its outputs against the contract before they leave); dev builds also run
// the full output schema (validate.ts). Nothing from a host is trusted to be a Result.
import type { AppError, Result } from '../../shared/contract.ts';
import { ERROR_CODES, type ErrorCode, type InputIssue } from '../../shared/errors.ts';

const CODES: ReadonlySet<string> = new Set<string>(ERROR_CODES);

function asIssues(v: unknown): InputIssue[] | null {
  if (!Array.isArray(v)) return null;
  const ok = v.every(
    (i) => isObject(i) && typeof i.message === 'string' && Array.isArray(i.path) && i.path.every((p) => typeof p === 'string' || typeof p === 'number'),
  );
  return ok ? (v as InputIssue[]) : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asAppError(v: unknown): AppError | null {
  if (!isObject(v) || typeof v.message !== 'string' || typeof v.code !== 'string') return null;
  const code = (CODES.has(v.code) ? v.code : 'internal') as ErrorCode;
  const error: AppError = { code, message: v.message };
  if (typeof v.action === 'string' && v.action.length > 0) error.action = v.action;
  const issues = asIssues(v.issues);
  if (issues) error.issues = issues;
  return error;
}

export function failure(code: ErrorCode, message: string, action?: string): { ok: false; error: AppError } {
  return { ok: false, error: action ? { code, message, action } : { code, message } };
}

export function toResult(method: string, raw: unknown): Result<unknown> {
  if (isObject(raw) && raw.ok === true && 'value' in raw && raw.value !== undefined) {
    return { ok: true, value: raw.value };
  }
  if (isObject(raw) && raw.ok === false) {
    const error = asAppError(raw.error);
    if (error) return { ok: false, error };
  }
  return failure(
    'internal',
    `${method}: the host sent an answer the app does not understand`,
    'Restart Cost Desk; if it keeps happening, report it with the log file.',
  );
}
