// Cost-fetch jobs: one row per call (or message) that waits for an exact cost. Times live in
// the table, never in timers, so a restart (or a CLI cron on the same file) picks up where
// the last process stopped. Every state change that could race another process is a single
// guarded statement: a claim is one UPDATE ... RETURNING over due rows, and a process only
// finishes a job it still holds the lease of.
import { isExactSource } from './booked.ts';
import type { JobView } from '../../../shared/contract.ts';
import type { JobStatus, MoneyValue } from '../../../shared/domain.ts';
import { formatMoney } from '../../../shared/money.ts';
import type { Db } from './open.ts';
import { toInt, toText } from './rows.ts';

export type JobKind = 'call_cost' | 'message_cost';

export interface Job {
  id: number;
  kind: JobKind;
  callId: number | null;
  messageId: string | null;
  status: JobStatus;
  attempts: number;
  nextRunAt: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export function mapJob(r: Record<string, unknown>): Job {
  return {
    id: toInt(r.id)!,
    kind: r.kind as JobKind,
    callId: toInt(r.call_id),
    messageId: toText(r.message_id),
    status: r.status as JobStatus,
    attempts: toInt(r.attempts) ?? 0,
    nextRunAt: toInt(r.next_run_at),
    leaseOwner: toText(r.lease_owner),
    leaseExpiresAt: toInt(r.lease_expires_at),
    lastError: toText(r.last_error),
    createdAt: toInt(r.created_at)!,
    updatedAt: toInt(r.updated_at)!,
    completedAt: toInt(r.completed_at),
  };
}

/** What a finished attempt writes. */
export interface JobFinish {
  status: Exclude<JobStatus, 'running'>;
  attempts: number;
  nextRunAt: number | null;
  lastError: string | null;
}

const TERMINAL_OK = `('completed','not_billable')`;

// A job with its call's or message's number, ids and amounts (the Jobs screen's rows).
const VIEW_SELECT = `SELECT j.*, c.our_number AS call_number, c.call_leg_id, c.call_session_id, m.our_number AS message_number,
    c.estimated_nanos AS call_estimated_nanos, c.estimate_currency AS call_estimate_currency, c.exact_nanos AS call_exact_nanos,
    c.currency AS call_currency, c.cost_source AS call_cost_source, m.cost_nanos AS message_cost_nanos, m.currency AS message_currency
  FROM jobs j LEFT JOIN calls c ON c.id = j.call_id LEFT JOIN messages m ON m.id = j.message_id`;

/** The named statements over jobs (and the job views' joins). */
function jobStatements(db: Db) {
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const byCall = db.prepare('SELECT * FROM jobs WHERE call_id = ?');
  const byMessage = db.prepare('SELECT * FROM jobs WHERE message_id = ?');
  const insertCall = db.prepare(
    `INSERT INTO jobs (kind, call_id, status, attempts, next_run_at, created_at, updated_at)
     VALUES ('call_cost', ?, 'pending', 0, ?, ?, ?) ON CONFLICT(call_id) DO NOTHING`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO jobs (kind, message_id, status, attempts, next_run_at, created_at, updated_at)
     VALUES ('message_cost', ?, 'pending', 0, ?, ?, ?) ON CONFLICT(message_id) DO NOTHING`,
  );
  // The claim: due pending jobs, failed jobs whose final look is due, and running jobs whose
  // lease ran out (their process died or hung). One statement, so two processes can never
  // both take a row: SQLite runs it under the write lock.
  const claim = db.prepare(
    `UPDATE jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @until, updated_at = @now
     WHERE id IN (
       SELECT id FROM jobs
       WHERE (status IN ('pending','failed') AND next_run_at <= @now)
          OR (status = 'running' AND lease_expires_at <= @now)
       ORDER BY next_run_at, id LIMIT @limit)
     RETURNING *`,
  );
  const claimOne = db.prepare(
    `UPDATE jobs SET status = 'running', lease_owner = @owner, lease_expires_at = @until, updated_at = @now
     WHERE id = @id AND status IN ('pending','failed','no_record')
     RETURNING *`,
  );
  const renew = db.prepare(`UPDATE jobs SET lease_expires_at = @until WHERE lease_owner = @owner AND status = 'running'`);
  // Giving jobs back (stop, auth pause, cancelled pass): nothing was learned, so neither the
  // attempt count nor the due time changes.
  const release = db.prepare(
    `UPDATE jobs SET status = CASE WHEN attempts >= @attemptsForFailed THEN 'failed' ELSE 'pending' END,
       lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE lease_owner = @owner AND status = 'running'`,
  );
  const releaseOne = db.prepare(
    `UPDATE jobs SET status = @status, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE id = @id AND lease_owner = @owner AND status = 'running'`,
  );
  const finish = db.prepare(
    `UPDATE jobs SET status = @status, attempts = @attempts, next_run_at = @nextRunAt, last_error = @lastError,
       lease_owner = NULL, lease_expires_at = NULL, updated_at = @now,
       completed_at = CASE WHEN @status IN ${TERMINAL_OK} THEN @now ELSE completed_at END
     WHERE id = @id AND status = 'running' AND lease_owner = @owner`,
  );
  // Settling a job because its call/message got its cost some other way (a page fetched for
  // other calls, an import, a manual refetch). Refuses a job another live process holds: that
  // process will settle it itself (the cost is already applied, idempotently).
  const settle = db.prepare(
    `UPDATE jobs SET status = @status, next_run_at = NULL, last_error = NULL, lease_owner = NULL,
       lease_expires_at = NULL, updated_at = @now, completed_at = @now
     WHERE id = @id AND status NOT IN ${TERMINAL_OK}
       AND (status <> 'running' OR lease_owner = @owner OR lease_expires_at <= @now OR @force = 1)`,
  );
  const reset = db.prepare(
    `UPDATE jobs SET status = 'pending', attempts = 0, next_run_at = @now, last_error = NULL, completed_at = NULL,
       lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
     WHERE id = @id AND NOT (status = 'running' AND lease_expires_at > @now)`,
  );
  const expireOwner = db.prepare(`UPDATE jobs SET lease_expires_at = 0 WHERE lease_owner = ? AND status = 'running'`);
  const runningOwners = db.prepare(`SELECT DISTINCT lease_owner FROM jobs WHERE status = 'running' AND lease_owner IS NOT NULL`).pluck();
  const counts = db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status');
  const nextDue = db
    .prepare(
      `SELECT MIN(t) FROM (
       SELECT MIN(next_run_at) AS t FROM jobs WHERE status IN ('pending','failed')
       UNION ALL SELECT MIN(lease_expires_at) FROM jobs WHERE status = 'running')`,
    )
    .pluck();

  const openForCalls = db.prepare(`SELECT call_id FROM jobs WHERE call_id IN (SELECT value FROM json_each(?)) AND status NOT IN ${TERMINAL_OK}`).pluck();
  const viewById = db.prepare(`${VIEW_SELECT} WHERE j.id = ?`);
  const viewByCall = db.prepare(`${VIEW_SELECT} WHERE j.call_id = ?`);
  const listAll = db.prepare(`${VIEW_SELECT} ORDER BY j.updated_at DESC, j.id DESC LIMIT ? OFFSET ?`);
  const listByStatus = db.prepare(`${VIEW_SELECT} WHERE j.status = ? ORDER BY j.updated_at DESC, j.id DESC LIMIT ? OFFSET ?`);
  const countAll = db.prepare('SELECT COUNT(*) FROM jobs').pluck();
  const countByStatus = db.prepare('SELECT COUNT(*) FROM jobs WHERE status = ?').pluck();
  return {
    byId,
    byCall,
    byMessage,
    insertCall,
    insertMessage,
    claim,
    claimOne,
    renew,
    release,
    releaseOne,
    finish,
    settle,
    reset,
    expireOwner,
    runningOwners,
    counts,
    nextDue,
    openForCalls,
    viewById,
    viewByCall,
    listAll,
    listByStatus,
    countAll,
    countByStatus,
  };
}

export function jobsRepo(db: Db) {
  const st = jobStatements(db);
  const statementsFor = statusSetStatements(db);

  const one = (row: unknown) => (row ? mapJob(row as Record<string, unknown>) : undefined);
  const many = (rows: unknown[]) => (rows as Record<string, unknown>[]).map(mapJob);

  return {
    get: (id: number) => one(st.byId.get(id)),
    forCall: (callId: number) => one(st.byCall.get(callId)),
    /** Of these calls, those whose job is not done (neither completed nor not billable): a read, no lock. */
    callsWithOpenJobs: (callIds: readonly number[]): number[] => (st.openForCalls.all(JSON.stringify(callIds)) as number[]).map(Number),
    forMessage: (messageId: string) => one(st.byMessage.get(messageId)),

    /** Creates the call's job unless it has one (whatever its state). True when created. */
    ensureForCall(callId: number, nextRunAt: number, now: number): boolean {
      return st.insertCall.run(callId, nextRunAt, now, now).changes === 1;
    },
    ensureForMessage(messageId: string, nextRunAt: number, now: number): boolean {
      return st.insertMessage.run(messageId, nextRunAt, now, now).changes === 1;
    },

    /** Atomically takes up to `limit` due jobs for `owner` until `until`. */
    claimDue(owner: string, now: number, until: number, limit: number): Job[] {
      return many(st.claim.all({ owner, now, until, limit }));
    },
    /** Takes one job that is waiting (pending, failed or no_record) whatever its due time. */
    claim(id: number, owner: string, now: number, until: number): Job | undefined {
      return one(st.claimOne.get({ id, owner, now, until }));
    },
    renew(owner: string, until: number): number {
      return st.renew.run({ owner, until }).changes;
    },
    /** Gives back every job `owner` holds, unchanged (a job out of attempts goes back to failed). */
    release(owner: string, attemptsForFailed: number, now: number): number {
      return st.release.run({ owner, attemptsForFailed, now }).changes;
    },
    releaseOne(id: number, owner: string, status: Exclude<JobStatus, 'running' | 'completed' | 'not_billable'>, now: number): boolean {
      return st.releaseOne.run({ id, owner, status, now }).changes === 1;
    },
    /** Ends an attempt; false when `owner` no longer holds the job (nothing is written). */
    finish(id: number, owner: string, f: JobFinish, now: number): boolean {
      return st.finish.run({ ...f, id, owner, now }).changes === 1;
    },
    /** Marks a job done because its cost is known; false when already done or held by another live owner. */
    settle(id: number, status: 'completed' | 'not_billable', owner: string, now: number, force = false): boolean {
      return st.settle.run({ id, status, owner, now, force: force ? 1 : 0 }).changes === 1;
    },
    /** A person asked to try again: a fresh schedule, due now. False when another process works it. */
    reset(id: number, now: number): boolean {
      return st.reset.run({ id, now }).changes === 1;
    },
    /** Makes a dead owner's leases claimable at once. */
    expireOwner(owner: string): number {
      return st.expireOwner.run(owner).changes;
    },
    runningOwners: () => st.runningOwners.all() as string[],

    countByStatus(): Record<JobStatus, number> {
      const out: Record<JobStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0, not_billable: 0, no_record: 0 };
      for (const r of st.counts.all() as { status: JobStatus; n: number }[]) out[r.status] = Number(r.n);
      return out;
    },
    /** Earliest time something becomes claimable (a due job or an expiring lease), or null. */
    nextDueAt(): number | null {
      const v = st.nextDue.get();
      return v === null || v === undefined ? null : Number(v);
    },

    view: (id: number) => viewOf(st.viewById.get(id)),
    viewForCall: (callId: number) => viewOf(st.viewByCall.get(callId)),
    list(q: { status?: JobStatus | undefined; statuses?: readonly JobStatus[] | undefined; offset: number; limit: number }): {
      rows: JobView[];
      total: number;
    } {
      if (q.statuses) {
        const wanted = q.status ? q.statuses.filter((x) => x === q.status) : q.statuses;
        if (wanted.length === 0) return { rows: [], total: 0 };
        const inSet = statementsFor(wanted);
        const rows = inSet.rows.all([...inSet.set, q.limit, q.offset]) as Record<string, unknown>[];
        return { rows: rows.map((r) => viewOf(r)!), total: Number(inSet.count.get([...inSet.set])) };
      }
      const rows = q.status ? st.listByStatus.all(q.status, q.limit, q.offset) : st.listAll.all(q.limit, q.offset);
      const total = Number(q.status ? st.countByStatus.get(q.status) : st.countAll.get());
      return { rows: (rows as Record<string, unknown>[]).map((r) => viewOf(r)!), total };
    },
  };
}
export type JobsRepo = ReturnType<typeof jobsRepo>;

/** "Any of these statuses": one statement per set asked for (at most 2^6 of them). */
function statusSetStatements(db: Db) {
  const bySet = new Map<string, { rows: ReturnType<Db['prepare']>; count: ReturnType<Db['prepare']> }>();
  return (statuses: readonly JobStatus[]) => {
    const set = [...new Set(statuses)].sort();
    const key = set.join(',');
    let s = bySet.get(key);
    if (!s) {
      const inList = `(${set.map(() => '?').join(', ')})`;
      s = {
        rows: db.prepare(`${VIEW_SELECT} WHERE j.status IN ${inList} ORDER BY j.updated_at DESC, j.id DESC LIMIT ? OFFSET ?`),
        count: db.prepare(`SELECT COUNT(*) FROM jobs WHERE status IN ${inList}`).pluck(),
      };
      bySet.set(key, s);
    }
    return { ...s, set };
  };
}

function viewOf(row: unknown): JobView | undefined {
  if (!row) return undefined;
  const r = row as Record<string, unknown>;
  const j = mapJob(r);
  const subject = j.kind === 'call_cost' ? (toText(r.call_leg_id) ?? toText(r.call_session_id) ?? `call ${j.callId}`) : (j.messageId ?? '');
  return {
    id: j.id,
    kind: j.kind,
    subject,
    callId: j.callId,
    messageId: j.messageId,
    ourNumber: toText(r.call_number) ?? toText(r.message_number),
    status: j.status,
    attempts: j.attempts,
    nextRunAt: j.status === 'pending' || j.status === 'failed' || j.status === 'running' ? j.nextRunAt : null,
    lastError: j.lastError,
    updatedAt: j.updatedAt,
    completedAt: j.completedAt,
    amount: bookedAmount(r, j.kind),
  };
}

/** The subject's booked amount: a call's exact cost when it has one, else its estimate; a message's cost. */
function bookedAmount(r: Record<string, unknown>, kind: JobKind): MoneyValue | null {
  if (kind === 'message_cost') return money(r.message_cost_nanos, r.message_currency);
  return isExactSource(toText(r.call_cost_source)) ? money(r.call_exact_nanos, r.call_currency) : money(r.call_estimated_nanos, r.call_estimate_currency);
}

function money(nanos: unknown, currency: unknown): MoneyValue | null {
  const n = typeof nanos === 'bigint' ? nanos : typeof nanos === 'number' && Number.isSafeInteger(nanos) ? BigInt(nanos) : null;
  const c = toText(currency);
  return n === null || c === null ? null : { amount: formatMoney(n), currency: c };
}
