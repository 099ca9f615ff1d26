// The import engine side by side, in one run: the simulator in its own process serves N
// call-control records (random UUID ids, as Telnyx sends them; page size 50; 8 connections),
// and each variant runs in a fresh child process of its own (so its peak RSS is its own,
// process.resourceUsage().maxRSS):
//   fetch    fetch and parse alone (the Telnyx client, records counted and dropped)
//   naive    a naive fetch-and-insert pipeline: the same pages, each row's id and raw JSON
//            into one table (id TEXT PRIMARY KEY), one transaction per page
//   per-record  this project's page import with the write path it had before (row by row)
//   bulk     this project's page import with the bulk write path (ingest/bulk-write.ts)
//   bulk-noidx, bulk-worker-noidx  an upper bound: 4 of the calls table's secondary indexes dropped
//            for the import and built again after it (timed)
//   bulk-worker  the same as the app runs it: the pages fetched and parsed on a fetch worker
//            (ingest/fetch-worker.ts), each chunk committed by a write worker with its own
//            connection (ingest/write-worker.ts), both with the app's heap limits; the main
//            thread only hands the pages (sealed buffers) from one to the other
//   report   this project's import through one batch detail-record report: the simulator's
//            report endpoints, the CSV streamed and written by the same bulk path
//   report-worker  the same, each batch of the CSV's rows committed by the write worker (the
//            CSV itself is still downloaded and parsed on the main thread)
// Prints records/s (wall), CPU µs per record in the variant's process (user + system: what the
// variant costs, much less sensitive than wall time to other work on a shared machine), peak RSS,
// the medians, and every variant's ratio to naive (wall and CPU). Also: the main thread's
// share of that CPU (the rest is the write worker's, SQLite's and V8's helper threads), and
// the simulator's CPU per record while the variant ran (it shares the 2 cores).
// Also the peak heaps of the write and fetch workers, and the RSS split (anonymous, file-backed,
// shared) at its sampled peak. Env: BENCH_WORKER_YOUNG_MB / _OLD_MB / _CACHE_MB and
// BENCH_FETCH_YOUNG_MB / _OLD_MB / _NICE override the app's worker limits (0: none); BENCH_RSS_TRACE=1
// writes each variant's RSS every 100 ms to /tmp/rss-trace-VARIANT.txt. A worker variant's
// "@cacheN" suffix (bulk-worker@cache48) sets its write worker's page cache to N MiB, "@youngN"
// its young generation to N MB, "@fyoungN" the fetch worker's (several may follow:
// @cache40@young8), so settings compare in one run.
// --bundled runs each variant's process from an esbuild bundle of this file with plain node
// (no tsx: what the RSS is without it; the simulator still runs under tsx).
// No assertions (the property tests say the two write paths give the same ledger).
//   node --import tsx test/bench/import-engine.ts [--n 100000] [--reps 3] [--big]
//        [--variants fetch,naive,commits-worker,per-record,bulk,bulk-worker,report,report-worker] [--bundled]
// The default variants are what the app runs (bulk-worker, report-worker: fetch worker + write
// worker) beside naive and fetch, then the main-thread fallbacks (bulk, report). commits-worker
// is the bound on them all: the page import's chunks, fetched before its timing starts,
// committed by the app's write worker with nothing else running (SQLite has one writer, so no
// import that writes this ledger goes faster).
// --big adds N = 1,000,000 (one run each: several minutes on 2 cores).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DEFAULT_PAGES_PER_COMMIT, runImport, type RecordPage } from '../../electron/core/ingest/importer.ts';
import { openPage, wirePage } from '../../electron/core/ingest/page-wire.ts';
import { clientRecordSource } from '../../electron/core/ingest/sources.ts';
import { stringify } from '../../electron/core/ingest/store-records.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { APP_WRITER_LIMITS, startWriteWorker, type ChunkWriter } from '../../electron/core/ingest/write-worker.ts';
import { APP_FETCHER_LIMITS, startFetchWorker, workerRecordSource, type FetchWorker } from '../../electron/core/ingest/fetch-worker.ts';
import { startCallControlSimulator } from './call-control-simulator.ts';
import { createTelnyxClient } from '../../electron/core/telnyx/index.ts';
import { systemClock } from '../../electron/core/util/clock.ts';
import { createReconciler } from '../../electron/core/reconcile/index.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';
import { threadsOfThisProcess } from '../helpers/proc-threads.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '3' },
    big: { type: 'boolean', default: false },
    bundled: { type: 'boolean', default: false },
    variants: { type: 'string', default: 'fetch,naive,commits-worker,bulk-worker,report-worker,bulk,report' },
    child: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
  },
});
const CONNECTIONS = 8;
// Extra node options for each variant's process, e.g. BENCH_CHILD_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const childNodeArgs = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 1, 1);
const MB = 1024 * 1024;

interface Result {
  records: number;
  secs: number;
  rate: number;
  peakMb: number;
  fileMb: number;
  cpuUs: number;
  /** The main thread's CPU per record (process.threadCpuUsage). */
  mainCpuUs: number;
  /** The busiest threads' CPU per record (sampled from /proc every 100 ms: a lower bound for workers). */
  threads: string;
  /** The simulator process's CPU per record while this variant ran (filled in by the parent). */
  simCpuUs?: number;
  /** Peak V8 heap (heapTotal) and external memory, sampled every 100 ms: where the RSS goes. */
  heapMb: number;
  externalMb: number;
  /** Peak V8 heap (total) of the write worker and of the fetch worker, where they ran. */
  writerHeapMb: number;
  fetcherHeapMb: number;
  /** The sampled peak of the RSS (MB) and its parts (Linux /proc/self/status): anonymous (heaps, malloc), file-backed (code), shared (the WAL index). */
  rssSplitMb: { total: number; anon: number; file: number; shmem: number };
  /** Peak RSS when runImport returned (before the bench counts the records on the main connection); 0 for fetch and naive. */
  importPeakMb: number;
  /**
   * Report variants: seconds from the first progress in the "downloading" phase to the end,
   * i.e. without the time Telnyx (here the simulator, building the CSV) spends preparing it.
   */
  csvSecs?: number;
}

/** The process's resident memory now and its parts, in MB (null off Linux). */
function rssSplit(): { total: number; anon: number; file: number; shmem: number } | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
    return { total: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
  } catch {
    return null;
  }
}

/**
 * Each thread's CPU so far (ms, user + system, from /proc/self/task), by thread id: sampled
 * while the variant runs, so a worker that has exited keeps its last figure.
 */
function threadCpu(into: Map<number, { name: string; ms: number }>): void {
  try {
    for (const t of threadsOfThisProcess()) into.set(t.tid, { name: t.name, ms: t.cpuMs });
  } catch {
    // No /proc (not Linux): no figures per thread.
  }
}

/** The threads that used the most CPU, as "name µs/record" (main first). */
function threadSummary(threads: Map<number, { name: string; ms: number }>, atStart: Map<number, { ms: number }>, records: number): string {
  const main = process.pid;
  return [...threads]
    .map(([tid, t]): [number, { name: string; ms: number }] => [tid, { name: t.name, ms: t.ms - (atStart.get(tid)?.ms ?? 0) }])
    .filter(([, t]) => t.ms > 0)
    .sort(([a, x], [b, y]) => (a === main ? -1 : b === main ? 1 : y.ms - x.ms))
    .slice(0, 6)
    .map(([tid, t]) => `${tid === main ? 'main' : t.name} ${((t.ms * 1000) / records).toFixed(1)}`)
    .join(', ');
}

/** One variant, in this (child) process. */
async function child(variant: string, n: number, baseUrl: string, apiKey: string): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'cost-desk-engine-'));
  const file = join(dir, 'ledger.db');
  const client = createTelnyxClient({ baseUrl, apiKey, connections: CONNECTIONS });
  let writer: ChunkWriter | undefined;
  let fetcher: FetchWorker | undefined;
  // report: the range (a month) is asked as one batch detail-record report, whose CSV is
  // streamed and ingested (ingest/report-import/), polled every 50 ms; the pages walk nothing.
  const inThread = variant.startsWith('report')
    ? clientRecordSource(client, CONNECTIONS, undefined, { minRangeMs: 86_400_000, pollMs: 50 })
    : clientRecordSource(client, CONNECTIONS);
  // The -worker variants read their pages as the app does: on a fetch worker (ingest/fetch-worker.ts).
  const source = variant.includes('-worker')
    ? workerRecordSource(
        () =>
          startFetchWorker({
            baseUrl,
            apiKey,
            concurrency: CONNECTIONS,
            connections: CONNECTIONS,
            ...APP_FETCHER_LIMITS,
            ...(process.env.BENCH_FETCH_YOUNG_MB ? { youngGenerationMb: Number(process.env.BENCH_FETCH_YOUNG_MB) } : {}),
            ...(process.env.BENCH_FETCH_OLD_MB ? { oldGenerationMb: Number(process.env.BENCH_FETCH_OLD_MB) } : {}),
            // BENCH_FETCH_NICE=0: the fetch worker at the app's own priority.
            ...(process.env.BENCH_FETCH_NICE ? { nice: Number(process.env.BENCH_FETCH_NICE) } : {}),
            ...(/@fyoung(\d+)/.exec(variant) ? { youngGenerationMb: Number(/@fyoung(\d+)/.exec(variant)![1]) } : {}),
          }),
        inThread,
        undefined,
        (w) => (fetcher = w),
      )
    : inThread;
  const signal = new AbortController().signal;
  const mem = { heap: 0, external: 0, writer: 0, fetcher: 0, rss: { total: 0, anon: 0, file: 0, shmem: 0 } };
  const threads = new Map<number, { name: string; ms: number }>();
  const sampler = setInterval(() => {
    threadCpu(threads);
    const rss = rssSplit();
    if (process.env.BENCH_RSS_TRACE && rss)
      process.stderr.write(`TRACE ${((performance.now() - start) / 1000).toFixed(1)} ${rss.total.toFixed(0)} ${rss.anon.toFixed(0)}\n`);
    if (rss && rss.total > mem.rss.total) mem.rss = rss;
    const m = process.memoryUsage();
    mem.heap = Math.max(mem.heap, m.heapTotal);
    mem.external = Math.max(mem.external, m.external);
    writer?.heapStatistics?.().then(
      (h) => (mem.writer = Math.max(mem.writer, h.total_heap_size)),
      () => undefined,
    );
    fetcher?.heapStatistics().then(
      (h) => (mem.fetcher = Math.max(mem.fetcher, h.total_heap_size)),
      () => undefined,
    );
  }, 100);
  // commits-worker: every page fetched and sealed (as the fetch worker seals them) before the
  // timing starts, so what is timed is the write worker committing the import's chunks alone.
  const prefetched = variant.startsWith('commits') ? await prefetchChunks(inThread, signal) : [];
  const start = performance.now();
  // Each thread's CPU counts from here (not the process's start-up, nor commits-worker's fetching).
  const threadsAtStart = new Map<number, { name: string; ms: number }>();
  threadCpu(threadsAtStart);
  const cpu0 = process.cpuUsage();
  const main0 = process.threadCpuUsage();
  let records = 0;
  let importPeakMb = 0;
  let downloadingAt: number | undefined;
  try {
    if (variant === 'fetch') {
      for await (const p of source.pages({ recordType: 'call-control', from: FROM, to: TO, skipPages: new Set(), signal })) records += p.voice.length;
    } else if (variant.startsWith('commits')) {
      const ledger = openLedgerFile(file);
      writer = startWriteWorker({ file, ...APP_WRITER_LIMITS });
      records = await commitAlone(ledger, writer, prefetched);
      importPeakMb = process.resourceUsage().maxRSS / 1024;
      await writer.close();
      ledger.close();
    } else if (variant === 'naive') {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec('CREATE TABLE records (id TEXT PRIMARY KEY, raw TEXT NOT NULL)');
      const insert = db.prepare('INSERT OR REPLACE INTO records (id, raw) VALUES (?, ?)');
      // The source hands each row's raw JSON as text (RawJson): stringify takes it as it is.
      const page = db.transaction((rows: { id: string; raw: unknown }[]) => {
        for (const r of rows) insert.run(r.id, stringify(r.raw));
      });
      for await (const p of source.pages({ recordType: 'call-control', from: FROM, to: TO, skipPages: new Set(), signal })) {
        page(p.voice);
        records += p.voice.length;
      }
      records = Number(db.prepare('SELECT COUNT(*) FROM records').pluck().get());
      db.close();
    } else {
      const ledger = openLedgerFile(file);
      // -noidx (an upper bound, not the product): 4 of the calls table's 6 secondary indexes
      // dropped for the import and built again after it (inside the timing), as a sort instead
      // of random inserts; calls_number_time and calls_time stay (statements name them in
      // INDEXED BY: the worker's connection could not prepare them).
      const dropped = variant.includes('-noidx')
        ? (ledger.db
            .prepare(
              `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls' AND sql IS NOT NULL AND name NOT IN ('calls_number_time', 'calls_time')`,
            )
            .all() as {
            name: string;
            sql: string;
          }[])
        : [];
      for (const i of dropped) ledger.db.exec(`DROP INDEX ${i.name}`);
      writer =
        variant.startsWith('bulk-worker') || variant.startsWith('report-worker')
          ? startWriteWorker({
              file,
              // The app's limits (APP_WRITER_LIMITS); BENCH_WORKER_YOUNG_MB / _OLD_MB cap its young
              // and old generations otherwise, BENCH_WORKER_CACHE_MB sets its connection's page cache.
              ...APP_WRITER_LIMITS,
              ...(process.env.BENCH_WORKER_YOUNG_MB ? { youngGenerationMb: Number(process.env.BENCH_WORKER_YOUNG_MB) } : {}),
              ...(process.env.BENCH_WORKER_OLD_MB ? { oldGenerationMb: Number(process.env.BENCH_WORKER_OLD_MB) } : {}),
              ...(process.env.BENCH_WORKER_CACHE_MB ? { cacheMb: Number(process.env.BENCH_WORKER_CACHE_MB) } : {}),
              ...(/@cache(\d+)/.exec(variant) ? { cacheMb: Number(/@cache(\d+)/.exec(variant)![1]) } : {}),
              ...(/@young(\d+)/.exec(variant) ? { youngGenerationMb: Number(/@young(\d+)/.exec(variant)![1]) } : {}),
            })
          : undefined;
      // As the app (runtime.ts): each chunk settles the reconciler's jobs of the calls it priced,
      // and its calls go to the reconciler on this thread while the worker writes the next chunk.
      const reconciler = createReconciler({ ledger, client: () => null, clock: systemClock, settings: () => DEFAULT_SETTINGS });
      const p = await runImport({
        writer,
        ledger,
        onCallsUpdated: (ids, settled) => reconciler.onCostsApplied(ids, settled),
        jobsOwner: reconciler.owner,
        source,
        clock: systemClock,
        from: FROM,
        to: TO,
        recordTypes: ['call-control'],
        owner: 'bench',
        writePath: variant === 'per-record' ? 'per-record' : 'bulk',
        onProgress: (progress) => {
          if (downloadingAt === undefined && progress.reports?.some((r) => r.phase === 'downloading' || r.phase === 'ingesting'))
            downloadingAt = performance.now();
        },
        // bulk:400 commits 400 pages per transaction (the default is 200).
        ...(variant.includes(':') ? { pagesPerCommit: Number.parseInt(variant.split(':')[1]!, 10) } : {}),
      });
      if (p.status !== 'completed') throw new Error(`import ${p.status}: ${p.error}`);
      // The peak so far: the import itself, before this process's own count of the records below.
      importPeakMb = process.resourceUsage().maxRSS / 1024;
      // The report path must have carried the records (not the pages after a fallback).
      if (variant.startsWith('report') && p.reports?.[0]?.phase !== 'done') throw new Error(`report ${JSON.stringify(p.reports)}`);
      await writer?.close();
      for (const i of dropped) ledger.db.exec(i.sql);
      records = ledger.records.count();
      ledger.close();
    }
    const secs = (performance.now() - start) / 1000;
    threadCpu(threads);
    const cpu = process.cpuUsage(cpu0);
    const mainCpu = process.threadCpuUsage(main0);
    if (records !== n) throw new Error(`${variant}: ${records} records, expected ${n}`);
    const fileMb = variant === 'fetch' ? 0 : statSync(file).size / MB;
    return {
      records,
      secs,
      rate: records / secs,
      peakMb: process.resourceUsage().maxRSS / 1024,
      importPeakMb,
      heapMb: mem.heap / MB,
      rssSplitMb: mem.rss,
      writerHeapMb: mem.writer / MB,
      fetcherHeapMb: mem.fetcher / MB,
      externalMb: mem.external / MB,
      fileMb,
      ...(downloadingAt === undefined ? {} : { csvSecs: secs - (downloadingAt - start) / 1000 }),
      cpuUs: (cpu.user + cpu.system) / records,
      mainCpuUs: (mainCpu.user + mainCpu.system) / records,
      threads: threadSummary(threads, threadsAtStart, records),
    };
  } finally {
    clearInterval(sampler);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The import's chunks: its pages in order, sealed, DEFAULT_PAGES_PER_COMMIT to a chunk (commits-worker). */
async function prefetchChunks(source: ReturnType<typeof clientRecordSource>, signal: AbortSignal): Promise<RecordPage[][]> {
  const chunks: RecordPage[][] = [[]];
  for await (const p of source.pages({ recordType: 'call-control', from: FROM, to: TO, skipPages: new Set(), signal })) {
    if (chunks.at(-1)!.length === DEFAULT_PAGES_PER_COMMIT) chunks.push([]);
    chunks.at(-1)!.push(openPage<RecordPage>(wirePage(p)));
  }
  return chunks;
}

/**
 * The chunks committed by the write worker as an import sends them (its import row, two chunks
 * in flight, the reconciler's jobs settled in each), with nothing else running: how fast the
 * ledger's commits alone go. Returns the records the ledger then holds.
 */
async function commitAlone(ledger: ReturnType<typeof openLedgerFile>, writer: ChunkWriter, chunks: RecordPage[][]): Promise<number> {
  await writer.ready;
  const importId = ledger.imports.create(FROM, TO, ['call-control'], 'bench', Date.now());
  let previous: Promise<unknown> = Promise.resolve();
  for (const pages of chunks) {
    const sent = writer.write({ importId, owner: 'bench', recordType: 'call-control', pages, now: Date.now(), jobsOwner: 'bench-reconciler' });
    sent.catch(() => undefined); // awaited in turn below
    await previous;
    previous = sent;
  }
  await previous;
  return ledger.records.count();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en');

/** CPU time (µs) a process has used so far, from /proc (Linux; 0 elsewhere). */
function processCpuUs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime (fields 14 and 15) in clock ticks: 100 a second on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

/** This file and the write worker's entry bundled for plain node (no tsx); returns the bundle's path. */
async function bundleSelf(self: string): Promise<string> {
  const { build } = await import('esbuild');
  // Inside the worktree, so the external better-sqlite3 resolves from node_modules.
  const dir = join(process.cwd(), 'test-results', 'bench-bundle');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  await build({
    entryPoints: {
      'import-engine': self,
      'write-worker-main': fileURLToPath(new URL('../../electron/core/ingest/write-worker-main.ts', import.meta.url)),
      'fetch-worker-main': fileURLToPath(new URL('../../electron/core/ingest/fetch-worker-main.ts', import.meta.url)),
    },
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3', 'esbuild'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  return join(dir, 'import-engine.js');
}

async function parent(): Promise<void> {
  const sizes = values.n.split(',').map(Number);
  if (values.big && !sizes.includes(1_000_000)) sizes.push(1_000_000);
  const variants = values.variants.split(',');
  const self = fileURLToPath(import.meta.url);
  const entry = values.bundled ? [await bundleSelf(self)] : ['--import', 'tsx', self];
  console.log(
    `import engine: ${variants.join(', ')}; page size 50, ${CONNECTIONS} connections, node ${process.version}${values.bundled ? ', variants from a bundle (no tsx)' : ''}`,
  );
  const table: string[] = [];
  for (const n of sizes) {
    const reps = n >= 1_000_000 ? 1 : Number(values.reps);
    const t0 = performance.now();
    const sim = await startCallControlSimulator(n);
    console.log(`N = ${fmt(n)}: simulator ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const medians = new Map<string, { rate: number; peakMb: number; importPeakMb: number; cpuUs: number; csvRate?: number }>();
    // Round-robin (run 1 of every variant, then run 2, ...): the machine's load drifts over
    // minutes, and a variant whose runs were all taken together would carry that drift.
    const runs = new Map<string, Result[]>(variants.map((v) => [v, []]));
    try {
      for (let r = 0; r < reps; r++) {
        for (const v of variants) {
          const sim0 = processCpuUs(sim.pid);
          const out = spawnSync(process.execPath, [...childNodeArgs, ...entry, '--child', v, '--n', String(n), '--url', sim.baseUrl, '--key', sim.apiKey], {
            encoding: 'utf8',
            env: { ...process.env, COST_DESK_LOG_LEVEL: 'silent' },
            maxBuffer: 16 * MB,
          });
          const line = out.stdout.split('\n').find((l) => l.startsWith('{'));
          if (process.env.BENCH_RSS_TRACE) writeFileSync(`/tmp/rss-trace-${v}.txt`, out.stderr);
          if (out.status !== 0 || !line) throw new Error(`${v} at ${n} failed: ${out.stderr.slice(-2000)}`);
          const res = JSON.parse(line) as Result;
          res.simCpuUs = (processCpuUs(sim.pid) - sim0) / res.records;
          runs.get(v)!.push(res);
          console.log(
            `  ${v.padEnd(10)} run ${r + 1}: ${fmt(res.rate)} records/s (${res.secs.toFixed(1)} s${res.csvSecs ? `; the CSV's download and ingest ${fmt(res.records / res.csvSecs)} rows/s, ${res.csvSecs.toFixed(1)} s` : ''}), ${res.cpuUs.toFixed(1)} µs CPU/record (main thread ${res.mainCpuUs.toFixed(1)}; simulator ${v.startsWith('commits') ? 'idle: it served the pages before the timing' : res.simCpuUs.toFixed(1)}; threads: ${res.threads}), peak RSS ${res.peakMb.toFixed(0)} MB${res.importPeakMb ? ` (${res.importPeakMb.toFixed(0)} when the import returned)` : ''} (V8 heap ${res.heapMb.toFixed(0)}${res.writerHeapMb ? `, write worker's ${res.writerHeapMb.toFixed(0)}` : ''}${res.fetcherHeapMb ? `, fetch worker's ${res.fetcherHeapMb.toFixed(0)}` : ''}, external ${res.externalMb.toFixed(0)}; sampled peak ${res.rssSplitMb.total.toFixed(0)}: anon ${res.rssSplitMb.anon.toFixed(0)}, file ${res.rssSplitMb.file.toFixed(0)}, shmem ${res.rssSplitMb.shmem.toFixed(0)})${res.fileMb ? `, file ${res.fileMb.toFixed(0)} MB` : ''}, load ${loadavg()[0]!.toFixed(1)}`,
          );
        }
      }
      for (const [v, rs] of runs) {
        const csv = rs.filter((x) => x.csvSecs).map((x) => x.records / x.csvSecs!);
        medians.set(v, {
          rate: median(rs.map((x) => x.rate)),
          peakMb: median(rs.map((x) => x.peakMb)),
          // The import's own peak (fetch and naive have nothing after it: their process's).
          importPeakMb: median(rs.map((x) => x.importPeakMb || x.peakMb)),
          cpuUs: median(rs.map((x) => x.cpuUs)),
          ...(csv.length ? { csvRate: median(csv) } : {}),
        });
      }
    } finally {
      await sim.close();
    }
    const naive = medians.get('naive');
    for (const [v, m] of medians) {
      // Speed ratios: > 1 is faster than naive (records/s for wall time; naive's CPU per record over this one's).
      const ratio = naive ? `  ${(m.rate / naive.rate).toFixed(2)}x naive (wall), ${(naive.cpuUs / m.cpuUs).toFixed(2)}x naive (CPU)` : '';
      table.push(
        `  N = ${fmt(n).padStart(9)}  ${v.padEnd(10)} ${fmt(m.rate).padStart(7)} records/s  ${m.cpuUs.toFixed(1).padStart(6)} µs CPU/record  peak RSS ${m.importPeakMb.toFixed(0).padStart(3)} MB${m.peakMb > m.importPeakMb ? ` (${m.peakMb.toFixed(0)} with the bench's count after it)` : ''}${ratio}${m.csvRate ? `; the CSV's download and ingest ${fmt(m.csvRate)} rows/s` : ''}`,
      );
    }
  }
  console.log(`medians (${values.reps} runs below 1M, 1 at 1M):`);
  for (const l of table) console.log(l);
}

if (values.child) {
  const res = await child(values.child, Number(values.n), values.url!, values.key!);
  process.stdout.write(`${JSON.stringify(res)}\n`);
} else {
  await parent();
}
