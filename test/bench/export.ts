// Export throughput and memory: the calls report of a 1,000,000-call ledger, and of a
// 100,000-call range of the same ledger, to a file. Prints figures only (no assertions).
//   node --import tsx test/bench/export.ts [calls]
// Peak RSS is sampled every 50 ms during each export; flat memory shows as the same peak
// for 100k and 1M rows (SQLite's page cache, up to 64 MiB per connection, fills on both).
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { exportReport } from '../../electron/core/reports/index.ts';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const REPEATS = 3;
const T0 = Date.UTC(2026, 0, 1);
const MB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'cost-desk-bench-'));
const ledger = openLedgerFile(join(dir, 'ledger.db'));

function buildFixture(n: number): number {
  const started = performance.now();
  // Direct INSERTs in one transaction: the write paths' per-call transactions would make
  // the fixture, not the export, the slow part of the bench.
  const insert = ledger.db.prepare(
    `INSERT INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, direction,
       started_at, answered_at, ended_at, call_sec, billed_sec, estimated_nanos, estimate_currency, estimate_method,
       estimate_rate, exact_nanos, currency, rate, cost_status, cost_source, created_at, updated_at)
     VALUES (@leg, @session, @control, @ours, @other, @direction, @started, @answered, @ended, @sec, @billed,
       @est, 'USD', 'rate x billed minutes', '0.0070', @actual, @cur, @rate, @status, @source, @started, @started)`,
  );
  ledger.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const started = T0 + i * 1000;
      const sec = 5 + (i % 600);
      const billed = Math.ceil(sec / 60) * 60;
      const exact = i % 3 !== 0;
      const est = BigInt(billed) * 116_667n; // ~0.007/min, in nano-units per second
      insert.run({
        leg: `leg-${i.toString(36)}-7c1e2a44-0b7e-11f0`,
        session: `sess-${i.toString(36)}-0b7e-11f0`,
        control: `v3:ctl-${i.toString(36)}_AbCdEf`,
        ours: `+1555000${(i % 50).toString().padStart(4, '0')}`,
        other: i % 7 === 0 ? `=HYPERLINK("x","${i}")` : `+4420${(1_000_000 + i).toString()}`,
        direction: i % 2 ? 'outbound' : 'inbound',
        started,
        answered: started + 3000,
        ended: started + 3000 + sec * 1000,
        sec,
        billed,
        est,
        actual: exact ? est + BigInt((i % 11) - 5) * 1_000n : null,
        cur: exact ? 'USD' : null,
        rate: exact ? '0.0070' : null,
        status: exact ? 'exact' : 'estimated',
        source: exact ? 'detail_record' : 'estimate',
      });
    }
  })();
  return performance.now() - started;
}

async function once(rows: number, run: number) {
  const file = join(dir, `calls-${rows}-${run}.csv`);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const out = createWriteStream(file);
  const result = await exportReport(ledger.db, { report: 'calls', range: { from: T0, to: T0 + rows * 1000 } }, out);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const bytes = statSync(file).size;
  rmSync(file);
  if (result.rows !== rows) throw new Error(`expected ${rows} rows, exported ${result.rows}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, peak, baseline, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fixtureMs = buildFixture(TOTAL);
console.log(`fixture: ${TOTAL.toLocaleString('en-US')} calls inserted in ${(fixtureMs / 1000).toFixed(1)} s`);
const sizes = [...new Set([Math.min(100_000, TOTAL), TOTAL])];
const results = new Map<number, Awaited<ReturnType<typeof once>>[]>(sizes.map((s) => [s, []]));
for (let run = 0; run < REPEATS; run++) {
  for (const size of sizes) {
    const r = await once(size, run);
    results.get(size)!.push(r);
    console.log(
      `  run ${run + 1} ${size.toLocaleString('en-US').padStart(9)} rows: ${(r.ms / 1000).toFixed(2)} s (CPU ${(r.cpuMs / 1000).toFixed(2)} s), ` +
        `peak RSS ${(r.peak / MB).toFixed(0)} MiB (start ${(r.baseline / MB).toFixed(0)} MiB), ${(r.bytes / MB).toFixed(0)} MiB written`,
    );
  }
}
// CPU time (all threads) next to wall time: on a shared machine wall time mostly measures the neighbours.
console.log(
  `median of ${REPEATS} (node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}):`,
);
for (const size of sizes) {
  const rs = results.get(size)!;
  const ms = median(rs.map((r) => r.ms));
  console.log(
    `  ${size.toLocaleString('en-US').padStart(9)} rows: ${(ms / 1000).toFixed(2)} s (CPU ${(median(rs.map((r) => r.cpuMs)) / 1000).toFixed(2)} s), ` +
      `${Math.round((size / ms) * 1000).toLocaleString('en-US')} rows/s, peak RSS ${(median(rs.map((r) => r.peak)) / MB).toFixed(0)} MiB, ` +
      `peak over start ${(median(rs.map((r) => r.peak - r.baseline)) / MB).toFixed(0)} MiB`,
  );
}
ledger.close();
rmSync(dir, { recursive: true, force: true });
