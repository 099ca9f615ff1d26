// The simulator in a child process (its own event loop, ideally the other core), for
// benchmarks that must not share a thread with the client they measure. The child prints
// one JSON ready line on stdout; control goes over the loopback-only /_sim routes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FaultRule } from './faults.ts';
import type { SimulatorOptions } from './server.ts';
import type { SimStats } from './stats.ts';

/** Serializable simulator options (no `now` function, no prebuilt account). */
export type SimulatorProcessOptions = Omit<SimulatorOptions, 'now' | 'account'> & {
  /** Give up waiting for the ready line after this long. Default 30 s. */
  startTimeoutMs?: number;
};

export interface SimulatorProcess {
  url: string;
  baseUrl: string;
  apiKey: string;
  pid: number;
  /** Resolved account options: `createAccount(account.options)` rebuilds the same data here. */
  account: { options: Record<string, unknown>; callCount: number; messageCount: number };
  child: ChildProcess;
  setFaults(rules: FaultRule | FaultRule[]): Promise<void>;
  clearFaults(): Promise<void>;
  stats(): Promise<SimStats>;
  resetStats(): Promise<void>;
  setNow(ms: number | null): Promise<void>;
  setClockOffset(ms: number): Promise<void>;
  close(): Promise<void>;
}

function tsxImport(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}

export async function startSimulatorProcess(options: SimulatorProcessOptions = {}): Promise<SimulatorProcess> {
  const { startTimeoutMs = 30_000, ...config } = options;
  const mainPath = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', tsxImport(), mainPath, '--config', JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 10_000) stderr += d.toString();
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`simulator process not ready after ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.event === 'simulator-ready') {
          clearTimeout(timer);
          lines.close();
          resolve(msg);
        }
      } catch {
        // not our line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator process exited (${code}) before it was ready: ${stderr}`));
    });
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout!.resume();
  const url = String(ready.url);
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`simulator control ${method} ${path} failed: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    baseUrl: String(ready.baseUrl),
    apiKey: String(ready.apiKey),
    pid: Number(ready.pid),
    account: ready.account as SimulatorProcess['account'],
    child,
    setFaults: async (rules) => void (await call('POST', '/_sim/faults', { faults: Array.isArray(rules) ? rules : [rules] })),
    clearFaults: async () => void (await call('DELETE', '/_sim/faults')),
    stats: async () => (await call('GET', '/_sim/stats')) as SimStats,
    resetStats: async () => void (await call('POST', '/_sim/stats/reset')),
    setNow: async (ms) => void (await call('POST', '/_sim/clock', { nowMs: ms })),
    setClockOffset: async (ms) => void (await call('POST', '/_sim/clock', { offsetMs: ms })),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
