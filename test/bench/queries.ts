// Dashboard query speed on a big ledger: overview.summary (30 and 7 days), overview.groups
// (by number through the caches; by kind, country and tag from the rows) and calls.list
// pages (first page, a page deep in the list, one number, a badge, a search by id), through
// the same views the core's API uses, on 1,000,000 calls over 30 days, 20 numbers (every
// third one in EUR), ~5 % of calls with a pending or failed cost job.
// Prints median and p95 of 20 runs after warm-up, and the ratio to the target
// (summary < 50 ms, calls page < 20 ms). No assertions.
//   node --import tsx test/bench/queries.ts [calls] [--keep FILE]
// --keep FILE builds the fixture into FILE once and reuses it on later runs (for comparing
// query or index changes; the ledger's migrations still run on open).
import { Rng } from '../../electron/core/simulator/prng.ts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CallsQuery } from '../../shared/contract.ts';
import { openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { callViews } from '../../electron/core/views/calls.ts';
import { summaryViews } from '../../electron/core/views/summary.ts';
import { groupViews } from '../../electron/core/views/groups.ts';

const DAY = 86_400_000;
export const NUMBERS = Array.from({ length: 20 }, (_, k) => (k % 3 === 2 ? `+4930${String(5_000_000 + k * 7919)}` : `+1555${String(2_000_000 + k * 7919)}`));

/** The simulator's seeded stream (mulberry32): the same sequence on every run. */
function prng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

export interface Fixture {
  /** Start of the 30 days the calls span (end = start + 30 days). */
  startMs: number;
  endMs: number;
  /** Leg id of call #k (for a search). */
  legId(k: number): string;
  ms: number;
}

/**
 * `n` calls started over the 30 days before `endMs`, in time order, with direct INSERTs in one
 * transaction (one transaction: per-call ones would make the fixture the slow part).
 * Mix: 15 % unanswered (not billable, 0), 78 % exact from detail records (with the estimate
 * they replaced), 4 % estimated with a pending job, 1 % estimated with a failed job, 1 %
 * estimated without a job, 1 % no record. A call of an EUR number has a USD estimate.
 */
export function buildCalls(ledger: Ledger, n: number, endMs: number): Fixture {
  const started = performance.now();
  const startMs = endMs - 30 * DAY;
  const step = (30 * DAY) / n;
  const rnd = prng(42);
  const db = ledger.db;
  const insert = db.prepare(
    `INSERT INTO calls (id, call_leg_id, call_session_id, call_control_id, our_number, other_number, direction,
       started_at, answered_at, ended_at, call_sec, billed_sec, hangup_cause, estimated_nanos, estimate_currency,
       estimate_method, estimate_rate, exact_nanos, currency, rate, cost_status, cost_source, cost_updated_at,
       billing_group_id, tags, country_code, created_at, updated_at)
     VALUES (@id, @leg, @session, @control, @ours, @other, @direction, @started, @answered, @ended, @sec, @billed,
       @cause, @est, 'USD', 'estimated @ 0.015/min fallback', '0.015', @actual, @cur, @rate, @status, @source,
       @ended, @billingGroup, @tags, @country, @started, @ended)`,
  );
  const job = db.prepare(
    `INSERT INTO jobs (kind, call_id, status, attempts, next_run_at, last_error, created_at, updated_at)
     VALUES ('call_cost', @id, @status, @attempts, @next, @error, @ended, @ended)`,
  );
  // One ledger.tx, like every write path: it also computes the overview's hourly and daily
  // totals of the rows before committing (a bare db.transaction would leave every hour dirty,
  // the state only a write outside ledger.tx leaves, and readers would sum the rows).
  ledger.tx(() => {
    for (let k = 0; k < n; k++) {
      const id = k + 1;
      const numberIndex = Math.floor(rnd() * NUMBERS.length);
      const eur = numberIndex % 3 === 2;
      const startedAt = Math.floor(startMs + k * step + rnd() * step);
      const r = rnd();
      const answered = r >= 0.15;
      const sec = answered ? 5 + Math.floor(rnd() * rnd() * 1800) : 0;
      const billed = answered ? Math.ceil(sec / 60) * 60 : 0;
      const endedAt = startedAt + (answered ? 4000 : 20_000) + sec * 1000;
      const estimate = BigInt(billed) * 250_000n; // 0.015/min
      const rateNanos = eur ? 9_000_000n : 7_000_000n; // per minute
      const actual = (BigInt(billed) * rateNanos) / 60n;
      let status: string;
      let source: string | null;
      let jobStatus: string | null = null;
      if (!answered) [status, source] = ['not_billable', 'detail_record'];
      else if (r < 0.93) [status, source] = ['exact', 'detail_record'];
      else if (r < 0.97) [status, source, jobStatus] = ['estimated', 'estimate', 'pending'];
      else if (r < 0.98) [status, source, jobStatus] = ['estimated', 'estimate', 'failed'];
      else if (r < 0.99) [status, source] = ['estimated', 'estimate'];
      else [status, source] = ['no_record', 'estimate'];
      const exact = source === 'detail_record';
      insert.run({
        id,
        leg: legId(k),
        session: `s-${legId(k)}`,
        control: `v3:${k.toString(36)}_AbCdEfGhIjKlMnOp`,
        ours: NUMBERS[numberIndex]!,
        other: eur ? `+49151${String(1_000_000 + Math.floor(rnd() * 8_999_999))}` : `+1${String(2_000_000_000 + Math.floor(rnd() * 7_999_999_999))}`,
        direction: rnd() < 0.5 ? 'inbound' : 'outbound',
        started: startedAt,
        answered: answered ? startedAt + 4000 : null,
        ended: endedAt,
        sec,
        billed,
        cause: answered ? 'normal_clearing' : 'no_answer',
        est: estimate,
        actual: exact ? actual : null,
        cur: exact ? (eur ? 'EUR' : 'USD') : null,
        rate: exact ? (eur ? '0.009' : '0.007') : null,
        status,
        source,
        // Attribution (migration 7) for the grouped overview: a billing group per number, a
        // tag on a third of the calls, the destination's dialling code.
        billingGroup: `bg-${numberIndex % 4}`,
        tags: k % 3 === 0 ? '["sales"]' : null,
        country: eur ? '49' : '1',
      });
      if (jobStatus) {
        job.run({
          id,
          status: jobStatus,
          attempts: jobStatus === 'failed' ? 7 : 1 + Math.floor(rnd() * 4),
          next: endedAt + 3600_000,
          error: jobStatus === 'failed' ? 'no detail record after 7 attempts' : 'no detail record yet',
          ended: endedAt,
        });
      }
    }
  });
  return { startMs, endMs, legId, ms: performance.now() - started };
}

/** Leg id of call #k (0-based) in the fixture. */
function legId(k: number): string {
  return `${((k * 2654435761) >>> 0).toString(16).padStart(8, '0')}-4c1e-4a44-8b7e-${k.toString(16).padStart(12, '0')}`;
}

/** The fixture's facts without building it (a kept ledger). */
function fixtureOf(endMs: number): Fixture {
  return { startMs: endMs - 30 * DAY, endMs, legId, ms: 0 };
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const p95 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

function time(fn: () => unknown, runs = 20, warmup = 3): number[] {
  for (let k = 0; k < warmup; k++) fn();
  const out: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep') ? args[args.indexOf('--keep') + 1] : undefined;
  const total = Number(args.find((a, k) => /^\d+$/.test(a) && args[k - 1] !== '--keep') ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'cost-desk-bench-queries-'));
  try {
    const file = keep ?? join(dir, 'ledger.db');
    const reuse = keep !== undefined && existsSync(keep);
    const opened = performance.now();
    const ledger = openLedgerFile(file);
    const endMs = Date.UTC(2026, 2, 1);
    const f = reuse ? fixtureOf(endMs) : buildCalls(ledger, total, endMs);
    const n = Number(ledger.db.prepare('SELECT COUNT(*) FROM calls').pluck().get());
    const jobs = Number(ledger.db.prepare('SELECT COUNT(*) FROM jobs').pluck().get());
    console.log(
      `fixture: ${n.toLocaleString('en-US')} calls (${jobs.toLocaleString('en-US')} pending/failed jobs) ` +
        (reuse
          ? `reused from ${file} (opened and migrated in ${((performance.now() - opened) / 1000).toFixed(1)} s)`
          : `built in ${(f.ms / 1000).toFixed(1)} s`),
    );

    const summary = summaryViews(ledger.db);
    const calls = callViews(ledger.db);
    const groups = groupViews(ledger.db, summary.summary);
    const list = (q: Parameters<typeof CallsQuery.parse>[0]) => {
      const parsed = CallsQuery.parse(q); // the contract's defaults, as dispatch() applies them
      return () => calls.list(parsed);
    };
    const cases: Array<{ name: string; target: number; fn: () => unknown; check: () => string }> = [];
    const add = (name: string, target: number, fn: () => unknown, check: (r: unknown) => string) => cases.push({ name, target, fn, check: () => check(fn()) });
    const rows = (r: unknown) => {
      const v = r as { rows: unknown[]; total?: number };
      return `${v.rows.length} rows${v.total !== undefined ? ` of ${v.total.toLocaleString('en-US')}` : ''}`;
    };
    add(
      'summary, 30 days',
      50,
      () => summary.summary({ from: f.startMs, to: f.endMs }),
      (r) => `${(r as unknown[]).length} number/currency rows`,
    );
    add(
      'summary, 7 days',
      50,
      () => summary.summary({ from: f.endMs - 7 * DAY, to: f.endMs }),
      (r) => `${(r as unknown[]).length} number/currency rows`,
    );
    const groupRows = (r: unknown) => `${(r as unknown[]).length} group/currency rows`;
    add('groups by number, 30 days', 50, () => groups.groups({ from: f.startMs, to: f.endMs }, 'number'), groupRows);
    add('groups by kind, 7 days', 50, () => groups.groups({ from: f.endMs - 7 * DAY, to: f.endMs }, 'kind'), groupRows);
    add('groups by country, 7 days', 50, () => groups.groups({ from: f.endMs - 7 * DAY, to: f.endMs }, 'country'), groupRows);
    add('groups by tag, 7 days', 50, () => groups.groups({ from: f.endMs - 7 * DAY, to: f.endMs }, 'tag'), groupRows);
    add('groups by kind, 30 days', 50, () => groups.groups({ from: f.startMs, to: f.endMs }, 'kind'), groupRows);
    add('calls.list first page', 20, list({ limit: 100 }), rows);
    add('calls.list offset 500,000', 20, list({ limit: 100, offset: Math.min(500_000, Math.max(0, n - 100)) }), rows);
    add('calls.list one number', 20, list({ limit: 100, number: NUMBERS[3]! }), rows);
    add('calls.list badge=pending', 20, list({ limit: 100, badge: 'pending' }), rows);
    add('calls.list badge=failed', 20, list({ limit: 100, badge: 'failed' }), rows);
    add('calls.list search by leg id', 20, list({ limit: 100, search: f.legId(Math.floor(n / 3)) }), rows);

    console.log(
      `node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}; 20 runs after 3 warm-up runs`,
    );
    console.log(`${'query'.padEnd(30)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'target'.padStart(7)} ${'ratio'.padStart(6)}  result`);
    for (const c of cases) {
      const ms = time(c.fn);
      const m = median(ms);
      console.log(
        `${c.name.padEnd(30)} ${m.toFixed(2).padStart(6)} ms ${p95(ms).toFixed(2).padStart(6)} ms ${String(c.target).padStart(4)} ms ${(m / c.target).toFixed(2).padStart(6)}  ${c.check()}`,
      );
    }
    ledger.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
