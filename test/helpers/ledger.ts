// Opening ledgers in tests and comparing them: a table dump is every row of every table in
// primary-key order, so "importing twice changes nothing" is an equality of two dumps.
import Database from 'better-sqlite3';
import { openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { tempLedgerPath } from './temp.ts';

export function openTestLedger(file: string = tempLedgerPath()): Ledger & { file: string } {
  return Object.assign(openLedgerFile(file), { file });
}

/** Import/run bookkeeping: differs between runs by design, excluded from "same ledger" checks. */
export const BOOKKEEPING_TABLES = ['imports', 'import_types', 'import_pages', 'import_problems', 'import_reports', 'runs', 'schema_migrations'];

/** Columns holding "when we wrote it" (wall-clock bookkeeping), not facts from Telnyx. */
export const WRITE_TIME_COLUMNS = [
  'imported_at',
  'updated_at',
  'cost_updated_at',
  'received_at',
  'applied_at',
  'calls.created_at',
  'messages.created_at',
  'cost_history.at',
  'settings.updated_at',
  'sync_cursors.updated_at',
];

export interface DumpOptions {
  excludeTables?: readonly string[];
  /** "column" (any table) or "table.column". */
  excludeColumns?: readonly string[];
}

export type Dump = Record<string, unknown[][]>;

/** Every user table's rows (as arrays, in a stable order), minus the excluded parts. */
export function dumpTables(db: Database.Database, o: DumpOptions = {}): Dump {
  const tables = (
    db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]
  ).filter((t) => !(o.excludeTables ?? []).includes(t));
  const out: Dump = {};
  for (const t of tables) {
    const cols = (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(t) as string[]).filter(
      (c) => !(o.excludeColumns ?? []).includes(c) && !(o.excludeColumns ?? []).includes(`${t}.${c}`),
    );
    const list = cols.map((c) => `"${c}"`).join(', ');
    // Order by every kept column: stable whatever the primary key is.
    const rows = db
      .prepare(`SELECT ${list} FROM "${t}" ORDER BY ${cols.map((_, i) => i + 1).join(', ')}`)
      .raw()
      .safeIntegers()
      .all() as unknown[][];
    out[t] = rows;
  }
  // Which level of the calls' key table a key sits in (ledger/call-keys.ts) is a matter of
  // when the last merge ran, not of what the ledger holds: both levels compare as one list,
  // duplicates kept (a key in both levels would show).
  if (out.call_keys && out.call_keys_recent) {
    out.call_keys = [...out.call_keys, ...out.call_keys_recent].sort(compareRows);
    delete out.call_keys_recent;
  }
  return out;
}

function compareRows(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as bigint | string;
    const y = b[i] as bigint | string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function dumpFile(file: string, o: DumpOptions = {}): Dump {
  const db = new Database(file, { readonly: true });
  try {
    return dumpTables(db, o);
  } finally {
    db.close();
  }
}

/** Row counts per table (for quick "what changed" messages). */
export function rowCounts(d: Dump): Record<string, number> {
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.length]));
}

/** Runs `fn` on a fresh ledger in a temp dir, and closes the ledger however `fn` ends. */
export function withTestLedger<T>(fn: (ledger: Ledger & { file: string }) => T): T {
  const ledger = openTestLedger();
  try {
    return fn(ledger);
  } finally {
    ledger.close();
  }
}

/** The caches of call totals (migrations 9 and 11), recomputable from the calls rows. */
export const CALL_TOTALS_CACHES = ['call_hour_totals', 'call_day_totals', 'call_group_hour_totals', 'call_group_day_totals'];

/**
 * The call totals caches as they are, and as the recomputation from every calls row gives
 * them (every hour marked dirty; the write transaction's commit recomputes them).
 */
export function callTotalsAndTruth(ledger: Ledger): { caches: Dump; truth: Dump } {
  const only = (d: Dump) => Object.fromEntries(CALL_TOTALS_CACHES.map((t) => [t, d[t]!]));
  const caches = only(dumpTables(ledger.db));
  ledger.tx(() => {
    ledger.db.exec(`INSERT INTO call_hours_dirty SELECT DISTINCT our_number, started_at / 3600000 FROM calls c WHERE started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = c.our_number AND d.hour = c.started_at / 3600000)`);
  });
  return { caches, truth: only(dumpTables(ledger.db)) };
}
