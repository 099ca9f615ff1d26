// A worker thread that should give way: the import's fetch worker yields the cores to the
// write worker (the import's one serial stage: SQLite has one writer) and to the app's own
// threads whenever they want them, and takes what is left.
//
// Only Linux keeps a nice value per thread (setpriority(2): under NPTL it is a per-thread
// attribute, and PRIO_PROCESS with a thread id sets that thread's). On macOS and Windows the
// same call would lower the whole app, so there it does nothing.
import { readlinkSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

export type PriorityOutcome = { lowered: true; tid: number } | { lowered: false; why: string };

/**
 * Raises the calling thread's nice value to `nice` (1-19; a thread may always lower its own
 * priority), unless it is there already or lower. libuv's thread pool is started first: its threads are created once per process
 * and inherit the nice value of the thread that starts them, and they serve every thread's
 * file and DNS work, so they must not start here at the lower priority.
 */
export async function lowerThreadPriority(nice: number): Promise<PriorityOutcome> {
  if (!Number.isInteger(nice) || nice < 1 || nice > 19) throw new RangeError(`nice must be an integer from 1 to 19, not ${nice}`);
  if (process.platform !== 'linux') return { lowered: false, why: `${process.platform} keeps one priority per process` };
  await stat('/'); // any thread-pool work starts the pool (once per process)
  const tid = threadId();
  if (tid === null) return { lowered: false, why: '/proc/thread-self is not mounted' };
  // Never a raise: an app started under `nice 15` keeps its threads there (raising needs privilege).
  const now = getPriority(tid);
  if (now >= nice) return { lowered: false, why: `already at nice ${now}` };
  setPriority(tid, nice);
  return { lowered: true, tid };
}

/** The calling thread's kernel id (/proc/thread-self links to <pid>/task/<tid>), or null without /proc. */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}
