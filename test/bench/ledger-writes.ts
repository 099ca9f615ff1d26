// The import's SQLite ceiling: what the ledger itself can take, with no HTTP, no parsing and
// no JS decisions. For each record, the three rows a date-range import writes for a new call
// (the call born with its cost, its cost-history entry, the raw detail record with ~600 bytes
// of JSON) go into the real ledger schema (migrations, indexes, triggers, the hourly-totals
// refresh per commit) through positional prepared statements, 25 pages (1,250 records) per
// transaction like the importer. Prints records/s and peak RSS per size. No assertions.
// Then the same with every secondary index, trigger and foreign-key check dropped (primary
// keys and UNIQUE ids stay): a ceiling no leaner schema could rise above.
//   node --import tsx test/bench/ledger-writes.ts [--n 100000,1000000] [--runs 3,1] [--only real|bare]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '3,1' }, only: { type: 'string' } },
});
const sizes = values.n.split(',').map(Number);
const runs = values.runs.split(',').map(Number);
const PER_TX = 1250;
const MB = 1024 * 1024;

/** A UUID-looking id from a counter, scattered like real ids over a B-tree. */
function uuid(i: number, salt: number): string {
  let h = (Math.imul(i ^ salt, 0x9e3779b1) ^ (i >>> 7)) >>> 0;
  let s = '';
  for (let k = 0; k < 4; k++) {
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
    s += h.toString(16).padStart(8, '0');
  }
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function once(n: number, bare: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'cost-desk-ledger-writes-'));
  const file = join(dir, 'ledger.db');
  const ledger = openLedgerFile(file);
  const db = ledger.db;
  if (bare) {
    db.pragma('foreign_keys = OFF');
    const named = (type: string) => db.prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND sql IS NOT NULL`).pluck().all(type) as string[];
    for (const t of named('trigger')) db.exec(`DROP TRIGGER ${t}`);
    for (const i of named('index')) db.exec(`DROP INDEX ${i}`);
  }
  // Bare has no hourly totals to keep (their refresh needs an index it dropped).
  const tx = bare ? (fn: () => void) => db.transaction(fn).immediate() : ledger.tx;
  const call = db.prepare(
    `INSERT INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, direction, started_at, ended_at,
       call_sec, billed_sec, exact_nanos, currency, cost_status, cost_source, cost_updated_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, 'USD', 'exact', 'detail_record', ?, ?, ?)`,
  );
  const history = db.prepare(
    `INSERT INTO cost_history (call_id, old_nanos, new_nanos, currency, old_source, new_source, old_status, new_status, reason, detail, at)
     VALUES (?, NULL, ?, 'USD', NULL, 'detail_record', 'open', 'exact', 'exact cost from call-control detail record', ?, ?)`,
  );
  const record = db.prepare(
    `INSERT INTO detail_records (record_type, record_id, created_at, leg_id, session_id, control_id, cost_nanos, currency, call_id, raw, imported_at)
     VALUES ('call-control', ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?)`,
  );
  const t0 = Date.UTC(2026, 0, 1);
  const step = Math.floor((30 * 86_400_000) / n);
  let peak = process.memoryUsage().rss;
  const start = performance.now();
  for (let k = 0; k < n; k += PER_TX) {
    const now = Date.now();
    tx(() => {
      for (let i = k; i < Math.min(n, k + PER_TX); i++) {
        const id = uuid(i, 1);
        const leg = uuid(i, 2);
        const session = uuid(i, 3);
        const control = `v3:${uuid(i, 4)}`;
        const started = t0 + i * step;
        const ours = `+1555200${String(i % 20).padStart(4, '0')}`;
        const other = `+1212${String((i * 7919) % 10_000_000).padStart(7, '0')}`;
        const sec = i % 900;
        const billed = Math.ceil(sec / 60) * 60;
        const nanos = billed * 150_000;
        const callId = Number(call.run(leg, session, control, ours, other, started, started + sec * 1000, sec, billed, nanos, now, now, now).lastInsertRowid);
        history.run(callId, nanos, `{"records":[{"type":"call-control","id":"${id}","cost":"0.0180"}],"rate":null,"billedSec":null}`, now);
        const raw = `{"record_type":"call_control_detail_record","id":"${id}","telnyx_leg_id":"${leg}","telnyx_session_id":"${session}","telnyx_call_control_id":"${control}","cli":"${ours}","cld":"${other}","direction":"outbound","billing_group_id":null,"country_code":"1","tags":"","started_at":"2026-01-01T00:00:00Z","finished_at":"2026-01-01T00:03:00Z","call_sec":${sec},"billed_sec":${billed},"rate":"0.009","cost":"0.0180","currency":"USD","connection_id":"1234567890123456789","created_at":"2026-01-01T00:04:00Z","hangup_cause":"normal_clearing"}`;
        record.run(id, started, leg, session, control, nanos, callId, raw, now);
      }
    });
    if ((k / PER_TX) % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const secs = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage().rss);
  ledger.close();
  const mb = statSync(file).size / MB;
  rmSync(dir, { recursive: true, force: true });
  return { secs, rate: n / secs, peakMb: peak / MB, mb };
}

for (const bare of [false, true].filter((b) => !values.only || values.only === (b ? 'bare' : 'real'))) {
  console.log(
    `ledger writes alone: calls + cost_history + detail_records per record, ${PER_TX} per transaction, ${bare ? 'bare tables (no secondary index, trigger or foreign key)' : 'the real schema'} (node ${process.version})`,
  );
  for (const [k, n] of sizes.entries()) {
    const rates: number[] = [];
    for (let r = 0; r < (runs[k] ?? runs.at(-1) ?? 1); r++) {
      const res = once(n, bare);
      rates.push(res.rate);
      console.log(
        `  N = ${n.toLocaleString('en')} run ${r + 1}: ${Math.round(res.rate).toLocaleString('en')} records/s (${res.secs.toFixed(1)} s, peak RSS ${res.peakMb.toFixed(0)} MB, ledger ${res.mb.toFixed(0)} MB)`,
      );
    }
    const sorted = [...rates].sort((a, b) => a - b);
    console.log(`  N = ${n.toLocaleString('en')} median: ${Math.round(sorted[sorted.length >> 1]!).toLocaleString('en')} records/s`);
  }
}
