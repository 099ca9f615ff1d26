// What limits the import's write path, measured without the import: rows shaped like the
// ledger's new-call rows (a calls row with the ledger's 8 index shapes, its detail record with
// an ~800-byte raw JSON, its history entry: 15 B-tree entries, 5 of them on random keys) are
// inserted N at a time through prepared statements, one transaction per chunk, with the
// ledger's pragmas (WAL, synchronous NORMAL, foreign keys, temp_store MEMORY), its foreign keys
// and the AFTER INSERT trigger calls has (with them SQLite keeps a statement journal per insert,
// which is what a BEFORE INSERT trigger would otherwise add). Each variant runs in a fresh child
// process (its own peak RSS) and changes one lever against the ledger as it is:
//   ledger      text ids (36-character UUIDs, 'v3:' control ids), 5,000 rows per commit, 64 MiB cache
//   int-keys    the random ids as 8-byte integers instead (an upper bound for compact keys)
//   key8        text ids indexed by an 8-byte key SQLite computes (a UUID's first 16 hex digits,
//               else the text): not unique, so leg, control and record ids keep their uniqueness
//               through BEFORE INSERT triggers probing the key index
//   key8-unenforced  the same without those triggers (what the key alone buys)
//   uuid16      text ids under UNIQUE indexes on a 16-byte key (a canonical UUID's bytes, else the
//               text): exact, so no trigger, and the upsert's conflict target stays an index
//   status-open calls_status (cost_status, ended_at) partial, WHERE cost_status IN ('open','estimated')
//   chunk-20k   20,000 rows per commit (each commit rewrites fewer index pages per row)
//   chunk-20k-cache-100  the same with a 100 MiB page cache (the commit's dirty pages fit)
//   int-keys-chunk-20k-cache-100  all three
//   no-checkpoint  the writer never checkpoints (an upper bound for moving checkpoints elsewhere)
// Prints rows/s (wall), CPU µs per row, peak RSS, the rate of the last 100k rows (N > 100k), and each
// variant's ratio to `ledger`. No assertions.
//   node --import tsx test/bench/index-levers.ts [--n 100000] [--big] [--variants a,b]
// --big adds N = 1,000,000 (about two minutes per variant on 2 cores).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { bareLedgerSchema, type IdShape } from './bare-ledger-schema.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    big: { type: 'boolean', default: false },
    variants: {
      type: 'string',
      default: 'ledger,int-keys,key8,key8-unenforced,uuid16,chunk-20k,chunk-20k-cache-100,int-keys-chunk-20k-cache-100,no-checkpoint',
    },
    child: { type: 'string' },
  },
});

interface Lever {
  ids: IdShape;
  chunk: number;
  cacheMib: number;
  checkpoint: boolean;
}
const leverOf = (v: string): Lever => ({
  ids: idShapeOf(v),
  chunk: v.includes('chunk-20k') ? 20_000 : 5_000,
  cacheMib: v.includes('cache-100') ? 100 : 64,
  checkpoint: !v.includes('no-checkpoint'),
});

interface Result {
  variant: string;
  n: number;
  rate: number;
  cpuUs: number;
  rssMb: number;
  /** Rows/s over the last 100k rows (how fast it goes once the ledger is big), for N over 100k. */
  tailRate: number | null;
}
const TAIL = 100_000;

const idShapeOf = (v: string): IdShape =>
  v.includes('int-keys') ? 'int' : v.includes('key8-unenforced') ? 'key8-unenforced' : v.includes('key8') ? 'key8' : v.includes('uuid16') ? 'uuid16' : 'text';

/** One variant, in this (child) process. */
function child(variant: string, n: number): Result {
  const lever = leverOf(variant);
  const dir = mkdtempSync(join(tmpdir(), 'index-levers-'));
  const db = new Database(join(dir, 'ledger.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${lever.cacheMib * 1024}`);
    db.pragma(`wal_autocheckpoint = ${lever.checkpoint ? 16384 : 0}`);
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    db.exec(bareLedgerSchema(lever.ids, { statusIndex: variant.includes('status-open') ? 'open' : 'all' }));
    // The first 8 bytes of a random UUID: as random as the UUID, a quarter of its size.
    const id = lever.ids === 'int' ? () => BigInt.asIntN(64, BigInt(`0x${randomUUID().slice(0, 18).replace(/-/g, '')}`)) : () => randomUUID();
    const controlId = lever.ids === 'int' ? id : () => `v3:${randomUUID()}${randomUUID().slice(0, 12)}`;
    const insertCall = db.prepare(
      `INSERT INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, started_at, ended_at,
         cost_status, actual_nanos, currency, rest) VALUES (?, ?, ?, ?, ?, ?, ?, 'exact', ?, 'USD', ?)`,
    );
    const insertRecord = db.prepare(`INSERT INTO detail_records (record_type, record_id, call_id, raw) VALUES ('call-control', ?, ?, ?)`);
    const insertHistory = db.prepare('INSERT INTO cost_history (call_id, detail, at) VALUES (?, ?, ?)');
    const raw = JSON.stringify({ record_type: 'call-control', padding: 'x'.repeat(760) });
    const rest = 'r'.repeat(120); // the calls row's other columns, about their size
    let at = Date.UTC(2026, 0, 1);
    const chunk = db.transaction((rows: number) => {
      for (let i = 0; i < rows; i++) {
        at += 20_000;
        const callId = insertCall.run(
          id(),
          id(),
          controlId(),
          `+1555000${i % 50}`,
          `+1${1e9 + Math.floor(Math.random() * 9e9)}`,
          at,
          at + 60_000,
          6_000_000n,
          rest,
        ).lastInsertRowid;
        insertRecord.run(id(), callId, raw);
        insertHistory.run(callId, '{"records":[]}', Date.now());
      }
    });
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let tailStart = start;
    for (let done = 0; done < n; done += lever.chunk) {
      if (done === n - TAIL) tailStart = performance.now();
      chunk(Math.min(lever.chunk, n - done));
    }
    const secs = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      variant,
      n,
      rate: n / secs,
      cpuUs: (cpu.user + cpu.system) / n,
      rssMb: process.resourceUsage().maxRSS / 1024,
      tailRate: n > TAIL ? TAIL / ((performance.now() - tailStart) / 1000) : null,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(variant: string, n: number): Result {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', variant, '--n', String(n)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${variant} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

function main(): void {
  const sizes = [Number(values.n)];
  if (values.big && !sizes.includes(1_000_000)) sizes.push(1_000_000);
  const variants = values.variants.split(',');
  console.log(
    `index levers: ${variants.join(', ')}; node ${process.version}, SQLite ${new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get()}`,
  );
  for (const n of sizes) {
    const results = variants.map((v) => runChild(v, n));
    const base = results.find((r) => r.variant === 'ledger');
    console.log(`N = ${n.toLocaleString('en-US')}`);
    for (const r of results) {
      const ratio = base ? `  ${(r.rate / base.rate).toFixed(2)}x ledger (wall), ${(base.cpuUs / r.cpuUs).toFixed(2)}x (CPU)` : '';
      console.log(
        `  ${r.variant.padEnd(30)} ${Math.round(r.rate).toLocaleString('en-US').padStart(7)} rows/s  ${r.cpuUs.toFixed(1).padStart(6)} µs CPU/row  ` +
          `${r.tailRate ? `last 100k ${Math.round(r.tailRate).toLocaleString('en-US').padStart(7)} rows/s  ` : ''}peak RSS ${Math.round(r.rssMb)} MB${ratio}`,
      );
    }
  }
}

if (values.child) console.log(JSON.stringify(child(values.child, Number(values.n))));
else main();
