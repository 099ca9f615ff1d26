// SQLite's raw insert rate on this machine, for comparison with the importer: 1,000,000 rows
// of a detail_records-like table (same columns, primary key and indexes, a ~600-byte JSON
// `raw`) in ONE transaction through one prepared statement, with the ledger's pragmas.
// Prints rows/s per run and the median of 3. No assertions.
//   node --import tsx test/bench/sqlite-raw.ts [--rows 1000000] [--runs 3] [--no-indexes]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    'no-indexes': { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);

const SCHEMA = `
CREATE TABLE detail_records (
  record_type  TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  created_at   INTEGER,
  leg_id       TEXT,
  session_id   TEXT,
  control_id   TEXT,
  cost_nanos   INTEGER,
  currency     TEXT,
  call_id      INTEGER,
  message_id   TEXT,
  raw          TEXT NOT NULL,
  imported_at  INTEGER NOT NULL,
  PRIMARY KEY (record_type, record_id)
);`;
const INDEXES = `
CREATE INDEX detail_records_leg ON detail_records(leg_id) WHERE leg_id IS NOT NULL;
CREATE INDEX detail_records_session ON detail_records(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX detail_records_call ON detail_records(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX detail_records_time ON detail_records(created_at);`;

/** A UUID-looking id from a counter (random-ish order, like real ids in a B-tree). */
function uuid(i: number, salt: number): string {
  let h = (Math.imul(i ^ salt, 0x9e3779b1) ^ (i >>> 7)) >>> 0;
  const parts: string[] = [];
  for (let k = 0; k < 4; k++) {
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
    parts.push(h.toString(16).padStart(8, '0'));
  }
  const s = parts.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function runOnce(): { secs: number; rate: number; mb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'cost-desk-sqlite-'));
  const file = join(dir, 'raw.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.exec(SCHEMA);
    if (!values['no-indexes']) db.exec(INDEXES);
    const insert = db.prepare(
      `INSERT INTO detail_records (record_type, record_id, created_at, leg_id, session_id, control_id, cost_nanos, currency, call_id, message_id, raw, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    const t0 = Date.UTC(2026, 0, 1);
    const start = performance.now();
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const id = uuid(i, 1);
        const leg = uuid(i, 2);
        const session = uuid(i, 3);
        const created = t0 + i * 1200;
        const raw = `{"record_type":"call_control_detail_record","id":"${id}","telnyx_leg_id":"${leg}","telnyx_session_id":"${session}","telnyx_call_control_id":"v3:${session}","cli":"+15551234${String(i % 1000).padStart(3, '0')}","cld":"+12125550${String(i % 1000).padStart(3, '0')}","direction":"outbound","billing_group_id":null,"country_code":"1","tags":"","started_at":"2026-01-01T00:00:00Z","finished_at":"2026-01-01T00:03:00Z","call_sec":${i % 900},"billed_sec":${(i % 15) * 60},"rate":"0.009","cost":"0.0180","currency":"USD","connection_id":"1234567890123456789","created_at":"2026-01-01T00:04:00Z","hangup_cause":"normal_clearing","payment_method":"rate-deck"}`;
        insert.run('call-control', id, created, leg, session, `v3:${session}`, 18_000_000, 'USD', i + 1, raw, Date.now());
      }
    })();
    const secs = (performance.now() - start) / 1000;
    db.close();
    return { secs, rate: ROWS / secs, mb: statSync(file).size / 1024 / 1024 };
  } finally {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `sqlite raw insert: ${ROWS.toLocaleString('en')} rows in one transaction, ${values['no-indexes'] ? 'primary key only' : 'primary key + 4 indexes'} (better-sqlite3, WAL, synchronous=NORMAL)`,
);
const rates: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const res = runOnce();
  rates.push(res.rate);
  console.log(`  run ${r + 1}: ${Math.round(res.rate).toLocaleString('en')} rows/s (${res.secs.toFixed(2)} s, ${res.mb.toFixed(0)} MB)`);
}
const sorted = [...rates].sort((a, b) => a - b);
console.log(`  median: ${Math.round(sorted[sorted.length >> 1]!).toLocaleString('en')} rows/s`);
