// What the fetcher looks for besides due jobs: calls that ended without a cost booked yet
// (adopted: estimated, given a job), and failed / no-record jobs inside a range (the sweep).
import type { Db } from './open.ts';

export function backlogRepo(db: Db) {
  const openEnded = db.prepare(`SELECT id FROM calls WHERE cost_status = 'open' AND ended_at IS NOT NULL ORDER BY ended_at, id LIMIT ?`).pluck();
  const openEndedIn = db.prepare(`SELECT id FROM calls WHERE cost_status = 'open' AND ended_at >= ? AND ended_at < ? ORDER BY ended_at, id`).pluck();
  const retryable = db
    .prepare(
      `SELECT j.id FROM jobs j JOIN calls c ON c.id = j.call_id
         WHERE j.status IN ('failed','no_record') AND c.ended_at >= @from AND c.ended_at < @to
       UNION ALL
       SELECT j.id FROM jobs j JOIN messages m ON m.id = j.message_id
         WHERE j.status IN ('failed','no_record') AND COALESCE(m.completed_at, m.sent_at) >= @from AND COALESCE(m.completed_at, m.sent_at) < @to`,
    )
    .pluck();
  return {
    /** Up to `limit` ended calls still 'open' (no estimate, no job), oldest hangup first. */
    openEndedCalls: (limit: number) => openEnded.all(limit) as number[],
    /** Every ended call still 'open' whose hangup is in [from, to). */
    openEndedCallsIn: (from: number, to: number) => openEndedIn.all(from, to) as number[],
    /** Failed and no-record jobs of calls that ended (messages completed) in [from, to). */
    retryableJobsIn: (from: number, to: number) => retryable.all({ from, to }) as number[],
  };
}
export type BacklogRepo = ReturnType<typeof backlogRepo>;
