// This process's threads as Linux's /proc lists them: kernel id, name, nice value, CPU time.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcThread {
  tid: number;
  name: string;
  nice: number;
  /** User + system CPU time so far, ms. */
  cpuMs: number;
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

export function threadsOfThisProcess(): ProcThread[] {
  return readdirSync('/proc/self/task').flatMap((t) => {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      // Fields after the name's closing parenthesis start at field 3 (state): utime and stime
      // are fields 14 and 15 (clock ticks), nice is field 19.
      const close = stat.lastIndexOf(')');
      const f = stat.slice(close + 2).split(' ');
      const field = (n: number) => Number(f[n - 3]);
      return [{ tid: Number(t), name: stat.slice(stat.indexOf('(') + 1, close), nice: field(19), cpuMs: (field(14) + field(15)) * TICK_MS }];
    } catch {
      return []; // a thread that ended while listed
    }
  });
}
