// The import's write path alone, on the records an import writes: the simulator's pages are
// fetched once (cached in a file, as the chunks the importer hands its write worker), then
// each variant commits them chunk by chunk (commitChunk: the app's 200 pages, ~10,000 records
// a transaction) into a fresh ledger in a child process of its own, with no HTTP and no parsing
// in the way. Prints the CPU µs per record of the commits (the thread's own CPU time) and
// records/s, so a change of the write path can be measured without the rest of the import.
//   real    commitChunk as the write worker runs it (each raw row held as its JSON text, RawJson)
//   stmts   only the bulk path's three statements (ledger.bulk) on the real schema, their
//           arguments built outside the timing: what the SQL costs without the JS around it
//   bare    index-levers' `ledger` rows (its schema, its statements) from the same records
// A variant may add measurement-only levers, `real+notrig+nofk` (see lever()): notrig drops
// calls' AFTER INSERT trigger, nofk turns foreign keys off, insert makes the record upsert a
// plain INSERT, nounlinked drops detail_records_unlinked, noaddcalls skips the caches' sums,
// abort inserts calls with the default ABORT (as before OR FAIL), nochecks drops calls' two
// cost CHECKs (ORs since migration 16; IN lists before, each an ephemeral table per insert),
// noraw stores '{}' for each raw record, nohist skips the born-exact history row, nokeys /
// nokeyins / nounique drop calls' key triggers (both / the key insert / the clash check), noidx
// drops calls' five secondary indexes, nopk drops the detail records' primary key, cacheN sets
// the page cache to N MiB (the app's write worker: cache16), recentN merges the calls' keys
// every N thousand, ckptN sets wal_autocheckpoint to N pages; for stmts also hist-short
// (a short history detail) and lean (no attribution columns); for bare notrig, nofk, checks
// (calls' two CHECK ... IN lists), children (jobs and events referencing calls).
// The gap this was written for (issue 15): real ~53, stmts ~43, bare ~31 µs a record at 100k.
// No assertions.
//   node --import tsx test/bench/write-gap.ts [--n 100000] [--variants real,stmts,bare] [--reps 3] [--stat] [--worker]
// --stat prints each table's and index's size (dbstat); --worker runs the commits on a worker
// thread with the app's young-generation cap (16 MB).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { commitChunk, type ChunkJob } from '../../electron/core/ingest/chunk-commit.ts';
import { pricedCallRowOf, rawRecordRowOf } from '../../electron/core/ingest/bulk-write.ts';
import { DEFAULT_PAGES_PER_COMMIT, type RecordPage } from '../../electron/core/ingest/importer.ts';
import { newCallOf, RawJson, stringify } from '../../electron/core/ingest/store-records.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { pricedCallValues, type PricedCallRow } from '../../electron/core/ledger/bulk.ts';
import { PRICED_CALL_INTO } from '../../electron/core/ledger/calls.ts';
import { formatMoney } from '../../shared/money.ts';
import { startCallControlSimulator } from './call-control-simulator.ts';
import { bareLedgerSchema } from './bare-ledger-schema.ts';
import { createTelnyxClient } from '../../electron/core/telnyx/index.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    variants: { type: 'string', default: 'real,stmts,bare' },
    worker: { type: 'boolean', default: false },
    reps: { type: 'string', default: '1' },
    stat: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);
// The app's chunk (importer.ts); the cache file's name carries it, so a change re-fetches.
const PAGES_PER_COMMIT = DEFAULT_PAGES_PER_COMMIT;
const cacheFile = (n: number) => join(tmpdir(), `write-gap-${n}.p${PAGES_PER_COMMIT}.v2.chunks`);

interface Result {
  variant: string;
  stat?: string;
  records: number;
  cpuUs: number;
  rate: number;
}

/** Fetches the simulator's N records once and stores them as packed chunks (length-prefixed v8 serializations). */
async function prepare(n: number): Promise<void> {
  const sim = await startCallControlSimulator(n);
  const client = createTelnyxClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, connections: 8 });
  const fd = openSync(`${cacheFile(n)}.tmp`, 'w');
  try {
    let pages: RecordPage[] = [];
    const flush = () => {
      if (!pages.length) return;
      const job: ChunkJob = { importId: 1, owner: 'bench', recordType: 'call-control', pages, now: Date.now() };
      const buf = serialize(packed(job));
      const len = Buffer.alloc(4);
      len.writeUInt32LE(buf.length);
      writeSync(fd, len);
      writeSync(fd, buf);
      pages = [];
    };
    const source = clientRecordSource(client, 8);
    for await (const p of source.pages({ recordType: 'call-control', from: FROM, to: TO, skipPages: new Set(), signal: new AbortController().signal })) {
      pages.push(p);
      if (pages.length === PAGES_PER_COMMIT) flush();
    }
    flush();
  } finally {
    closeSync(fd);
    await client.close();
    await sim.close();
  }
  const { renameSync } = await import('node:fs');
  renameSync(`${cacheFile(n)}.tmp`, cacheFile(n));
}

/** The chunk with each raw row as its JSON text (v8.serialize keeps no class). */
function packed(job: ChunkJob): ChunkJob {
  const text = <R extends { raw: unknown }>(r: R): R => ({ ...r, raw: stringify(r.raw) });
  return { ...job, pages: job.pages.map((p) => ({ ...p, voice: p.voice.map(text), messages: p.messages.map(text) })) };
}

/** The cached chunks, each raw row a RawJson again (as the worker holds it), built outside the timing. */
function* chunks(n: number): Generator<ChunkJob> {
  const all = readFileSync(cacheFile(n));
  const raw = <R extends { raw: unknown }>(r: R): void => void (r.raw = new RawJson(r.raw as string));
  for (let at = 0; at < all.length;) {
    const len = all.readUInt32LE(at);
    const job = deserialize(all.subarray(at + 4, at + 4 + len)) as ChunkJob;
    for (const p of job.pages) {
      p.voice.forEach(raw);
      p.messages.forEach(raw);
    }
    yield job;
    at += 4 + len;
  }
}

/** Commits every chunk with `commit`, timing only the commits (this thread's CPU, wall). */
function timed(n: number, commit: (job: ChunkJob) => number): { records: number; cpuUs: number; secs: number } {
  let cpu = 0;
  let wall = 0;
  let records = 0;
  for (const job of chunks(n)) {
    const c0 = process.threadCpuUsage();
    const t0 = performance.now();
    records += commit(job);
    wall += performance.now() - t0;
    const c = process.threadCpuUsage(c0);
    cpu += c.user + c.system;
  }
  return { records, cpuUs: cpu / records, secs: wall / 1000 };
}

function runVariant(variant: string, n: number): Result {
  const dir = mkdtempSync(join(tmpdir(), 'write-gap-'));
  const file = join(dir, 'ledger.db');
  try {
    const [base, ...levers] = variant.split('+');
    const r = base === 'bare' ? bare(file, n, levers) : base === 'stmts' ? stmts(file, n, levers) : real(file, n, levers);
    return { variant, records: r.records, cpuUs: r.cpuUs, rate: r.records / r.secs, ...(values.stat ? { stat: sizes(file) } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function real(file: string, n: number, levers: string[]) {
  const ledger = openLedgerFile(file);
  ledger.imports.create(FROM, TO, ['call-control'], 'bench', Date.now());
  for (const l of levers) lever(ledger, l);
  try {
    return timed(n, (job) => {
      const out = commitChunk(ledger, job, {});
      return out.stored;
    });
  } finally {
    ledger.close();
  }
}

/**
 * The real path's three statements alone (ledger.bulk's, on the real schema), their
 * arguments built before the timing: what the SQL costs without the JS around it.
 */
function stmts(file: string, n: number, levers: string[]) {
  const ledger = openLedgerFile(file);
  const own = ['hist-short', 'lean'];
  for (const l of levers) if (!own.includes(l)) lever(ledger, l);
  const lean = levers.includes('lean');
  const histShort = levers.includes('hist-short');
  try {
    let cpu = 0;
    let wall = 0;
    let records = 0;
    for (const job of chunks(n)) {
      const rows = job.pages.flatMap((p) =>
        p.voice.map((r) => {
          const nanos = r.costNanos!;
          const currency = r.currency!;
          const full = pricedCallRowOf(r, newCallOf(r), null);
          // lean: the attribution columns left empty (what the bare rows carry).
          const call: PricedCallRow = lean
            ? { ...full, billingGroupId: null, billingGroupName: null, connectionName: null, tags: null, countryCode: null }
            : full;
          const detail = histShort
            ? '{"records":[]}'
            : JSON.stringify({ records: [{ type: r.recordType, id: r.id, cost: formatMoney(nanos) }], rate: r.rate ?? null, billedSec: null });
          const record = rawRecordRowOf(r, null);
          return { call, nanos, currency, reason: histShort ? 'x' : `exact cost from ${r.recordType} detail record`, detail, record };
        }),
      );
      const now = job.now;
      const c0 = process.threadCpuUsage();
      const t0 = performance.now();
      ledger.db.transaction(() => {
        ledger.callTotals.deferInserts(true);
        for (const x of rows) {
          const callId = ledger.bulk.insertPricedCall(x.call, now);
          ledger.bulk.appendBornExact(callId, x.nanos, x.currency, x.reason, x.detail, now);
          x.record.callId = callId;
          ledger.bulk.upsertRecord(x.record, now);
        }
        ledger.callTotals.deferInserts(false);
      })();
      wall += performance.now() - t0;
      const c = process.threadCpuUsage(c0);
      cpu += c.user + c.system;
      records += rows.length;
    }
    return { records, cpuUs: cpu / records, secs: wall / 1000 };
  } finally {
    ledger.close();
  }
}

/** Bytes per table and index (dbstat), and per row of the largest. */
function sizes(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT name, SUM(pgsize) AS bytes, SUM(payload) AS payload, SUM(ncell) AS cells FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 16')
      .all() as { name: string; bytes: number; payload: number; cells: number }[];
    return rows
      .map(
        (r) =>
          `    ${r.name.padEnd(32)} ${(r.bytes / 1048576).toFixed(1).padStart(6)} MiB  payload ${(r.payload / 1048576).toFixed(1).padStart(6)} MiB  cells ${r.cells}`,
      )
      .join('\n');
  } finally {
    db.close();
  }
}

/** Measurement-only changes of the real path (the ledger they leave may differ). */
function lever(ledger: ReturnType<typeof openLedgerFile>, l: string): void {
  const db = ledger.db;
  if (l === 'nofk') db.pragma('foreign_keys = OFF');
  else if (l === 'notrig') db.exec('DROP TRIGGER calls_hour_dirty_insert');
  else if (l === 'nounlinked') db.exec('DROP INDEX detail_records_unlinked');
  else if (l === 'noaddcalls') ledger.callTotals.addCalls = () => undefined;
  else if (l === 'insert') {
    const stmt = db.prepare(
      `INSERT INTO detail_records (record_type, record_id, created_at, leg_id, session_id, control_id, cost_nanos,
       currency, rate, call_id, message_id, raw, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    ledger.bulk.upsertRecord = (r, now) =>
      void stmt.run(r.recordType, r.recordId, r.createdAt, r.legId, r.sessionId, r.controlId, r.costNanos, r.currency, r.rate, r.callId, r.raw, now);
  } else if (l === 'abort') {
    // The calls insert as it was before OR FAIL (ABORT: a statement journal per row).
    const stmt = db.prepare(
      `INSERT ${PRICED_CALL_INTO}
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'exact', 'detail_record', ?, ?, ?)`,
    );
    ledger.bulk.insertPricedCall = (c, now) => Number(stmt.run(...pricedCallValues(c, now)).lastInsertRowid);
  } else if (l === 'nochecks') {
    // calls without its cost_status and cost_source CHECKs (what they still cost as ORs):
    // the table's SQL edited in place, as SQLite documents for dropping a CHECK constraint.
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'calls'").pluck().get() as string;
    const edited = sql.replace(/CHECK \(cost_status = [^)]*\)/, '').replace(/CHECK \(cost_source = [^)]*\)/, '');
    if (edited === sql) throw new Error('calls has no cost CHECKs to drop');
    const version = db.pragma('schema_version', { simple: true }) as number;
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE name = 'calls'").run(edited);
    db.pragma(`schema_version = ${version + 1}`);
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  } else if (l === 'cache100') db.pragma('cache_size = -102400');
  else if (/^cache\d+$/.test(l)) db.pragma(`cache_size = -${Number(l.slice(5)) * 1024}`);
  else if (/^ckpt\d+$/.test(l)) db.pragma(`wal_autocheckpoint = ${Number(l.slice(4))}`);
  else if (/^recent\d+$/.test(l)) {
    // The recent level's merge threshold (ledger/call-keys.ts RECENT_KEYS_LIMIT) in thousands of keys.
    const merge = ledger.mergeCallKeysIfDue.bind(ledger);
    ledger.mergeCallKeysIfDue = () => merge(Number(l.slice(6)) * 1000);
  } else if (l === 'noraw') {
    const upsert = ledger.bulk.upsertRecord;
    ledger.bulk.upsertRecord = (r, now) => upsert({ ...r, raw: '{}' }, now);
  } else if (l === 'nohist') ledger.bulk.appendBornExact = () => undefined;
  else if (l === 'nokeys') db.exec('DROP TRIGGER calls_keys_insert; DROP TRIGGER calls_ids_unique_insert');
  else if (l === 'nounique') db.exec('DROP TRIGGER calls_ids_unique_insert');
  else if (l === 'nokeyins') db.exec('DROP TRIGGER calls_keys_insert');
  else if (l === 'noidx')
    db.exec('DROP INDEX calls_other; DROP INDEX calls_status; DROP INDEX calls_status_started; DROP INDEX calls_number_time; DROP INDEX calls_time');
  else if (l === 'nopk') {
    // detail_records without its primary key's index (the upsert becomes a plain insert).
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'detail_records'").pluck().get() as string;
    db.exec(`CREATE TABLE dr_new ${sql.slice(sql.indexOf('(')).replace(/,\s*PRIMARY KEY \(record_type, record_id\)/, '')}`);
    const indexes = db
      .prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'detail_records' AND type = 'index' AND sql IS NOT NULL")
      .pluck()
      .all() as string[];
    db.exec('DROP TABLE detail_records; ALTER TABLE dr_new RENAME TO detail_records');
    for (const i of indexes) db.exec(i);
    lever(ledger, 'insert');
  } else throw new Error(`unknown lever ${l}`);
}

/** index-levers' `ledger` variant: its schema and statements, the values from the records. */
function bare(file: string, n: number, levers: string[]) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 16384');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.exec(bareLedgerSchema('text', { checks: levers.includes('checks') }));
  for (const l of levers) {
    if (l === 'notrig') db.exec('DROP TRIGGER calls_hour_dirty_insert');
    else if (l === 'nofk') db.pragma('foreign_keys = OFF');
    else if (l === 'checks') continue;
    else if (l === 'children')
      db.exec(`CREATE TABLE jobs (id INTEGER PRIMARY KEY, call_id INTEGER UNIQUE REFERENCES calls(id));
CREATE TABLE events (id INTEGER PRIMARY KEY, occurred_at INTEGER, call_id INTEGER REFERENCES calls(id));
CREATE INDEX events_call ON events(call_id, occurred_at) WHERE call_id IS NOT NULL;`);
    else throw new Error(`unknown lever ${l}`);
  }
  const insertCall = db.prepare(
    `INSERT INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, started_at, ended_at,
       cost_status, actual_nanos, currency, rest) VALUES (?, ?, ?, ?, ?, ?, ?, 'exact', ?, 'USD', ?)`,
  );
  const insertRecord = db.prepare(`INSERT INTO detail_records (record_type, record_id, call_id, raw) VALUES ('call-control', ?, ?, ?)`);
  const insertHistory = db.prepare('INSERT INTO cost_history (call_id, detail, at) VALUES (?, ?, ?)');
  const rest = 'r'.repeat(120);
  // Named, so a CPU profile tells the three statements apart.
  const bareCall = (...a: unknown[]) => insertCall.run(...a).lastInsertRowid;
  const bareRecord = (...a: unknown[]) => void insertRecord.run(...a);
  const bareHistory = (...a: unknown[]) => void insertHistory.run(...a);
  const write = db.transaction((job: ChunkJob) => {
    let count = 0;
    for (const p of job.pages)
      for (const r of p.voice) {
        const c = newCallOf(r);
        const callId = bareCall(c.callLegId, c.callSessionId, c.callControlId, c.ourNumber, c.otherNumber, c.startedAt, c.endedAt, r.costNanos, rest);
        bareRecord(r.id, callId, stringify(r.raw));
        bareHistory(callId, '{"records":[]}', job.now);
        count++;
      }
    return count;
  });
  try {
    return timed(n, (job) => write(job));
  } finally {
    db.close();
  }
}

/** The child's variant, on this thread or (--worker) on a worker with the app's young-generation cap. */
async function child(variant: string, n: number): Promise<Result> {
  if (!values.worker) return runVariant(variant, n);
  const w = new Worker(new URL(import.meta.url), { workerData: { variant, n }, resourceLimits: { maxYoungGenerationSizeMb: 16 }, execArgv: process.execArgv });
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}

async function main(): Promise<void> {
  const n = Number(values.n);
  if (!existsSync(cacheFile(n))) await prepare(n);
  console.log(`write gap: N = ${n.toLocaleString('en-US')}${values.worker ? ', on a worker (young generation 16 MB)' : ''}, node ${process.version}`);
  const variants = values.variants.split(',');
  const runs = new Map<string, number[]>(variants.map((v) => [v, []]));
  for (let rep = 0; rep < Number(values.reps); rep++)
    for (const v of variants) {
      const out = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--child',
          v,
          '--n',
          String(n),
          ...(values.worker ? ['--worker'] : []),
          ...(values.stat ? ['--stat'] : []),
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
          env: { ...process.env, COST_DESK_LOG_LEVEL: 'silent' },
        },
      );
      const line = out.stdout.split('\n').find((l) => l.startsWith('{'));
      if (out.status !== 0 || !line) throw new Error(`${v} failed: ${out.stderr.slice(-3000)}`);
      const r = JSON.parse(line) as Result;
      runs.get(v)!.push(r.cpuUs);
      if (r.stat) console.log(r.stat);
      console.log(
        `  ${v.padEnd(24)} ${r.cpuUs.toFixed(1).padStart(6)} µs CPU/record  ${Math.round(r.rate).toLocaleString('en-US').padStart(7)} records/s  load ${loadavg()[0]!.toFixed(1)}`,
      );
    }

  if (Number(values.reps) > 1) {
    console.log('medians:');
    for (const [v, xs] of runs) {
      const s = [...xs].sort((a, b) => a - b);
      console.log(
        `  ${v.padEnd(24)} ${s[s.length >> 1]!.toFixed(1).padStart(6)} µs CPU/record, min ${s[0]!.toFixed(1)}  (${xs.map((x) => x.toFixed(1)).join(', ')})`,
      );
    }
  }
}

if (!isMainThread) {
  const { variant, n } = workerData as { variant: string; n: number };
  parentPort!.postMessage(runVariant(variant, n));
} else if (values.child) console.log(JSON.stringify(await child(values.child, Number(values.n))));
else await main();
