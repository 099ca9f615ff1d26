// Durability and exclusivity on real ledger files: a reconciler process killed with SIGKILL in
// the middle of a pass and started again ends with the same ledger as an uninterrupted run;
// two processes (and two connections in one process) working one ledger never apply a cost
// twice and complete every job exactly once.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { startSimulator, type RunningSimulator } from '../../electron/core/simulator/index.ts';
import { createTelnyxClient } from '../../electron/core/telnyx/index.ts';
import { ManualClock, systemClock } from '../../electron/core/util/clock.ts';
import { createReconciler, type ReconcileSettings } from '../../electron/core/reconcile/index.ts';
import { insertEndedCalls } from '../helpers/seed-calls.ts';
import { tempDir } from '../helpers/temp.ts';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/settings.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SIM_NOW = Date.UTC(2026, 2, 1);
const SETTINGS: ReconcileSettings = {
  rates: DEFAULT_SETTINGS.rates,
  retryScheduleMs: DEFAULT_SETTINGS.retryScheduleMs,
  settleWindowMs: DEFAULT_SETTINGS.settleWindowMs,
};

/** The reconciler as a CLI cron would run it: one pass over due jobs on a ledger file. */
const CHILD = `
import { openLedgerFile } from ${JSON.stringify(join(ROOT, 'electron/core/ledger/index.ts'))};
import { createTelnyxClient } from ${JSON.stringify(join(ROOT, 'electron/core/telnyx/index.ts'))};
import { systemClock } from ${JSON.stringify(join(ROOT, 'electron/core/util/clock.ts'))};
import { createReconciler } from ${JSON.stringify(join(ROOT, 'electron/core/reconcile/index.ts'))};
const settings = JSON.parse(process.env.RC_SETTINGS);
const ledger = openLedgerFile(process.env.RC_LEDGER);
const client = createTelnyxClient({ baseUrl: process.env.RC_BASE_URL, apiKey: process.env.RC_API_KEY, retry: { baseMs: 5, maxMs: 50 } });
const r = createReconciler({ ledger, client: () => client, clock: systemClock, settings: () => settings });
const counts = await r.processDue();
process.stdout.write(JSON.stringify(counts) + '\\n');
await client.close();
ledger.close();
`;

interface Child {
  proc: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function spawnReconciler(script: string, ledgerFile: string, sim: RunningSimulator, settings: ReconcileSettings): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, RC_LEDGER: ledgerFile, RC_BASE_URL: sim.baseUrl, RC_API_KEY: sim.apiKey, RC_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += String(d)));
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolveDone) =>
    proc.on('exit', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { proc, done };
}

async function finished(c: Child) {
  const out = await c.done;
  assert.equal(out.code, 0, out.stderr.slice(-2000));
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { succeeded: number; notBillable: number; noRecord: number; processed: number };
}

async function setup(t: TestContext, calls: number) {
  const dir = tempDir('reconcile-crash-');
  const script = join(dir, 'reconcile-once.mts');
  writeFileSync(script, CHILD);
  const sim = await startSimulator({ seed: 11, calls, messages: 0, numbers: 4, startMs: Date.UTC(2026, 0, 10), spanMs: 2 * 86_400_000, now: () => SIM_NOW });
  t.after(() => sim.close());
  const truths = Array.from({ length: sim.account.callCount }, (_, i) => sim.account.call(i));
  /** A fresh ledger holding every call, estimated, with its job due. */
  const seeded = (name: string): string => {
    const file = join(dir, name);
    const ledger = openLedgerFile(file);
    const r = createReconciler({ ledger, client: () => null, clock: systemClock, settings: () => SETTINGS });
    const ids = insertEndedCalls(ledger, truths, Date.UTC(2026, 0, 20));
    ledger.tx(() => ids.forEach((id) => r.onCallEnded(id)));
    ledger.close();
    return file;
  };
  return { dir, script, sim, truths, seeded };
}

function snapshot(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const calls = db
      .prepare(
        `SELECT c.call_leg_id AS leg, c.cost_status, c.cost_source, c.exact_nanos, c.currency, c.estimated_nanos, j.status AS job
         FROM calls c JOIN jobs j ON j.call_id = c.id ORDER BY c.call_leg_id`,
      )
      .safeIntegers(true)
      .all();
    return calls;
  } finally {
    db.close();
  }
}

/** Every cost change is a real change, and the last one is what the call books. */
function assertHistoryClean(file: string) {
  const ledger = openLedgerFile(file);
  try {
    const ids = ledger.db.prepare('SELECT id FROM calls').pluck().all() as number[];
    for (const id of ids) {
      const rows = ledger.history.forCall(id);
      for (let k = 1; k < rows.length; k++) {
        const a = rows[k - 1]!;
        const b = rows[k]!;
        assert.ok(!(a.newNanos === b.newNanos && a.newSource === b.newSource && a.newStatus === b.newStatus), `call ${id}: a cost applied twice`);
      }
      const c = ledger.calls.get(id)!;
      const last = rows.at(-1)!;
      assert.equal(last.newNanos, c.costSource === 'estimate' ? c.estimatedNanos : c.exactNanos);
      assert.equal(rows.filter((r) => r.newStatus === 'estimated').length, 1, `call ${id}: one estimate`);
    }
  } finally {
    ledger.close();
  }
}

function jobCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[]) out[r.status] = r.n;
    return out;
  } finally {
    db.close();
  }
}

test('kill -9 in the middle of a pass, restart: the same ledger as an uninterrupted run', async (t) => {
  const s = await setup(t, 1000);
  // Slow answers keep the pass long enough to be killed in the middle of it.
  s.sim.setFaults({ kind: 'slow', delayMs: 40 });
  const settings = { ...SETTINGS, claimBatch: 40, concurrency: 2 };

  const whole = s.seeded('uninterrupted.db');
  const killed = s.seeded('killed.db');
  const uninterrupted = spawnReconciler(s.script, whole, s.sim, settings);
  const child = spawnReconciler(s.script, killed, s.sim, settings);
  let atKill: Record<string, number> = {};
  for (;;) {
    await new Promise((r) => setTimeout(r, 25));
    const c = jobCounts(killed);
    if ((c.completed ?? 0) + (c.no_record ?? 0) >= 200 || child.proc.exitCode !== null) {
      atKill = c;
      break;
    }
  }
  child.proc.kill('SIGKILL');
  const out = await child.done;
  assert.equal(out.signal, 'SIGKILL', 'killed before it finished');
  assert.ok((atKill.pending ?? 0) + (atKill.running ?? 0) > 0, `killed mid-way: ${JSON.stringify(atKill)}`);
  const afterKill = jobCounts(killed);
  assert.equal((await finished(uninterrupted)).processed, 1000);
  // Restarted: the dead process's claims are taken back and the pass completes.
  await finished(spawnReconciler(s.script, killed, s.sim, settings));
  assert.deepEqual(jobCounts(killed), jobCounts(whole), `after the kill: ${JSON.stringify(afterKill)}`);
  assert.deepEqual(snapshot(killed), snapshot(whole));
  assertHistoryClean(killed);
  assertHistoryClean(whole);
  let exact = 0;
  for (const row of snapshot(whole) as { leg: string; exact_nanos: bigint | null; cost_status: string }[]) {
    const tr = s.truths.find((x) => x.callLegId === row.leg)!;
    if (row.cost_status === 'exact') {
      exact++;
      assert.equal(row.exact_nanos, tr.totalCostNanos);
    } else assert.equal(tr.hasRecord, false);
  }
  assert.ok(exact > 960);
});

test('two processes on one ledger never work the same job', async (t) => {
  const s = await setup(t, 600);
  s.sim.setFaults({ kind: 'slow', delayMs: 10 });
  const settings = { ...SETTINGS, claimBatch: 20, concurrency: 2 };
  const shared = s.seeded('shared.db');
  const alone = s.seeded('alone.db');
  const [a, b] = await Promise.all([
    finished(spawnReconciler(s.script, shared, s.sim, settings)),
    finished(spawnReconciler(s.script, shared, s.sim, settings)),
    finished(spawnReconciler(s.script, alone, s.sim, settings)),
  ]);
  // Each job was completed (or settled) once: the two processes' counts add up to the jobs.
  const settled = (c: { succeeded: number; notBillable: number; noRecord: number }) => c.succeeded + c.notBillable + c.noRecord;
  assert.equal(settled(a!) + settled(b!), 600, `a: ${JSON.stringify(a)}, b: ${JSON.stringify(b)}`);
  assert.ok(settled(a!) > 0 && settled(b!) > 0, 'both did part of the work');
  assert.deepEqual(snapshot(shared), snapshot(alone));
  assertHistoryClean(shared);
});

test('two reconcilers with two connections to one file, passes interleaved', async (t) => {
  const s = await setup(t, 800);
  const file = s.seeded('two.db');
  const clock = new ManualClock(SIM_NOW);
  const client = createTelnyxClient({ baseUrl: s.sim.baseUrl, apiKey: s.sim.apiKey });
  t.after(() => client.close());
  const ledgers: Ledger[] = [openLedgerFile(file), openLedgerFile(file)];
  t.after(() => ledgers.forEach((l) => l.close()));
  const rs = ledgers.map((ledger) => createReconciler({ ledger, client: () => client, clock, settings: () => ({ ...SETTINGS, claimBatch: 40 }) }));
  assert.notEqual(rs[0]!.owner, rs[1]!.owner);
  let settled = 0;
  for (let pass = 0; pass < 50; pass++) {
    const counts = await Promise.all(rs.map((r) => r.processDue()));
    for (const c of counts) settled += c.succeeded + c.notBillable + c.noRecord;
    const open = ledgers[0]!.jobs.countByStatus();
    if (open.pending + open.running + open.failed === 0) break;
    const next = ledgers[0]!.jobs.nextDueAt();
    if (next !== null && next > clock.now()) await clock.advance(next - clock.now());
  }
  assert.equal(settled, 800);
  const c = ledgers[0]!.jobs.countByStatus();
  assert.equal(c.completed + c.no_record + c.not_billable, 800);
  assertHistoryClean(file);
});
