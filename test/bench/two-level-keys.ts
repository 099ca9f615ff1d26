// The import's limit at 1M (issue 15), in SQLite alone: a call's random ids (leg, control,
// session; UUIDs as Telnyx sends them) kept in B-tree indexes of the calls table, as the
// ledger keeps them, against a two-level key table (an LSM's idea): each chunk adds its keys
// to a small `recent` table, merged into `main` in key order every --merge rows, so each
// commit dirties the small table's pages instead of a page per key of every big index.
// Both variants look each chunk's ids up first (as knownCallIds does: one IN list per id
// kind; two-level probes both tables) and insert 10,000 rows a transaction with the write
// worker's page cache (16 MiB) and the ledger's WAL settings. Each runs in a child process
// of its own. Prints rows/s (overall and for the last 200k), CPU µs a row, and the ratio.
// Not the product: a measurement of what a two-level key table would pay (README, "Measured").
// No assertions.
//   node --import tsx test/bench/two-level-keys.ts [--n 1000000] [--merge 100000]
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    merge: { type: 'string', default: '100000' },
    child: { type: 'string' },
  },
});
const N = Number(values.n);
const MERGE = Number(values.merge);
const CHUNK = 10_000;
const WINDOW = 200_000;
type Variant = 'indexes' | 'two-level';
interface Result {
  rate: number;
  lastRate: number;
  cpuUs: number;
}

function run(variant: Variant, file: string): Result {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16384');
  db.pragma('wal_autocheckpoint = 16384');
  db.exec('CREATE TABLE calls (id INTEGER PRIMARY KEY, leg TEXT, ctl TEXT, sess TEXT, other TEXT, payload TEXT)');
  db.exec('CREATE INDEX calls_other ON calls(other)');
  const insertCall = db.prepare('INSERT INTO calls (leg, ctl, sess, other, payload) VALUES (?, ?, ?, ?, ?)');
  const store = variant === 'indexes' ? indexStore(db) : twoLevelStore(db);
  const payload = 'x'.repeat(300);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let windowStart = t0;
  let lastRate = 0;
  for (let done = 0; done < N; done += CHUNK) {
    const rows = Array.from({ length: CHUNK }, () => [
      randomUUID(),
      `v3:${randomUUID()}`,
      randomUUID(),
      `+1${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`,
    ]);
    db.transaction(() => {
      const known = store.known(rows);
      if (known > 0) throw new Error('a random id was already there');
      for (const r of rows) store.added(r, Number(insertCall.run(r[0], r[1], r[2], r[3], payload).lastInsertRowid));
    })();
    store.afterChunk(done + CHUNK);
    if ((done + CHUNK) % WINDOW === 0) {
      const now = process.hrtime.bigint();
      lastRate = WINDOW / (Number(now - windowStart) / 1e9);
      windowStart = now;
    }
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  db.close();
  return { rate: N / secs, lastRate, cpuUs: (cpu.user + cpu.system) / N };
}

/** The ledger's way: UNIQUE leg and control, an index on session, each probed with one IN list per chunk. */
function indexStore(db: Database.Database) {
  db.exec('CREATE UNIQUE INDEX calls_leg ON calls(leg); CREATE UNIQUE INDEX calls_ctl ON calls(ctl); CREATE INDEX calls_sess ON calls(sess)');
  const probes = ['leg', 'ctl', 'sess'].map((c) => db.prepare(`SELECT ${c} FROM calls WHERE ${c} IN (SELECT value FROM json_each(?))`).pluck());
  return {
    known: (rows: string[][]) => probes.reduce((n, p, i) => n + p.all(JSON.stringify(rows.map((r) => r[i]))).length, 0),
    added: () => undefined,
    afterChunk: () => undefined,
  };
}

/** The three ids in a small `recent` key table, merged into `main` in key order every MERGE rows; probes read both. */
function twoLevelStore(db: Database.Database) {
  db.exec(`CREATE TABLE keys_recent (key TEXT PRIMARY KEY, call_id INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE keys_main (key TEXT PRIMARY KEY, call_id INTEGER NOT NULL) WITHOUT ROWID;`);
  const probes = ['keys_recent', 'keys_main'].map((t) => db.prepare(`SELECT key FROM ${t} WHERE key IN (SELECT value FROM json_each(?))`).pluck());
  const addKey = db.prepare('INSERT INTO keys_recent (key, call_id) VALUES (?, ?)');
  const mergeKeys = db.prepare('INSERT INTO keys_main SELECT key, call_id FROM keys_recent ORDER BY key');
  const clearRecent = db.prepare('DELETE FROM keys_recent');
  return {
    known(rows: string[][]): number {
      const keys = JSON.stringify(rows.flatMap((r) => r.slice(0, 3)));
      return probes.reduce((n, p) => n + p.all(keys).length, 0);
    },
    added(r: string[], callId: number): void {
      for (let i = 0; i < 3; i++) addKey.run(r[i], callId);
    },
    afterChunk(done: number): void {
      if (done % MERGE !== 0) return;
      db.transaction(() => {
        mergeKeys.run();
        clearRecent.run();
      })();
    },
  };
}

if (values.child) {
  const [variant, file] = values.child.split('|') as [Variant, string];
  process.stdout.write(JSON.stringify(run(variant, file)));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'two-level-keys-'));
  console.log(
    `two-level keys: N = ${N.toLocaleString('en-US')}, ${CHUNK.toLocaleString('en-US')} rows a transaction, merge every ${MERGE.toLocaleString('en-US')}, node ${process.version}`,
  );
  const results = new Map<Variant, Result>();
  try {
    for (const variant of ['indexes', 'two-level'] as const) {
      const args = [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--n',
        String(N),
        '--merge',
        String(MERGE),
        '--child',
        `${variant}|${join(dir, `${variant}.db`)}`,
      ];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`${variant} failed: ${r.stderr}`);
      const res = JSON.parse(r.stdout) as Result;
      results.set(variant, res);
      const f = (x: number) => Math.round(x).toLocaleString('en-US');
      console.log(`  ${variant.padEnd(10)} ${f(res.rate)} rows/s, last 200k ${f(res.lastRate)} rows/s, ${res.cpuUs.toFixed(1)} µs CPU/row`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const a = results.get('indexes')!;
  const b = results.get('two-level')!;
  console.log(
    `  two-level vs indexes: ${(b.rate / a.rate).toFixed(2)}x rows/s, ${(b.lastRate / a.lastRate).toFixed(2)}x for the last 200k, ${(a.cpuUs / b.cpuUs).toFixed(2)}x CPU`,
  );
}
