// The ledger's tables reduced to what a new call priced by its detail record writes (calls with
// its 8 index shapes and its AFTER INSERT trigger, detail_records, cost_history, their foreign
// keys), for the benches that time bare rows: index-levers.ts (with its id shapes) and
// write-gap.ts (with its levers).

/** How the random ids (leg, session, control, record id) are stored and indexed. */
export type IdShape = 'text' | 'int' | 'key8' | 'key8-unenforced' | 'uuid16';

/**
 * A UUID's first 16 hex digits as 8 bytes, else the text itself; two ids may share one. The
 * first digits, not the last: Telnyx's leg and session ids are version-1 UUIDs (time first, then
 * the sending host's node id, e.g. 63e33fb6-e29f-11ee-815b-02420a0d0870), whose last 16 digits
 * barely vary; only the simulator's are random throughout.
 */
const key8 = (col: string) => `COALESCE(unhex(substr(replace(${col}, '-', ''), 1, 16)), ${col})`;

/**
 * A canonical UUID (36 characters, lowercase, dashes in place) as its 16 bytes, any other id as
 * its text: one key per id and one id per key (a blob never equals a text), so a UNIQUE index on
 * it is exactly the id's uniqueness.
 */
const uuid16 = (col: string) =>
  `(CASE WHEN length(${col}) = 36 AND substr(${col}, 9, 1) = '-' AND substr(${col}, 14, 1) = '-' AND substr(${col}, 19, 1) = '-' ` +
  `AND substr(${col}, 24, 1) = '-' AND ${col} = lower(${col}) AND length(unhex(${col}, '-')) = 16 THEN unhex(${col}, '-') ELSE ${col} END)`;

/**
 * The ledger's shape for these rows: its indexes, its foreign keys and the AFTER INSERT trigger
 * calls has (both make SQLite keep a statement journal per insert), with the random ids as
 * `ids` says. key8 keeps the ids' uniqueness with BEFORE INSERT triggers probing the key index
 * (the key is not unique); key8-unenforced drops it (an upper bound).
 */
export function bareLedgerSchema(ids: IdShape, o: { statusIndex?: 'all' | 'open'; checks?: boolean } = {}): string {
  const statusIndex = o.statusIndex ?? 'all';
  // calls' two CHECK (... IN (...)) lists of more than two values (write-gap's 'checks' lever).
  const checks = o.checks
    ? `, cost_source TEXT DEFAULT 'detail_record' CHECK (cost_source IN ('estimate','call_cost_event','detail_record','manual')),
  CHECK (cost_status IN ('open','estimated','exact','not_billable','no_record'))`
    : '';
  const type = ids === 'int' ? 'INTEGER' : 'TEXT';
  const plain = ids === 'text' || ids === 'int';
  const keyOf = ids === 'uuid16' ? uuid16 : key8;
  const unique = (table: string, col: string, extra = '') =>
    ids !== 'key8'
      ? ''
      : `CREATE TRIGGER ${table}_${col}_unique BEFORE INSERT ON ${table} WHEN NEW.${col} IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: ${table}.${col}') FROM ${table}
  WHERE ${key8(col)} = ${key8(`NEW.${col}`)} AND ${col} = NEW.${col}${extra}; END;`;
  const keyIndex = (name: string, table: string, cols: string) => `CREATE ${ids === 'uuid16' ? 'UNIQUE ' : ''}INDEX ${name} ON ${table}(${cols});`;
  return `
CREATE TABLE calls (id INTEGER PRIMARY KEY, call_leg_id ${type}${plain ? ' UNIQUE' : ''}, call_session_id ${type},
  call_control_id ${type}${plain ? ' UNIQUE' : ''}, our_number TEXT NOT NULL, other_number TEXT NOT NULL, started_at INTEGER,
  ended_at INTEGER, cost_status TEXT NOT NULL, actual_nanos INTEGER, currency TEXT, rest TEXT${checks});
${plain ? '' : keyIndex('calls_leg_key', 'calls', keyOf('call_leg_id'))}
${plain ? '' : keyIndex('calls_control_key', 'calls', keyOf('call_control_id'))}
CREATE INDEX calls_session ON calls(${plain ? 'call_session_id' : keyOf('call_session_id')});
CREATE INDEX calls_number_time ON calls(our_number, started_at);
CREATE INDEX calls_time ON calls(started_at);
CREATE INDEX calls_status ON calls(cost_status, ended_at)${statusIndex === 'open' ? ` WHERE cost_status IN ('open','estimated')` : ''};
CREATE INDEX calls_other ON calls(other_number);
CREATE INDEX calls_status_started ON calls(cost_status, started_at);
${unique('calls', 'call_leg_id')}
${unique('calls', 'call_control_id')}
CREATE TABLE call_totals_deferred (one INTEGER PRIMARY KEY);
INSERT INTO call_totals_deferred VALUES (1);
CREATE TABLE call_hours_dirty (our_number TEXT NOT NULL, hour INTEGER NOT NULL, PRIMARY KEY (our_number, hour)) WITHOUT ROWID;
CREATE TRIGGER calls_hour_dirty_insert AFTER INSERT ON calls
  WHEN NEW.started_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_totals_deferred)
BEGIN INSERT INTO call_hours_dirty VALUES (NEW.our_number, NEW.started_at / 3600000); END;
CREATE TABLE detail_records (record_type TEXT NOT NULL, record_id ${type} NOT NULL, call_id INTEGER REFERENCES calls(id),
  raw TEXT NOT NULL${plain ? ', PRIMARY KEY (record_type, record_id)' : ''});
${plain ? '' : keyIndex('detail_records_key', 'detail_records', `record_type, ${keyOf('record_id')}`)}
${unique('detail_records', 'record_id', ' AND record_type = NEW.record_type')}
CREATE INDEX detail_records_call ON detail_records(call_id) WHERE call_id IS NOT NULL;
CREATE TABLE cost_history (id INTEGER PRIMARY KEY, call_id INTEGER REFERENCES calls(id), detail TEXT, at INTEGER NOT NULL);
CREATE INDEX cost_history_call ON cost_history(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX cost_history_at ON cost_history(at);`;
}
