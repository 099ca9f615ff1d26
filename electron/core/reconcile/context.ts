// What every part of the reconciler shares, and the counts one pass reports.
import type { ProcessCounts } from '../../../shared/contract.ts';
import type { LearnedRates } from '../costs/learned-rates.ts';
import type { Ledger } from '../ledger/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { addFields, type SummableKey } from '../util/add-fields.ts';
import type { Resolved } from './settings.ts';

export interface Ctx {
  ledger: Ledger;
  clock: Clock;
  log: Logger;
  /** "host:pid:random": who holds a claim (and whether that process is still alive). */
  owner: string;
  settings(): Resolved;
  rates: LearnedRates;
  /** Exact costs changed (learned rates go stale; listeners hear about it). */
  costsChanged(): void;
}

export interface PassCounts extends Omit<ProcessCounts, 'nextDueAt'> {
  /** Jobs that ended as no_record this pass (also counted in `failed`). */
  noRecord: number;
  /** Call costs that changed. */
  costsUpdated: number;
}

export function emptyCounts(at: number): PassCounts {
  return { processed: 0, succeeded: 0, failed: 0, retried: 0, notBillable: 0, requests: 0, at, noRecord: 0, costsUpdated: 0 };
}

const SUMMED: readonly SummableKey<PassCounts>[] = ['processed', 'succeeded', 'failed', 'retried', 'notBillable', 'requests', 'noRecord', 'costsUpdated'];

/** Adds a batch's counts into a pass's (all but `at`). */
export function addCounts(into: PassCounts, c: PassCounts): void {
  addFields(into, c, SUMMED);
}
