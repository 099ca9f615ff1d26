// End-to-end import throughput: the simulator in a separate process (startSimulatorProcess)
// serves N call-control records; this process imports all of them into a fresh ledger file
// with runImport + clientRecordSource over loopback HTTP. Prints records/s, wall time and
// the peak RSS of this (the importing) process, sampled every 50 ms. No assertions.
//   node --import tsx test/bench/import.ts [--n 100000,1000000] [--reps 3,1]
//        [--concurrency 8] [--pages-per-commit 25]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runImport } from '../../electron/core/ingest/importer.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { startSimulatorProcess } from '../../electron/core/simulator/index.ts';
import { startCallControlSimulator } from './call-control-simulator.ts';
import { createTelnyxClient } from '../../electron/core/telnyx/index.ts';
import { systemClock } from '../../electron/core/util/clock.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000,1000000' },
    reps: { type: 'string', default: '3,1' },
    concurrency: { type: 'string', default: '8' },
    'pages-per-commit': { type: 'string', default: '25' },
  },
});
const sizes = values.n.split(',').map(Number);
const reps = values.reps.split(',').map(Number);
const concurrency = Number(values.concurrency);
const pagesPerCommit = Number(values['pages-per-commit']);
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);
const MB = 1024 * 1024;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function once(n: number, sim: Awaited<ReturnType<typeof startSimulatorProcess>>) {
  const dir = mkdtempSync(join(tmpdir(), 'cost-desk-bench-'));
  const file = join(dir, 'ledger.db');
  const ledger = openLedgerFile(file);
  const client = createTelnyxClient({ baseUrl: sim.baseUrl, apiKey: sim.apiKey, connections: concurrency });
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const p = await runImport({
      ledger,
      source: clientRecordSource(client, concurrency),
      clock: systemClock,
      from: FROM,
      to: TO,
      recordTypes: ['call-control'],
      owner: 'bench',
      pagesPerCommit,
    });
    const secs = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (p.status !== 'completed') throw new Error(`import ${p.status}: ${p.error}`);
    const stored = ledger.records.count();
    if (stored !== n) throw new Error(`stored ${stored} records, expected ${n}`);
    const size = statSync(file).size;
    // CPU time of this process per record: less sensitive than wall time to other load on the machine.
    return { secs, rate: stored / secs, peakMb: peak / MB, baseMb: baseline / MB, fileMb: size / MB, cpuUs: (cpu.user + cpu.system) / stored };
  } finally {
    clearInterval(sampler);
    await client.close();
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`import bench: concurrency ${concurrency}, ${pagesPerCommit} pages per commit, node ${process.version}`);
for (const [k, n] of sizes.entries()) {
  const t0 = performance.now();
  // Only call-control records: every call has exactly one, none missing or duplicated.
  const sim = await startCallControlSimulator(n, 300_000);
  console.log(`N = ${n.toLocaleString('en')}: simulator ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (pid ${sim.pid})`);
  const runs = [];
  for (let r = 0; r < (reps[k] ?? reps.at(-1) ?? 1); r++) {
    const res = await once(n, sim);
    runs.push(res);
    console.log(
      `  run ${r + 1}: ${Math.round(res.rate).toLocaleString('en')} records/s, ${res.secs.toFixed(1)} s wall, peak RSS ${res.peakMb.toFixed(0)} MB (${res.baseMb.toFixed(0)} MB before), ${res.cpuUs.toFixed(0)} µs CPU/record here, ledger ${res.fileMb.toFixed(0)} MB`,
    );
  }
  console.log(
    `  median: ${Math.round(median(runs.map((r) => r.rate))).toLocaleString('en')} records/s, ${median(runs.map((r) => r.secs)).toFixed(1)} s, peak RSS ${median(runs.map((r) => r.peakMb)).toFixed(0)} MB`,
  );
  await sim.close();
}
