// The ledger's schema, as an ordered list of migrations. Each applied migration's SHA-256 is
// stored; opening a ledger whose applied migration text has since been edited is refused
// (an edited migration means the schema on disk is not the one the code believes in).
// Never edit a migration that has shipped: add a new one.
//
// Conventions: times are INTEGER milliseconds since the epoch (UTC); money is INTEGER
// nano-units (1e-9) of the row's `currency`; rates stay the decimal TEXT Telnyx sent.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * The sql rewrites table definitions in sqlite_schema (PRAGMA writable_schema), for changes
   * that leave every stored row valid as it is. migrate() runs it with SQLite's defensive mode
   * off, bumps the schema version and checks the file before the transaction commits.
   */
  readonly editsSchemaText?: true;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial ledger',
    sql: `
CREATE TABLE settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,            -- JSON
  updated_at  INTEGER NOT NULL
);

CREATE TABLE sync_cursors (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Raw stored webhook events, deduplicated by Telnyx's event id (webhook.id).
CREATE TABLE events (
  event_id     TEXT PRIMARY KEY,
  event_type   TEXT NOT NULL,
  occurred_at  INTEGER NOT NULL,
  delivery_id  TEXT,
  payload      TEXT NOT NULL,           -- JSON as received
  received_at  INTEGER NOT NULL,
  applied_at   INTEGER,                 -- NULL until turned into call/message rows
  apply_note   TEXT                     -- why it is still waiting, or what it did
);
CREATE INDEX events_unapplied ON events(occurred_at) WHERE applied_at IS NULL;
CREATE INDEX events_type_time ON events(event_type, occurred_at);

CREATE TABLE calls (
  id               INTEGER PRIMARY KEY,
  call_leg_id      TEXT UNIQUE,
  call_session_id  TEXT,
  call_control_id  TEXT UNIQUE,
  our_number       TEXT NOT NULL,
  other_number     TEXT NOT NULL,
  direction        TEXT NOT NULL CHECK (direction IN ('inbound','outbound')),
  connection_id    TEXT,
  started_at       INTEGER,
  answered_at      INTEGER,
  ended_at         INTEGER,
  call_sec         INTEGER,
  billed_sec       INTEGER,
  hangup_cause     TEXT,
  estimated_nanos  INTEGER,
  estimate_currency TEXT,
  estimate_method  TEXT,                -- human label: how the estimate was made
  estimate_rate    TEXT,                -- decimal per minute used by the estimate
  actual_nanos     INTEGER,
  currency         TEXT,
  rate             TEXT,
  cost_status      TEXT NOT NULL DEFAULT 'open'
                   CHECK (cost_status IN ('open','estimated','exact','not_billable','no_record')),
  cost_source      TEXT CHECK (cost_source IN ('estimate','call_cost_event','detail_record','manual')),
  cost_updated_at  INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (call_leg_id IS NOT NULL OR call_session_id IS NOT NULL)
);
CREATE INDEX calls_session ON calls(call_session_id);
CREATE INDEX calls_number_time ON calls(our_number, started_at);
CREATE INDEX calls_time ON calls(started_at);
CREATE INDEX calls_status ON calls(cost_status, ended_at);
CREATE INDEX calls_other ON calls(other_number);

CREATE TABLE messages (
  id                 TEXT PRIMARY KEY,  -- Telnyx message id = MDR uuid
  our_number         TEXT NOT NULL,
  other_number       TEXT NOT NULL,
  direction          TEXT NOT NULL CHECK (direction IN ('inbound','outbound')),
  message_type       TEXT,
  parts              INTEGER,
  status             TEXT,
  sent_at            INTEGER,
  completed_at       INTEGER,
  cost_nanos         INTEGER,           -- total, carrier fee included
  carrier_fee_nanos  INTEGER,
  currency           TEXT,
  rate               TEXT,
  cost_status        TEXT NOT NULL DEFAULT 'open'
                     CHECK (cost_status IN ('open','exact','not_billable','no_record')),
  cost_source        TEXT CHECK (cost_source IN ('message_sent_event','detail_record','message_finalized_event','manual')),
  cost_updated_at    INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX messages_number_time ON messages(our_number, sent_at);
CREATE INDEX messages_time ON messages(sent_at);

-- Append-only: every change of a booked cost, with where it came from and why.
CREATE TABLE cost_history (
  id           INTEGER PRIMARY KEY,
  call_id      INTEGER REFERENCES calls(id),
  message_id   TEXT REFERENCES messages(id),
  old_nanos    INTEGER,
  new_nanos    INTEGER,
  currency     TEXT,
  old_source   TEXT,
  new_source   TEXT NOT NULL,
  old_status   TEXT,
  new_status   TEXT NOT NULL,
  reason       TEXT NOT NULL,
  detail       TEXT,                    -- JSON: rate, billed seconds, record ids...
  at           INTEGER NOT NULL,
  CHECK ((call_id IS NULL) <> (message_id IS NULL))
);
CREATE INDEX cost_history_call ON cost_history(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX cost_history_message ON cost_history(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX cost_history_at ON cost_history(at);
CREATE TRIGGER cost_history_no_update BEFORE UPDATE ON cost_history
BEGIN SELECT RAISE(ABORT, 'cost_history is append-only'); END;
CREATE TRIGGER cost_history_no_delete BEFORE DELETE ON cost_history
BEGIN SELECT RAISE(ABORT, 'cost_history is append-only'); END;

-- Raw detail records, keyed by their own id within their record type.
CREATE TABLE detail_records (
  record_type  TEXT NOT NULL,           -- call-control | sip-trunking | webrtc | messaging
  record_id    TEXT NOT NULL,           -- id (voice) or uuid (message)
  created_at   INTEGER,
  leg_id       TEXT,
  session_id   TEXT,
  control_id   TEXT,
  cost_nanos   INTEGER,
  currency     TEXT,
  call_id      INTEGER REFERENCES calls(id),
  message_id   TEXT REFERENCES messages(id),
  raw          TEXT NOT NULL,           -- JSON as received, unknown fields kept
  imported_at  INTEGER NOT NULL,
  PRIMARY KEY (record_type, record_id)
);
CREATE INDEX detail_records_call ON detail_records(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX detail_records_time ON detail_records(created_at);

-- Cost-fetch jobs: one per call or message that waits for an exact cost.
CREATE TABLE jobs (
  id                INTEGER PRIMARY KEY,
  kind              TEXT NOT NULL CHECK (kind IN ('call_cost','message_cost')),
  call_id           INTEGER UNIQUE REFERENCES calls(id),
  message_id        TEXT UNIQUE REFERENCES messages(id),
  status            TEXT NOT NULL
                    CHECK (status IN ('pending','running','completed','failed','not_billable','no_record')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_run_at       INTEGER,
  lease_owner       TEXT,
  lease_expires_at  INTEGER,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  completed_at      INTEGER,
  CHECK ((call_id IS NULL) <> (message_id IS NULL))
);
CREATE INDEX jobs_due ON jobs(status, next_run_at);

-- Date-range imports of detail records, resumable page by page.
CREATE TABLE imports (
  id            INTEGER PRIMARY KEY,
  from_ts       INTEGER NOT NULL,
  to_ts         INTEGER NOT NULL,
  record_types  TEXT NOT NULL,          -- JSON array, sorted
  status        TEXT NOT NULL CHECK (status IN ('running','completed','cancelled','failed','interrupted')),
  owner         TEXT,                   -- process that runs it (for crash detection)
  heartbeat_at  INTEGER,
  records       INTEGER NOT NULL DEFAULT 0,
  pages         INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER
);
CREATE TABLE import_types (
  import_id      INTEGER NOT NULL REFERENCES imports(id),
  record_type    TEXT NOT NULL,
  total_pages    INTEGER,
  total_results  INTEGER,
  PRIMARY KEY (import_id, record_type)
) WITHOUT ROWID;
CREATE TABLE import_pages (
  import_id    INTEGER NOT NULL REFERENCES imports(id),
  record_type  TEXT NOT NULL,
  page_number  INTEGER NOT NULL,
  records      INTEGER NOT NULL,
  done_at      INTEGER NOT NULL,
  PRIMARY KEY (import_id, record_type, page_number)
) WITHOUT ROWID;

-- What each sync, import and reconcile pass did (the "log lines a person could grep").
CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,           -- poll | import | reconcile | refetch
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  status       TEXT NOT NULL,           -- running | ok | error | cancelled
  summary      TEXT,                    -- JSON counts
  error        TEXT
);
CREATE INDEX runs_kind_time ON runs(kind, started_at);
`,
  },
  {
    version: 2,
    name: 'indexes for the overview summary and the calls list status filters',
    sql: `
-- The overview's per-number totals (views/summary.ts): every column the sums read, keyed by
-- the grouping columns, so a wide range is one pass over this index in group order (no
-- table reads, no sort of the range's rows).
CREATE INDEX calls_summary ON calls(our_number, currency, estimate_currency, started_at,
  cost_source, cost_status, billed_sec, call_sec, estimated_nanos, actual_nanos);
-- The calls list filtered by a status badge, newest first: estimated calls (pending,
-- failed) in start order without sorting them all (calls_status is ordered by ended_at).
CREATE INDEX calls_status_started ON calls(cost_status, started_at);
`,
  },
  {
    version: 3,
    name: 'hourly and daily call totals per number, a cache recomputed from the calls rows',
    sql: `
-- The overview's sums per (number, UTC hour, currency pair), recomputed from the calls rows of
-- that hour whenever any of them changes (views/call-sums.ts reads it). It is a cache of a
-- query, never a running number: a write marks its hour dirty (the triggers below), the
-- write's own transaction recomputes the dirty hours from the rows before it commits
-- (ledger/call-totals.ts), and a reader treats a still-dirty hour as absent and sums its
-- rows directly. Currencies are '' where the call has none (a key column cannot be NULL).
CREATE TABLE call_hour_totals (
  hour               INTEGER NOT NULL,  -- started_at / 3600000
  our_number         TEXT NOT NULL,
  currency           TEXT NOT NULL,
  estimate_currency  TEXT NOT NULL,
  calls              INTEGER NOT NULL,
  billed_sec         INTEGER NOT NULL,
  estimated_all      INTEGER NOT NULL,  -- every estimate, whatever its currency (the daily chart)
  estimated          INTEGER NOT NULL,  -- estimates in the call's own currency
  exact              INTEGER NOT NULL,
  booked             INTEGER NOT NULL,
  variance           INTEGER NOT NULL,
  variance_base      INTEGER NOT NULL,
  exact_calls        INTEGER NOT NULL,
  pending            INTEGER NOT NULL,  -- calls whose cost job is pending or running
  failed             INTEGER NOT NULL,
  PRIMARY KEY (hour, our_number, currency, estimate_currency)
) WITHOUT ROWID;

-- The same sums per UTC day, from that day's hours: a month's overview reads ~30 rows per
-- number and currency pair instead of ~720.
CREATE TABLE call_day_totals (
  day                INTEGER NOT NULL,  -- started_at / 86400000
  our_number         TEXT NOT NULL,
  currency           TEXT NOT NULL,
  estimate_currency  TEXT NOT NULL,
  calls              INTEGER NOT NULL,
  billed_sec         INTEGER NOT NULL,
  estimated_all      INTEGER NOT NULL,
  estimated          INTEGER NOT NULL,
  exact              INTEGER NOT NULL,
  booked             INTEGER NOT NULL,
  variance           INTEGER NOT NULL,
  variance_base      INTEGER NOT NULL,
  exact_calls        INTEGER NOT NULL,
  pending            INTEGER NOT NULL,
  failed             INTEGER NOT NULL,
  PRIMARY KEY (day, our_number, currency, estimate_currency)
) WITHOUT ROWID;

CREATE TABLE call_hours_dirty (
  our_number  TEXT NOT NULL,
  hour        INTEGER NOT NULL,
  PRIMARY KEY (our_number, hour)
) WITHOUT ROWID;

-- Marking an hour twice is a no-op. NOT EXISTS rather than INSERT OR IGNORE: inside a trigger
-- the conflict policy of an outer upsert replaces the trigger's own, and would fail.
CREATE TRIGGER calls_hour_dirty_insert AFTER INSERT ON calls WHEN NEW.started_at IS NOT NULL
BEGIN
  INSERT INTO call_hours_dirty SELECT NEW.our_number, NEW.started_at / 3600000
    WHERE NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = NEW.our_number AND hour = NEW.started_at / 3600000);
END;
CREATE TRIGGER calls_hour_dirty_delete AFTER DELETE ON calls WHEN OLD.started_at IS NOT NULL
BEGIN
  INSERT INTO call_hours_dirty SELECT OLD.our_number, OLD.started_at / 3600000
    WHERE NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = OLD.our_number AND hour = OLD.started_at / 3600000);
END;
CREATE TRIGGER calls_hour_dirty_update AFTER UPDATE OF our_number, started_at, billed_sec, call_sec,
  estimated_nanos, estimate_currency, actual_nanos, currency, cost_status, cost_source ON calls
BEGIN
  INSERT INTO call_hours_dirty SELECT OLD.our_number, OLD.started_at / 3600000
    WHERE OLD.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = OLD.our_number AND hour = OLD.started_at / 3600000);
  INSERT INTO call_hours_dirty SELECT NEW.our_number, NEW.started_at / 3600000
    WHERE NEW.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = NEW.our_number AND hour = NEW.started_at / 3600000);
END;

-- A job's status feeds its call's pending/failed counts. A fetch attempt flips pending and
-- running, which count the same: only a change of what is counted marks the hour.
CREATE TRIGGER jobs_hour_dirty_insert AFTER INSERT ON jobs WHEN NEW.call_id IS NOT NULL
BEGIN
  INSERT INTO call_hours_dirty SELECT c.our_number, c.started_at / 3600000 FROM calls c
    WHERE c.id = NEW.call_id AND c.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = c.our_number AND d.hour = c.started_at / 3600000);
END;
CREATE TRIGGER jobs_hour_dirty_delete AFTER DELETE ON jobs WHEN OLD.call_id IS NOT NULL
BEGIN
  INSERT INTO call_hours_dirty SELECT c.our_number, c.started_at / 3600000 FROM calls c
    WHERE c.id = OLD.call_id AND c.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = c.our_number AND d.hour = c.started_at / 3600000);
END;
CREATE TRIGGER jobs_hour_dirty_update AFTER UPDATE OF status, call_id ON jobs
  WHEN OLD.call_id IS NOT NEW.call_id
    OR (OLD.status IN ('pending','running')) IS NOT (NEW.status IN ('pending','running'))
    OR (OLD.status = 'failed') IS NOT (NEW.status = 'failed')
BEGIN
  INSERT INTO call_hours_dirty SELECT DISTINCT c.our_number, c.started_at / 3600000 FROM calls c
    WHERE c.id IN (OLD.call_id, NEW.call_id) AND c.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = c.our_number AND d.hour = c.started_at / 3600000);
END;

-- The overview no longer scans calls: its covering index (migration 2) only slowed every write.
DROP INDEX calls_summary;

-- Every hour that has calls starts dirty: the first write transaction after this migration
-- computes them all (ledger/call-totals.ts), and until then readers sum the rows.
INSERT INTO call_hours_dirty SELECT DISTINCT our_number, started_at / 3600000 FROM calls WHERE started_at IS NOT NULL;
`,
  },
  {
    version: 4,
    name: 'drop the unused detail_records time index',
    sql: `
-- Nothing reads detail records by time (they are found by id, call or message), and every
-- imported record paid for this index.
DROP INDEX detail_records_time;
`,
  },
  {
    version: 5,
    name: 'call costs per part: call.cost events linked to their call, record rates, parts still missing',
    sql: `
-- A call.cost event (openapi/spec3.yml #/components/schemas/CallCost) is linked to its call
-- once found, so the call's parts can be combined with its detail records at any later time
-- (costs/parts.ts): a call's exact cost is the sum of its distinct parts, each from its
-- detail record where one matches the call, otherwise from its latest call.cost event.
ALTER TABLE events ADD COLUMN call_id INTEGER REFERENCES calls(id);
CREATE INDEX events_call ON events(call_id, occurred_at) WHERE call_id IS NOT NULL;

-- The rate a detail record states (decimal text as read), so a call priced by records keeps it.
ALTER TABLE detail_records ADD COLUMN rate TEXT;

-- Parts known to belong to the call whose cost is not in yet (JSON array of part names);
-- NULL when none. Such a call is shown "partial", never "exact".
ALTER TABLE calls ADD COLUMN missing_parts TEXT;
`,
  },
  {
    version: 6,
    name: 'why a stored webhook event could not be used',
    sql: `
-- An event that cannot be used (a call.cost with status "error", a payload missing what its
-- type needs, an amount that cannot be read exactly) is kept, marked applied so it is not
-- retried forever, and counted by this reason in the sync status: never dropped in silence.
ALTER TABLE events ADD COLUMN unusable_reason TEXT;
CREATE INDEX events_unusable ON events(unusable_reason) WHERE unusable_reason IS NOT NULL;
`,
  },
  {
    version: 7,
    name: 'cost attribution: billing group, tags, connection, messaging profile, country',
    sql: `
-- What Telnyx sends for splitting costs (../shared/telnyx-api.md "Attribution fields"), as
-- sent: voice records carry billing_group_id/name, connection_id/name, tags, country_code;
-- call.cost carries billing_group_id; MDRs profile_id/name, tags, country_code; message
-- events messaging_profile_id and tags. tags is a JSON array of strings.
ALTER TABLE calls ADD COLUMN billing_group_id TEXT;
ALTER TABLE calls ADD COLUMN billing_group_name TEXT;
ALTER TABLE calls ADD COLUMN connection_name TEXT;
ALTER TABLE calls ADD COLUMN tags TEXT;
ALTER TABLE calls ADD COLUMN country_code TEXT;
ALTER TABLE messages ADD COLUMN messaging_profile_id TEXT;
ALTER TABLE messages ADD COLUMN messaging_profile_name TEXT;
ALTER TABLE messages ADD COLUMN tags TEXT;
ALTER TABLE messages ADD COLUMN country_code TEXT;
`,
  },
  {
    version: 8,
    name: 'imports that completed with problems, and the rows they could not read',
    sql: `
-- An import whose pages all arrived but some of whose rows could not be read (after
-- retries) ends 'completed_with_problems', never 'completed'. SQLite cannot change a CHECK:
-- the table is rebuilt, and the two tables that refer to it with it (dropping a parent that
-- still has children would fail their foreign keys).
CREATE TABLE imports_v5 (
  id            INTEGER PRIMARY KEY,
  from_ts       INTEGER NOT NULL,
  to_ts         INTEGER NOT NULL,
  record_types  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('running','completed','completed_with_problems','cancelled','failed','interrupted')),
  owner         TEXT,
  heartbeat_at  INTEGER,
  records       INTEGER NOT NULL DEFAULT 0,
  pages         INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER
);
INSERT INTO imports_v5 SELECT id, from_ts, to_ts, record_types, status, owner, heartbeat_at, records, pages, error, started_at, finished_at FROM imports;
CREATE TABLE import_types_v5 (
  import_id      INTEGER NOT NULL REFERENCES imports_v5(id),
  record_type    TEXT NOT NULL,
  total_pages    INTEGER,
  total_results  INTEGER,
  PRIMARY KEY (import_id, record_type)
) WITHOUT ROWID;
INSERT INTO import_types_v5 SELECT import_id, record_type, total_pages, total_results FROM import_types;
CREATE TABLE import_pages_v5 (
  import_id    INTEGER NOT NULL REFERENCES imports_v5(id),
  record_type  TEXT NOT NULL,
  page_number  INTEGER NOT NULL,
  records      INTEGER NOT NULL,
  done_at      INTEGER NOT NULL,
  PRIMARY KEY (import_id, record_type, page_number)
) WITHOUT ROWID;
INSERT INTO import_pages_v5 SELECT import_id, record_type, page_number, records, done_at FROM import_pages;
DROP TABLE import_pages;
DROP TABLE import_types;
DROP TABLE imports;
-- Renaming a table rewrites the references to it in the other tables' definitions.
ALTER TABLE imports_v5 RENAME TO imports;
ALTER TABLE import_types_v5 RENAME TO import_types;
ALTER TABLE import_pages_v5 RENAME TO import_pages;

-- Rows of a page that could not be read, kept as received. The page is read again by the
-- next import of the range; a clean reading removes them.
CREATE TABLE import_problems (
  import_id    INTEGER NOT NULL REFERENCES imports(id),
  record_type  TEXT NOT NULL,
  page_number  INTEGER NOT NULL,
  row_index    INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  raw          TEXT NOT NULL,
  seen_at      INTEGER NOT NULL,
  PRIMARY KEY (import_id, record_type, page_number, row_index)
) WITHOUT ROWID;
`,
  },
  {
    // Self-contained (only its own tables, read from calls).
    version: 9,
    name: 'spend alerts: rules, firings, booked spend per number and day',
    sql: `
-- What to watch. scope_number NULL means every number. Amounts are nano-units of currency.
CREATE TABLE alert_rules (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('daily_spend','monthly_spend','call_cost','spend_spike')),
  scope_number    TEXT,
  currency        TEXT NOT NULL,
  threshold_nanos INTEGER,              -- daily_spend, monthly_spend, call_cost, spend_spike (minimum day)
  factor          TEXT,                 -- spend_spike: N times the trailing 7-day average (decimal text)
  enabled         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

-- Each time a rule fired, with what made it fire. The cause names the one fact behind it
-- (a number's day, a month, a call): a rule fires at most once per cause.
CREATE TABLE alert_firings (
  id              INTEGER PRIMARY KEY,
  rule_id         INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
  cause           TEXT NOT NULL,
  our_number      TEXT NOT NULL,
  period          TEXT NOT NULL,        -- YYYY-MM-DD or YYYY-MM
  call_id         INTEGER,
  amount_nanos    INTEGER NOT NULL,     -- what was measured
  currency        TEXT NOT NULL,
  detail          TEXT NOT NULL,        -- JSON: threshold, baseline, what was compared
  fired_at        INTEGER NOT NULL,
  acknowledged_at INTEGER,
  UNIQUE (rule_id, cause)
);
CREATE INDEX alert_firings_open ON alert_firings(acknowledged_at, fired_at);

-- Booked call spend per number, UTC day and currency (exact where known, else the estimate),
-- recomputed from the calls rows of each day a write touched, in the writing transaction.
CREATE TABLE alert_day_spend (
  our_number TEXT NOT NULL,
  day        INTEGER NOT NULL,          -- UTC day number (ms / 86400000)
  currency   TEXT NOT NULL,
  calls      INTEGER NOT NULL,
  booked     INTEGER NOT NULL,
  PRIMARY KEY (our_number, day, currency)
);
INSERT INTO alert_day_spend
  SELECT our_number, started_at / 86400000, CASE WHEN actual_nanos IS NOT NULL THEN currency ELSE estimate_currency END,
         COUNT(*), SUM(COALESCE(actual_nanos, estimated_nanos))
  FROM calls
  WHERE started_at IS NOT NULL AND (actual_nanos IS NOT NULL OR estimated_nanos IS NOT NULL)
    AND (CASE WHEN actual_nanos IS NOT NULL THEN currency ELSE estimate_currency END) IS NOT NULL
  GROUP BY 1, 2, 3;
`,
  },
  {
    // The glossary's word: a call's cost from Telnyx is its exact cost. SQLite (3.25+) rewrites
    // every trigger and index that names the column, so the summary caches keep working.
    version: 10,
    name: 'calls.actual_nanos renamed exact_nanos',
    sql: `ALTER TABLE calls RENAME COLUMN actual_nanos TO exact_nanos;`,
  },
  {
    // Issue 14: alert rules per billing group, tag or destination country (not only per
    // number), and two rule kinds that count calls instead of money. SQLite cannot change a
    // CHECK: both alert tables are rebuilt (as in migration 8), their rows kept.
    version: 11,
    name: 'alert rules per billing group, tag or country; new-country and failed-call rules',
    sql: `
CREATE TABLE alert_rules_v11 (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('daily_spend','monthly_spend','call_cost','spend_spike','new_country','failed_calls')),
  -- What the rule watches: 'all' (each number on its own), one number, or the calls of one
  -- billing group, tag or destination country (calls.billing_group_id, tags, country_code).
  scope_kind      TEXT NOT NULL CHECK (scope_kind IN ('all','number','billing_group','tag','country')),
  scope_value     TEXT,
  currency        TEXT,                 -- the money kinds; NULL for new_country and failed_calls
  threshold_nanos INTEGER,
  factor          TEXT,
  min_calls       INTEGER,              -- failed_calls: this many failed or very short calls in a row
  short_sec       INTEGER,              -- failed_calls: a call that talked fewer seconds counts
  enabled         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK ((scope_kind = 'all') = (scope_value IS NULL))
);
INSERT INTO alert_rules_v11 (id, kind, scope_kind, scope_value, currency, threshold_nanos, factor, enabled, created_at, updated_at)
  SELECT id, kind, CASE WHEN scope_number IS NULL THEN 'all' ELSE 'number' END, scope_number, currency, threshold_nanos, factor, enabled, created_at, updated_at
  FROM alert_rules;

-- our_number is NULL for a firing about a group, tag or country; subject names what fired.
CREATE TABLE alert_firings_v11 (
  id              INTEGER PRIMARY KEY,
  rule_id         INTEGER NOT NULL REFERENCES alert_rules_v11(id) ON DELETE CASCADE,
  cause           TEXT NOT NULL,
  subject         TEXT NOT NULL,        -- "+15551230001", "billing group 42", "tag sales", "country 49"
  our_number      TEXT,
  period          TEXT NOT NULL,
  call_id         INTEGER,
  amount_nanos    INTEGER NOT NULL,     -- what was measured (a count for the counting kinds)
  currency        TEXT,
  detail          TEXT NOT NULL,
  fired_at        INTEGER NOT NULL,
  acknowledged_at INTEGER,
  UNIQUE (rule_id, cause)
);
INSERT INTO alert_firings_v11 (id, rule_id, cause, subject, our_number, period, call_id, amount_nanos, currency, detail, fired_at, acknowledged_at)
  SELECT id, rule_id, cause, our_number, our_number, period, call_id, amount_nanos, currency, detail, fired_at, acknowledged_at FROM alert_firings;
DROP TABLE alert_firings;
DROP TABLE alert_rules;
ALTER TABLE alert_rules_v11 RENAME TO alert_rules;
ALTER TABLE alert_firings_v11 RENAME TO alert_firings;
CREATE INDEX alert_firings_open ON alert_firings(acknowledged_at, fired_at);

-- Booked call spend per UTC day and currency of each group, tag or country some enabled rule
-- watches, recomputed from the calls of each day a write touched (like alert_day_spend).
CREATE TABLE alert_scope_day_spend (
  scope_kind  TEXT NOT NULL,
  scope_value TEXT NOT NULL,
  day         INTEGER NOT NULL,
  currency    TEXT NOT NULL,
  calls       INTEGER NOT NULL,
  booked      INTEGER NOT NULL,
  PRIMARY KEY (scope_kind, scope_value, day, currency)
) WITHOUT ROWID;

-- The first outbound call of each number to each destination country: what new_country
-- compares with. Kept while a new_country rule is enabled, rebuilt when one is added.
CREATE TABLE alert_number_countries (
  our_number    TEXT NOT NULL,
  country_code  TEXT NOT NULL,
  first_at      INTEGER NOT NULL,
  first_call_id INTEGER NOT NULL,
  PRIMARY KEY (our_number, country_code)
) WITHOUT ROWID;
`,
  },
  {
    // Billed feature records (recording, AMD, ...) whose call is not known yet are linked
    // when it arrives (ingest/store-records.ts linkUnlinkedFeatures): finding them must not
    // scan every record the ledger holds.
    version: 12,
    name: 'index of detail records linked to nothing',
    sql: `CREATE INDEX detail_records_unlinked ON detail_records(record_type) WHERE call_id IS NULL AND message_id IS NULL;`,
  },
  {
    // A batch detail-record report per import and record type (ingest/report-import/): where it
    // stands, Telnyx's report id and the path that made it (so cancel and resume poll the same
    // report), the rows already ingested from its CSV (a resumed download skips them), and the
    // window it covers (the pages walk the rest).
    version: 13,
    name: 'import_reports: batch detail-record reports of an import',
    sql: `
CREATE TABLE import_reports (
  import_id     INTEGER NOT NULL REFERENCES imports(id),
  record_type   TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('requested','preparing','downloading','ingesting','done','fallback')),
  report_id     TEXT,
  api_prefix    TEXT,
  covered_from  INTEGER NOT NULL,
  covered_to    INTEGER NOT NULL,
  rows_done     INTEGER NOT NULL DEFAULT 0,
  bytes_done    INTEGER NOT NULL DEFAULT 0,
  total_bytes   INTEGER,
  note          TEXT,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (import_id, record_type)
) WITHOUT ROWID;
`,
  },
  {
    // Issue 13: the overview grouped by attribution, read from caches like the per-number totals.
    version: 14,
    name: 'hourly and daily call totals by attribution, for the grouped overview',
    sql: `
-- The overview grouped by billing group, tag, connection, direction, country or kind
-- (views/groups.ts): the same sums as call_hour_totals / call_day_totals (migration 3), also
-- keyed by the call's attribution. Recomputed from the rows of the same dirty hours, in the
-- same transaction (ledger/call-totals.ts); a reader sums a still-dirty hour's rows itself.
CREATE TABLE call_group_hour_totals (
  hour               INTEGER NOT NULL,
  our_number         TEXT NOT NULL,
  currency           TEXT NOT NULL,
  estimate_currency  TEXT NOT NULL,
  direction          TEXT NOT NULL,
  country            TEXT NOT NULL,     -- country_code as sent ('' when none)
  billing_group      TEXT NOT NULL,     -- billing_group_id, else its name ('' when none)
  connection         TEXT NOT NULL,     -- connection_id, else its name ('' when none)
  tags               TEXT NOT NULL,     -- the call's tags as stored (a JSON array), '' when none
  billing_group_name TEXT,              -- a name seen in the group (labels only)
  connection_name    TEXT,
  calls              INTEGER NOT NULL,
  billed_sec         INTEGER NOT NULL,
  estimated_all      INTEGER NOT NULL,
  estimated          INTEGER NOT NULL,
  exact              INTEGER NOT NULL,
  booked             INTEGER NOT NULL,
  variance           INTEGER NOT NULL,
  variance_base      INTEGER NOT NULL,
  exact_calls        INTEGER NOT NULL,
  pending            INTEGER NOT NULL,
  failed             INTEGER NOT NULL,
  PRIMARY KEY (hour, our_number, currency, estimate_currency, direction, country, billing_group, connection, tags)
) WITHOUT ROWID;

CREATE TABLE call_group_day_totals (
  day                INTEGER NOT NULL,
  our_number         TEXT NOT NULL,
  currency           TEXT NOT NULL,
  estimate_currency  TEXT NOT NULL,
  direction          TEXT NOT NULL,
  country            TEXT NOT NULL,     -- country_code as sent ('' when none)
  billing_group      TEXT NOT NULL,     -- billing_group_id, else its name ('' when none)
  connection         TEXT NOT NULL,     -- connection_id, else its name ('' when none)
  tags               TEXT NOT NULL,     -- the call's tags as stored (a JSON array), '' when none
  billing_group_name TEXT,              -- a name seen in the group (labels only)
  connection_name    TEXT,
  calls              INTEGER NOT NULL,
  billed_sec         INTEGER NOT NULL,
  estimated_all      INTEGER NOT NULL,
  estimated          INTEGER NOT NULL,
  exact              INTEGER NOT NULL,
  booked             INTEGER NOT NULL,
  variance           INTEGER NOT NULL,
  variance_base      INTEGER NOT NULL,
  exact_calls        INTEGER NOT NULL,
  pending            INTEGER NOT NULL,
  failed             INTEGER NOT NULL,
  PRIMARY KEY (day, our_number, currency, estimate_currency, direction, country, billing_group, connection, tags)
) WITHOUT ROWID;

-- A call's attribution (filled in when its detail record arrives) now changes a cached figure:
-- its change marks the hour too.
DROP TRIGGER calls_hour_dirty_update;
CREATE TRIGGER calls_hour_dirty_update AFTER UPDATE OF our_number, started_at, billed_sec, call_sec,
  estimated_nanos, estimate_currency, exact_nanos, currency, cost_status, cost_source,
  direction, country_code, billing_group_id, billing_group_name, connection_id, connection_name, tags ON calls
BEGIN
  INSERT INTO call_hours_dirty SELECT OLD.our_number, OLD.started_at / 3600000
    WHERE OLD.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = OLD.our_number AND hour = OLD.started_at / 3600000);
  INSERT INTO call_hours_dirty SELECT NEW.our_number, NEW.started_at / 3600000
    WHERE NEW.started_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = NEW.our_number AND hour = NEW.started_at / 3600000);
END;

-- Every hour that has calls starts dirty (as in migration 3): the first write transaction
-- computes both caches, and until then readers sum the rows.
INSERT INTO call_hours_dirty SELECT DISTINCT our_number, started_at / 3600000 FROM calls c WHERE started_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM call_hours_dirty d WHERE d.our_number = c.our_number AND d.hour = c.started_at / 3600000);
`,
  },
  {
    // Issue 15: an import's new calls reach the hour/day caches as one summed upsert per chunk
    // (ledger/call-totals.ts addCalls) instead of marking their hours dirty, which made every
    // commit recompute the whole hour of every call it touched (quadratic over a long import).
    version: 15,
    name: 'call inserts can defer their hour marks to a summed upsert (bulk import)',
    sql: `
-- One row while the writing transaction adds new calls' sums itself (set and cleared inside
-- that transaction, so no committed ledger has it: a kill rolls it back with the rows).
CREATE TABLE call_totals_deferred (
  one INTEGER PRIMARY KEY CHECK (one = 1)
);
DROP TRIGGER calls_hour_dirty_insert;
CREATE TRIGGER calls_hour_dirty_insert AFTER INSERT ON calls
  WHEN NEW.started_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_totals_deferred)
BEGIN
  INSERT INTO call_hours_dirty SELECT NEW.our_number, NEW.started_at / 3600000
    WHERE NOT EXISTS (SELECT 1 FROM call_hours_dirty WHERE our_number = NEW.our_number AND hour = NEW.started_at / 3600000);
END;
`,
  },
  {
    // Issue 15: a CHECK (x IN (...)) of more than two values makes SQLite build an ephemeral
    // index of the list at every execution of the statement, so each INSERT or UPDATE of a
    // call paid ~2.5 µs for its two lists (a third of a bare row's cost; measured on 300k
    // inserts, 3.67 -> 1.22 µs a row). The same test spelled as ORs is evaluated in place. The
    // rows are valid under both spellings (the same values pass, NULL passes both), so the
    // definitions are rewritten in place (SQLite's ALTER TABLE documentation, the procedure for
    // changes that leave the stored content as it is) instead of copying every call.
    version: 16,
    name: 'CHECK lists of calls, messages and jobs spelled as ORs',
    editsSchemaText: true,
    sql: `
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (cost_status IN (''open'',''estimated'',''exact'',''not_billable'',''no_record''))',
  'CHECK (cost_status = ''open'' OR cost_status = ''estimated'' OR cost_status = ''exact'' OR cost_status = ''not_billable'' OR cost_status = ''no_record'')')
  WHERE type = 'table' AND name = 'calls';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (cost_source IN (''estimate'',''call_cost_event'',''detail_record'',''manual''))',
  'CHECK (cost_source = ''estimate'' OR cost_source = ''call_cost_event'' OR cost_source = ''detail_record'' OR cost_source = ''manual'')')
  WHERE type = 'table' AND name = 'calls';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (cost_status IN (''open'',''exact'',''not_billable'',''no_record''))',
  'CHECK (cost_status = ''open'' OR cost_status = ''exact'' OR cost_status = ''not_billable'' OR cost_status = ''no_record'')')
  WHERE type = 'table' AND name = 'messages';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (cost_source IN (''message_sent_event'',''detail_record'',''message_finalized_event'',''manual''))',
  'CHECK (cost_source = ''message_sent_event'' OR cost_source = ''detail_record'' OR cost_source = ''message_finalized_event'' OR cost_source = ''manual'')')
  WHERE type = 'table' AND name = 'messages';
UPDATE sqlite_schema SET sql = replace(sql,
  'CHECK (status IN (''pending'',''running'',''completed'',''failed'',''not_billable'',''no_record''))',
  'CHECK (status = ''pending'' OR status = ''running'' OR status = ''completed'' OR status = ''failed'' OR status = ''not_billable'' OR status = ''no_record'')')
  WHERE type = 'table' AND name = 'jobs';
`,
  },
  {
    // Issue 15: a call's leg, control and session ids are random UUIDs, and at a million calls
    // their three indexes outgrow any page cache the write worker can have, so each import
    // commit rewrote about a page per new call per index (the import's limit at 1M: without
    // these three indexes the 1M page import ran 6,036 -> 10,916 records/s). They move to a
    // two-level key table (migration 18). First the two UNIQUE constraints become plain named
    // unique indexes over the same b-trees (SQLite's automatic indexes cannot be dropped, and
    // rebuilding calls would copy every row with the foreign keys that point at it switched
    // off, which a migration inside a transaction cannot do). The stored content is the same:
    // a UNIQUE column's automatic index and CREATE UNIQUE INDEX ON calls(column) hold the same
    // entries; migration 18 drops them.
    version: 17,
    name: 'calls: the leg and control id UNIQUE constraints as named indexes',
    editsSchemaText: true,
    sql: `
-- Both or neither: were the definition spelled otherwise than migration 1 wrote it, nothing
-- here changes, and migration 18, finding no calls_leg_unique to drop, fails and rolls back.
UPDATE sqlite_schema SET sql = replace(replace(sql,
  'call_leg_id      TEXT UNIQUE,', 'call_leg_id      TEXT,'),
  'call_control_id  TEXT UNIQUE,', 'call_control_id  TEXT,')
  WHERE type = 'table' AND name = 'calls'
    AND instr(sql, 'call_leg_id      TEXT UNIQUE,') > 0 AND instr(sql, 'call_control_id  TEXT UNIQUE,') > 0;
UPDATE sqlite_schema SET name = 'calls_leg_unique', sql = 'CREATE UNIQUE INDEX calls_leg_unique ON calls(call_leg_id)'
  WHERE type = 'index' AND name = 'sqlite_autoindex_calls_1' AND tbl_name = 'calls'
    AND NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'calls' AND instr(sql, 'UNIQUE') > 0);
UPDATE sqlite_schema SET name = 'calls_control_unique', sql = 'CREATE UNIQUE INDEX calls_control_unique ON calls(call_control_id)'
  WHERE type = 'index' AND name = 'sqlite_autoindex_calls_2' AND tbl_name = 'calls'
    AND NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'calls' AND instr(sql, 'UNIQUE') > 0);
`,
  },
  {
    // Issue 15, the other half of 17: the ids live in call_keys (kind 0 leg, 1 control, 2
    // session), kept in two levels as an LSM tree keeps them. New keys go to the small
    // call_keys_recent, whose pages stay in the cache, and are merged into call_keys in key
    // order when it grows (ledger/call-keys.ts), so a merge writes each page of the big
    // table once instead of each commit dirtying a page per key. A lookup reads both levels
    // (the view call_key_lookup). Triggers keep the keys with the calls' columns, and keep
    // leg and control ids unique across both levels, as the UNIQUE constraints did.
    version: 18,
    name: "calls' leg, control and session ids in a two-level key table",
    sql: `
DROP INDEX calls_leg_unique;
DROP INDEX calls_control_unique;
DROP INDEX calls_session;
CREATE TABLE call_keys (
  kind    INTEGER NOT NULL CHECK (kind = 0 OR kind = 1 OR kind = 2), -- 0 leg, 1 control, 2 session
  key     TEXT NOT NULL,
  call_id INTEGER NOT NULL,
  PRIMARY KEY (kind, key, call_id)
) WITHOUT ROWID;
CREATE TABLE call_keys_recent (
  kind    INTEGER NOT NULL CHECK (kind = 0 OR kind = 1 OR kind = 2),
  key     TEXT NOT NULL,
  call_id INTEGER NOT NULL,
  PRIMARY KEY (kind, key, call_id)
) WITHOUT ROWID;
INSERT INTO call_keys (kind, key, call_id)
  SELECT 0, call_leg_id, id FROM calls WHERE call_leg_id IS NOT NULL
  UNION ALL SELECT 1, call_control_id, id FROM calls WHERE call_control_id IS NOT NULL
  UNION ALL SELECT 2, call_session_id, id FROM calls WHERE call_session_id IS NOT NULL
  ORDER BY 1, 2, 3;
CREATE VIEW call_key_lookup AS
  SELECT kind, key, call_id FROM call_keys_recent
  UNION ALL SELECT kind, key, call_id FROM call_keys;

-- A leg or control id already some other call's fails the statement before it writes (FAIL,
-- not ABORT: nothing to undo, so no statement journal; the message names the column as the
-- UNIQUE constraint's did).
CREATE TRIGGER calls_ids_unique_insert BEFORE INSERT ON calls
  WHEN NEW.call_leg_id IS NOT NULL OR NEW.call_control_id IS NOT NULL
BEGIN
  SELECT RAISE(FAIL, 'UNIQUE constraint failed: calls.call_leg_id')
    WHERE EXISTS (SELECT 1 FROM call_key_lookup WHERE kind = 0 AND key = NEW.call_leg_id);
  SELECT RAISE(FAIL, 'UNIQUE constraint failed: calls.call_control_id')
    WHERE EXISTS (SELECT 1 FROM call_key_lookup WHERE kind = 1 AND key = NEW.call_control_id);
END;
CREATE TRIGGER calls_ids_unique_update BEFORE UPDATE OF call_leg_id, call_control_id ON calls
  WHEN NEW.call_leg_id IS NOT OLD.call_leg_id OR NEW.call_control_id IS NOT OLD.call_control_id
BEGIN
  SELECT RAISE(FAIL, 'UNIQUE constraint failed: calls.call_leg_id')
    WHERE NEW.call_leg_id IS NOT OLD.call_leg_id
      AND EXISTS (SELECT 1 FROM call_key_lookup WHERE kind = 0 AND key = NEW.call_leg_id AND call_id <> OLD.id);
  SELECT RAISE(FAIL, 'UNIQUE constraint failed: calls.call_control_id')
    WHERE NEW.call_control_id IS NOT OLD.call_control_id
      AND EXISTS (SELECT 1 FROM call_key_lookup WHERE kind = 1 AND key = NEW.call_control_id AND call_id <> OLD.id);
END;
CREATE TRIGGER calls_keys_insert AFTER INSERT ON calls
BEGIN
  INSERT INTO call_keys_recent (kind, key, call_id)
    SELECT 0, NEW.call_leg_id, NEW.id WHERE NEW.call_leg_id IS NOT NULL
    UNION ALL SELECT 1, NEW.call_control_id, NEW.id WHERE NEW.call_control_id IS NOT NULL
    UNION ALL SELECT 2, NEW.call_session_id, NEW.id WHERE NEW.call_session_id IS NOT NULL;
END;
CREATE TRIGGER calls_keys_update AFTER UPDATE OF call_leg_id, call_control_id, call_session_id ON calls
  WHEN NEW.call_leg_id IS NOT OLD.call_leg_id OR NEW.call_control_id IS NOT OLD.call_control_id
    OR NEW.call_session_id IS NOT OLD.call_session_id
BEGIN
  DELETE FROM call_keys_recent WHERE (kind, key, call_id) IN (VALUES (0, OLD.call_leg_id, OLD.id), (1, OLD.call_control_id, OLD.id), (2, OLD.call_session_id, OLD.id));
  DELETE FROM call_keys WHERE (kind, key, call_id) IN (VALUES (0, OLD.call_leg_id, OLD.id), (1, OLD.call_control_id, OLD.id), (2, OLD.call_session_id, OLD.id));
  INSERT INTO call_keys_recent (kind, key, call_id)
    SELECT 0, NEW.call_leg_id, NEW.id WHERE NEW.call_leg_id IS NOT NULL
    UNION ALL SELECT 1, NEW.call_control_id, NEW.id WHERE NEW.call_control_id IS NOT NULL
    UNION ALL SELECT 2, NEW.call_session_id, NEW.id WHERE NEW.call_session_id IS NOT NULL;
END;
CREATE TRIGGER calls_keys_delete AFTER DELETE ON calls
BEGIN
  DELETE FROM call_keys_recent WHERE (kind, key, call_id) IN (VALUES (0, OLD.call_leg_id, OLD.id), (1, OLD.call_control_id, OLD.id), (2, OLD.call_session_id, OLD.id));
  DELETE FROM call_keys WHERE (kind, key, call_id) IN (VALUES (0, OLD.call_leg_id, OLD.id), (1, OLD.call_control_id, OLD.id), (2, OLD.call_session_id, OLD.id));
END;
`,
  },
  {
    // Issue 15: a new call's three keys cost ~16 µs of the bulk path's ~58 a record (write-gap,
    // 100k, the write worker's cache) when each insert adds them at a random place of
    // call_keys_recent (and first probes both levels for a clash). The bulk path already knows
    // its new calls' ids are fresh (its chunk's ids were looked up in both levels at its start,
    // and it tracks the chunk's own), so while it holds the flag row below the two insert
    // triggers stand aside and it adds those calls' keys itself, in key order
    // (ledger/call-keys.ts addFor). The row is set and cleared inside the writing transaction:
    // no committed ledger has it, and a kill rolls it back with the rows.
    version: 19,
    name: "the bulk import adds its new calls' keys itself, in key order",
    sql: `
CREATE TABLE call_keys_deferred (
  one INTEGER PRIMARY KEY CHECK (one = 1)
);
DROP TRIGGER calls_ids_unique_insert;
CREATE TRIGGER calls_ids_unique_insert BEFORE INSERT ON calls
  WHEN (NEW.call_leg_id IS NOT NULL OR NEW.call_control_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM call_keys_deferred)
BEGIN
  SELECT RAISE(FAIL, 'UNIQUE constraint failed: calls.call_leg_id')
    WHERE EXISTS (SELECT 1 FROM call_key_lookup WHERE kind = 0 AND key = NEW.call_leg_id);
  SELECT RAISE(FAIL, 'UNIQUE constraint failed: calls.call_control_id')
    WHERE EXISTS (SELECT 1 FROM call_key_lookup WHERE kind = 1 AND key = NEW.call_control_id);
END;
DROP TRIGGER calls_keys_insert;
CREATE TRIGGER calls_keys_insert AFTER INSERT ON calls
  WHEN NOT EXISTS (SELECT 1 FROM call_keys_deferred)
BEGIN
  INSERT INTO call_keys_recent (kind, key, call_id)
    SELECT 0, NEW.call_leg_id, NEW.id WHERE NEW.call_leg_id IS NOT NULL
    UNION ALL SELECT 1, NEW.call_control_id, NEW.id WHERE NEW.call_control_id IS NOT NULL
    UNION ALL SELECT 2, NEW.call_session_id, NEW.id WHERE NEW.call_session_id IS NOT NULL;
END;
`,
  },
];
