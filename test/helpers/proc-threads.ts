// This process's threads as Linux's /proc lists them: kernel id, name, nice value.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcThread {
  tid: number;
  name: string;
  nice: number;
}

export function threadsOfThisProcess(): ProcThread[] {
  return readdirSync('/proc/self/task').flatMap((t) => {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      // Fields after the name's closing parenthesis start at field 3 (state); nice is field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [{ tid: Number(t), name: readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim(), nice: Number(fields[19 - 3]) }];
    } catch {
      return []; // a thread that ended while listed
    }
  });
}
