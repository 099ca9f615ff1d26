// The reconciler's settings: the user's (rates, retry schedule, settle window, read fresh on
// every use so a change in Settings applies to the next pass) plus tuning knobs with defaults.
import type { RateSettings } from '../../../shared/contract.ts';
import { VOICE_RECORD_TYPES } from '../../../shared/domain.ts';
import type { LearnOptions } from '../costs/learned-rates.ts';
import type { ScheduleSettings } from '../jobs/schedule.ts';
import type { VoiceRecordType } from '../telnyx/index.ts';
import { DEFAULT_READ_RETRY, type ReadRetry } from '../ingest/sources.ts';
import { DEFAULT_JOIN_GAP_MS, DEFAULT_MAX_WINDOW_MS } from './plan.ts';

export interface ReconcileSettings extends ScheduleSettings {
  rates: RateSettings;
  /** Voice record types each window is queried for. Default all three. */
  voiceRecordTypes?: readonly VoiceRecordType[];
  /** Longest detail-records query window (created_at span). Default 6 h. */
  maxWindowMs?: number;
  /** Merge query windows closer than this. Default 30 min. */
  joinGapMs?: number;
  /** Window queries in flight at once. Default 4. */
  concurrency?: number;
  /** Pages fetched ahead within one window query. Default 2. */
  pageConcurrency?: number;
  /** How long a claim holds before another process may take the job. Default 5 min. */
  leaseMs?: number;
  /** Jobs claimed (and planned together) at a time. Default 2000. */
  claimBatch?: number;
  /** Learned rates. */
  learn?: LearnOptions;
  /** How a page with unreadable rows is asked for again (ingest/sources.ts). Default DEFAULT_READ_RETRY. */
  readRetry?: ReadRetry;
  /** The loop never runs two passes closer than this (due jobs gather into one pass). Default 20 s. */
  minPassGapMs?: number;
  /** With nothing due, the loop still looks again after this (another process may add jobs). Default 60 s. */
  idleMs?: number;
}

export type Resolved = Required<Omit<ReconcileSettings, 'learn'>> & { learn: LearnOptions };

export function resolveSettings(s: ReconcileSettings): Resolved {
  const schedule = s.retryScheduleMs.length > 0 ? [...s.retryScheduleMs] : [5_000];
  return {
    rates: s.rates,
    retryScheduleMs: schedule,
    settleWindowMs: s.settleWindowMs,
    unansweredSettleWindowMs: s.unansweredSettleWindowMs ?? Math.min(s.settleWindowMs, 3600_000),
    lookaheadMs: s.lookaheadMs ?? 30 * 60_000,
    marginMs: s.marginMs ?? 2 * 60_000,
    partsGraceMs: s.partsGraceMs ?? 15 * 60_000,
    voiceRecordTypes: s.voiceRecordTypes && s.voiceRecordTypes.length > 0 ? [...new Set(s.voiceRecordTypes)] : [...VOICE_RECORD_TYPES],
    maxWindowMs: s.maxWindowMs ?? DEFAULT_MAX_WINDOW_MS,
    joinGapMs: s.joinGapMs ?? DEFAULT_JOIN_GAP_MS,
    concurrency: Math.max(1, Math.floor(s.concurrency ?? 4)),
    pageConcurrency: Math.max(1, Math.floor(s.pageConcurrency ?? 2)),
    leaseMs: Math.max(1000, s.leaseMs ?? 5 * 60_000),
    claimBatch: Math.max(1, Math.floor(s.claimBatch ?? 2000)),
    learn: s.learn ?? {},
    readRetry: s.readRetry ?? DEFAULT_READ_RETRY,
    minPassGapMs: Math.max(0, s.minPassGapMs ?? 20_000),
    idleMs: Math.max(1000, s.idleMs ?? 60_000),
  };
}
