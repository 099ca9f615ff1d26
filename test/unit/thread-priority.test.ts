// util/thread-priority.ts on Linux's real scheduler: a worker thread that lowers itself ends
// at the nice value asked, while every other thread of the process keeps its own, including
// libuv's thread pool, started later by that very thread's file work (the pool's threads
// inherit the nice value of the thread that starts them). Run in a fresh process with plain
// node (no loader thread that would have started the pool already).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lowerThreadPriority } from '../../electron/core/util/thread-priority.ts';
import type { ProcThread } from '../helpers/proc-threads.ts';

const linux = process.platform === 'linux';
const fixture = fileURLToPath(new URL('../fixtures/threads/lowered-worker.ts', import.meta.url));

describe('lowering a worker thread’s priority', { skip: !linux && 'per-thread nice values are Linux’s' }, () => {
  it('lowers that thread alone, never raises it; the thread pool it starts afterwards keeps the process’s priority', () => {
    const child = spawnSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.status, 0, child.stderr);
    const { mainTid, before, after, outcome } = JSON.parse(child.stdout) as {
      mainTid: number;
      before: ProcThread[];
      after: ProcThread[];
      outcome: { lowered: boolean; tid: number; again: unknown };
    };
    const base = before.find((t) => t.tid === mainTid)!.nice;
    assert.ok(!before.some((t) => t.name === 'libuv-worker'), 'the pool had not started before the worker lowered itself');
    assert.equal(outcome.lowered, true);
    const lowered = after.find((t) => t.tid === outcome.tid);
    assert.ok(lowered && !before.some((t) => t.tid === lowered.tid), 'the lowered thread is the worker (it started after the process)');
    assert.equal(lowered.nice, 7, 'lowered, and not raised again by the second call');
    assert.deepEqual(outcome.again, { lowered: false, why: 'already at nice 7' });
    const pool = after.filter((t) => t.name === 'libuv-worker');
    assert.ok(pool.length > 0, 'the worker’s file work started the pool');
    assert.deepEqual(
      after.filter((t) => t.tid !== outcome.tid).map((t) => [t.name, t.nice]),
      after.filter((t) => t.tid !== outcome.tid).map((t) => [t.name, base]),
    );
  });

  it('refuses a value that is not a lowering (1-19)', async () => {
    for (const nice of [0, -5, 20, 2.5, Number.NaN]) await assert.rejects(lowerThreadPriority(nice), RangeError);
  });
});
