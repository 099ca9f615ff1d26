// Who runs a piece of work ("host:pid:random"), and whether that process is gone. A process
// killed with kill -9 leaves its claims behind; one on this machine whose pid no longer runs
// is dead at once, without waiting for its heartbeat to go stale (another machine's owner,
// say on a shared folder, is left to the heartbeat).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export function newOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `owner` names a process of this machine that no longer runs. */
export function ownerIsDead(owner: string): boolean {
  const [host, p] = owner.split(':');
  const pid = Number(p);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return !processAlive(pid);
}
