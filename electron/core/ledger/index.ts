// The ledger: one SQLite file and the named statements over it, grouped per table.
import { callsRepo } from './calls.ts';
import { eventsRepo } from './events.ts';
import { historyRepo } from './history.ts';
import { importsRepo } from './imports.ts';
import { jobsRepo } from './jobs.ts';
import { messagesRepo } from './messages.ts';
import { openLedger, type Db, type OpenLedgerOptions } from './open.ts';
import { recordsRepo } from './records.ts';
import { runsRepo } from './runs.ts';
import { settingsRepo } from './settings.ts';

export function createLedger(db: Db) {
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
    /** BEGIN IMMEDIATE: takes the write lock up front so two processes never deadlock on upgrade. */
    tx<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Ledger = ReturnType<typeof createLedger>;

export function openLedgerFile(file: string, options?: OpenLedgerOptions): Ledger {
  return createLedger(openLedger(file, options));
}

export { openLedger, LedgerError, type Db } from './open.ts';
