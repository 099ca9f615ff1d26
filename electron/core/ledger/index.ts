// The ledger: one SQLite file and the named statements over it, grouped per table.
import { bulkRepo } from './bulk.ts';
import { backlogRepo } from './backlog.ts';
import { callKeysRepo, RECENT_KEYS_LIMIT } from './call-keys.ts';
import { callTotalsRepo } from './call-totals.ts';
import { callsRepo } from './calls.ts';
import { eventsRepo } from './events.ts';
import { historyRepo } from './history.ts';
import { importsRepo } from './imports.ts';
import { jobsRepo } from './jobs.ts';
import { messagesRepo } from './messages.ts';
import { openLedger, readOnlyLedger, type Db, type OpenLedgerOptions } from './open.ts';
import { recordsRepo } from './records.ts';
import { runsRepo } from './runs.ts';
import { settingsRepo } from './settings.ts';

/** (number, UTC day) pairs whose calls a transaction wrote, seen just before it commits. */
export type TouchedDays = ReadonlyArray<{ number: string; day: number }>;

export function createLedger(db: Db) {
  const callTotals = callTotalsRepo(db);
  const callKeys = callKeysRepo(db);
  // Work that must follow every write of calls inside the same transaction (spend alerts).
  const beforeCommit: Array<(touched: TouchedDays) => void> = [];
  const touchedDays = db.prepare('SELECT DISTINCT our_number AS number, hour / 24 AS day FROM call_hours_dirty ORDER BY 1, 2');
  return {
    db,
    calls: callsRepo(db),
    messages: messagesRepo(db),
    events: eventsRepo(db),
    records: recordsRepo(db),
    history: historyRepo(db),
    imports: importsRepo(db),
    jobs: jobsRepo(db),
    runs: runsRepo(db),
    settings: settingsRepo(db),
    callTotals,
    bulk: bulkRepo(db),
    backlog: backlogRepo(db),
    callKeys,
    /**
     * BEGIN IMMEDIATE: takes the write lock up front so two processes never deadlock on upgrade.
     * The outermost transaction recomputes the call totals its writes made stale before it
     * commits, so the cache and the rows it sums change together.
     */
    tx<T>(fn: () => T): T {
      if (db.inTransaction) return db.transaction(fn)();
      try {
        return db
          .transaction(() => {
            callTotals.takeAddedDays(); // left by a transaction that rolled back
            const out = fn();
            // Days of calls marked dirty, and of new calls whose sums were added directly (bulk import).
            const added = callTotals.takeAddedDays();
            const touched = beforeCommit.length ? withDays(touchedDays.all() as Array<{ number: string; day: number }>, added) : [];
            callTotals.refresh();
            if (touched.length) for (const hook of beforeCommit) hook(touched);
            return out;
          })
          .immediate();
      } catch (err) {
        // Nothing was written (the transaction rolled back): say which file refused, and why.
        throw readOnlyLedger(err, db.name) ?? err;
      }
    },
    /**
     * Merges the recent level of the calls' key table into the big one once it holds `limit`
     * keys (its own transaction; nothing when called inside another). Returns the keys moved.
     */
    mergeCallKeysIfDue(limit: number = RECENT_KEYS_LIMIT): number {
      if (db.inTransaction || callKeys.recentCount() < limit) return 0;
      return this.tx(() => callKeys.merge());
    },
    /**
     * One slice of that merge, in its own transaction: the first `keys` recent keys in key
     * order (nothing inside another transaction). Returns the keys moved; fewer than `keys`
     * once the recent level is empty.
     */
    mergeCallKeysSlice(keys: number): number {
      if (db.inTransaction) return 0;
      return this.tx(() => callKeys.mergeSlice(keys));
    },
    /** Runs `hook` at the end of every outermost tx that wrote calls, with the days it touched. */
    onCallsWritten(hook: (touched: TouchedDays) => void): () => void {
      beforeCommit.push(hook);
      return () => void beforeCommit.splice(beforeCommit.indexOf(hook), 1);
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Ledger = ReturnType<typeof createLedger>;

/** The pairs of `a` and of `b`, each once, in (number, day) order (as touchedDays lists them). */
function withDays(a: Array<{ number: string; day: number }>, b: Array<{ number: string; day: number }>): Array<{ number: string; day: number }> {
  if (b.length === 0) return a;
  const byKey = new Map<string, { number: string; day: number }>();
  for (const d of [...a, ...b]) byKey.set(`${d.number}\u0000${d.day}`, d);
  return [...byKey.values()].sort((x, y) => (x.number < y.number ? -1 : x.number > y.number ? 1 : x.day - y.day));
}

export function openLedgerFile(file: string, options?: OpenLedgerOptions): Ledger {
  const ledger = createLedger(openLedger(file, options));
  // Hours left dirty by writes outside ledger.tx (or a fresh migration) are computed now.
  if (!ledger.db.readonly && ledger.callTotals.dirtyHours() > 0) ledger.tx(() => undefined);
  return ledger;
}

export { openLedger, LedgerError, damagedLedger, readOnlyLedger, type Db } from './open.ts';
