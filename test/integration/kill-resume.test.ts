// kill -9 at random points of the CLI's import, sync and reconcile, as cron runs them: each
// kill is followed at once by the same command again (a dead owner never makes it wait or
// refuse), every killed ledger passes integrity_check, and after the last resume the ledger
// equals an uninterrupted run's. Kill points: a seeded random delay after the spawn, over
// the child's start-up and its whole run (the simulator answers a little slowly so the run is
// long enough to be cut anywhere).
import { Rng } from '../../electron/core/simulator/prng.ts';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { updateSettings } from '../../electron/core/settings/settings.ts';
import type { RunningSimulator } from '../../electron/core/simulator/index.ts';
import { ALL_RECORD_TYPES } from '../../shared/domain.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { createLogger } from '../../electron/core/util/logger.ts';
import { createNodeSecretStore } from '../../electron/secrets/index.ts';
import { CLI_MAIN, childEnv, runCli } from '../helpers/cli.ts';
import { assertSameLedger } from '../helpers/compare.ts';
import { BOOKKEEPING_TABLES, WRITE_TIME_COLUMNS, dumpFile, type DumpOptions } from '../helpers/ledger.ts';
import { startTestSimulator } from '../helpers/simulator.ts';
import { tempDir } from '../helpers/temp.ts';

const KILLS_PER_COMMAND = 7;

/** The simulator's seeded stream (mulberry32): the same sequence on every run. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

function dataDir(sim: RunningSimulator): string {
  const dir = tempDir('cost-desk-kill-');
  const ledger = openLedgerFile(join(dir, LIVE_LEDGER));
  // Estimates from learned rates, and a number's estimate currency taken from its first exact
  // costs, depend on which exact costs were known at each hangup, so a pass cut in two may
  // estimate differently (by design): the battery is about durability, so the estimates here
  // use fixed rates, each number's currency given in Settings.
  const numbers = sim.account.numbers.map((n) => ({ number: n.e164, currency: n.currency, inboundPerMinute: '0.01', outboundPerMinute: '0.015' }));
  updateSettings(ledger, { apiBaseUrl: sim.baseUrl, rates: { learnRates: false, numbers } }, Date.now());
  ledger.close();
  return dir;
}

function integrity(dir: string): string {
  const db = new Database(join(dir, LIVE_LEDGER), { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/**
 * Runs the command; once it has begun its work (a run row of `kind`), waits `workMs * fraction`
 * and kills it with SIGKILL. Returns how long its work took and whether the kill landed.
 */
async function runAndKill(
  argv: string[],
  env: Record<string, string>,
  dir: string,
  kind: string,
  kill: { workMs: number; fraction: number } | null,
): Promise<{ killed: boolean; code: number | null; stderr: string; workMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: childEnv(env) });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let exited = false;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );
  // The ledger already has runs of this kind from earlier rounds? Then watch for one more.
  const before = countRuns(dir, kind);
  while (!exited && countRuns(dir, kind) <= before) await sleep(5);
  const began = Date.now();
  if (kill && !exited) {
    await sleep(Math.floor(kill.workMs * kill.fraction));
    if (!exited) child.kill('SIGKILL');
  }
  const { code, signal } = await ended;
  return { killed: signal === 'SIGKILL', code, stderr, workMs: Date.now() - began };
}

function countRuns(dir: string, kind: string): number {
  let db: Database.Database | null = null;
  try {
    db = new Database(join(dir, LIVE_LEDGER), { readonly: true, fileMustExist: true });
    return Number(db.prepare('SELECT COUNT(*) FROM runs WHERE kind = ?').pluck().get(kind));
  } catch {
    return -1; // being created or migrated
  } finally {
    db?.close();
  }
}

/** The core as the CLI opens it, on `dir`, for one call. */
async function withCore(dir: string, fn: (core: Core) => Promise<void>): Promise<void> {
  const core = await createCore({
    dataDir: dir,
    secrets: createNodeSecretStore(dir),
    host: 'cli',
    autoStart: false,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    await fn(core);
  } finally {
    await core.close();
  }
}

/** Every call's last cost change is what it books now. */
function assertHistoryEndsAtBooked(dir: string): void {
  const db = new Database(join(dir, LIVE_LEDGER), { readonly: true });
  try {
    const wrong = db
      .prepare(
        `SELECT c.id FROM calls c JOIN cost_history h ON h.id = (SELECT MAX(id) FROM cost_history WHERE call_id = c.id)
          WHERE h.new_nanos IS NOT (CASE WHEN c.cost_source = 'estimate' THEN c.estimated_nanos ELSE c.exact_nanos END)`,
      )
      .pluck()
      .all();
    assert.deepEqual(wrong, [], 'calls whose last history row is not their booked cost');
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Columns that say when (by the wall clock) a row was written or is due: differ between any two runs. */
const TIMING = [
  ...WRITE_TIME_COLUMNS,
  'jobs.next_run_at',
  'jobs.created_at',
  'jobs.completed_at',
  'jobs.lease_owner',
  'jobs.lease_expires_at',
  'jobs.last_error',
  'jobs.attempts',
  'jobs.id',
  'cost_history.id',
  'sync_cursors.value',
  'events.id',
  'events.delivery_id',
  'events.started_at',
];
const SAME: { excludeTables: string[]; excludeColumns: string[] } = { excludeTables: [...BOOKKEEPING_TABLES, 'settings'], excludeColumns: TIMING };

describe('kill -9 at random points, resumed at once', () => {
  let sim: RunningSimulator;
  let env: Record<string, string>;
  const random = rng(20261204);
  const kills: string[] = [];
  before(async () => {
    // A live account around now (sync reads deliveries of the last day, by the wall clock).
    sim = await startTestSimulator({ seed: 'kills', calls: 300, messages: 80, live: true, nowMs: Date.now(), spanMs: 20 * 3600_000, sipTrunkingRate: 0.2 });
    sim.setFaults({ kind: 'slow', delayMs: 25 });
    env = { TELNYX_API_KEY: sim.apiKey };
    process.env.TELNYX_API_KEY = sim.apiKey; // for the resumes in this process
  });

  /**
   * Per round: a fresh ledger (from `fresh`), the command killed at a random point of its
   * work, then run again at once to the end; the result must equal the uninterrupted run's.
   */
  async function battery(o: {
    what: string;
    kind: string;
    argv: (dir: string) => string[];
    resume: (dir: string) => Promise<void>;
    fresh: () => string;
    rounds: number;
    same?: DumpOptions;
  }): Promise<void> {
    const same = o.same ?? SAME;
    const whole = o.fresh();
    const first = await runAndKill(o.argv(whole), env, whole, o.kind, null);
    assert.equal(first.code, 0, `${o.what}, uninterrupted: ${first.stderr}`);
    const want = dumpFile(join(whole, LIVE_LEDGER), same);
    // Until `rounds` kills landed (a kill after the command ended is not one), at most twice as many tries.
    let landed = 0;
    for (let k = 0; landed < o.rounds && k < 2 * o.rounds; k++) {
      const dir = o.fresh();
      const fraction = 0.6 * random();
      const r = await runAndKill(o.argv(dir), env, dir, o.kind, { workMs: first.workMs, fraction });
      if (r.killed) {
        landed++;
        kills.push(`${o.what} at ${Math.round(fraction * 100)}%`);
      } else assert.equal(r.code, 0, `${o.what} ended on its own with ${r.code}: ${r.stderr}`);
      assert.equal(integrity(dir), 'ok', `${o.what}: integrity after a kill at ${Math.round(fraction * 100)}% of its work`);
      // At once: a dead owner's claims must not make the resume wait or refuse. Every other
      // round resumes through the CLI, the rest in this process through the same core calls
      // (no start-up cost).
      if (k % 2 === 0) {
        const resumed = await runCli(o.argv(dir), env);
        assert.equal(resumed.code, 0, `${o.what}, resumed after a kill at ${Math.round(fraction * 100)}%: ${resumed.stderr}`);
      } else {
        await o.resume(dir);
      }
      assert.equal(integrity(dir), 'ok');
      assertSameLedger(dumpFile(join(dir, LIVE_LEDGER), same), want, `${o.what} killed at ${Math.round(fraction * 100)}% and resumed vs uninterrupted`);
    }
  }

  it('import', async () => {
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 60_000).toISOString();
    // The runtime's own import, as import.start runs it (batch reports for the long part, the
    // pages on the write worker): a kill inside the report phase resumes the report.
    const resume = (dir: string) =>
      withCore(dir, async (core) => {
        const started = core.runtime.startImport(Date.parse(from), Date.parse(to), [...ALL_RECORD_TYPES]);
        const p = await core.runtime.waitImport(started.importId);
        assert.equal(p.status, 'completed');
      });
    await battery({
      what: 'import',
      kind: 'import',
      argv: (dir) => ['import', '--from', from, '--to', to, '--data-dir', dir],
      resume,
      fresh: () => dataDir(sim),
      rounds: KILLS_PER_COMMAND,
    });
  });

  let synced = '';
  it('sync', async () => {
    const resume = (dir: string) =>
      withCore(dir, async (core) => {
        assert.equal((await core.runtime.pollNow()).rejected, 0);
      });
    await battery({ what: 'sync', kind: 'poll', argv: (dir) => ['sync', '--data-dir', dir], resume, fresh: () => dataDir(sim), rounds: KILLS_PER_COMMAND });
    synced = dataDir(sim);
    const r = await runCli(['sync', '--data-dir', synced], env);
    assert.match(r.stdout, /sync: [1-9]\d* deliveries/);
  });

  it('reconcile', async () => {
    assert.ok(synced, 'the sync test ran first');
    const fresh = () => {
      const dir = tempDir('cost-desk-kill-');
      copyFileSync(join(synced, LIVE_LEDGER), join(dir, LIVE_LEDGER));
      return dir;
    };
    const resume = (dir: string) =>
      withCore(dir, async (core) => {
        await core.runtime.session().reconciler.processDue();
      });
    // cost_history is the log of every change on the way: a pass cut in two may take another
    // way to the same costs (a call's records met on two pages or on one). The final state is
    // compared, and each history is checked to end at the call's booked cost.
    await battery({
      what: 'reconcile',
      kind: 'reconcile',
      argv: (dir) => ['reconcile', '--data-dir', dir],
      resume: async (dir) => {
        await resume(dir);
        assertHistoryEndsAtBooked(dir);
      },
      fresh,
      rounds: KILLS_PER_COMMAND,
      same: { ...SAME, excludeTables: [...SAME.excludeTables, 'cost_history'] },
    });
  });

  it('at least 20 kills landed in the middle of their command', () => {
    assert.ok(kills.length >= 20, `${kills.length} of ${3 * KILLS_PER_COMMAND} kills landed: ${kills.join(', ')}`);
  });
});
