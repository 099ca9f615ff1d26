// The Telnyx simulator for tests: over real HTTP on 127.0.0.1 (port 0), with its clock pinned
// so which records "exist yet" never depends on the wall clock, and a client that talks to it
// with short retry backoffs (faults are retried in milliseconds, not seconds).
import { after, before } from 'node:test';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../electron/core/simulator/index.ts';
import { createTelnyxClient, type TelnyxClient, type TelnyxClientOptions } from '../../electron/core/telnyx/index.ts';

/** The simulator's default account spans 2026-01-01 .. 2026-01-15; every record exists by then. */
export const SIM_NOW = Date.UTC(2026, 1, 1);
export const ACCOUNT_START = Date.UTC(2026, 0, 1);

// Closed when the test file is done (registered at import time, on the root test).
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});

/** Closes once, however many times it is called (a test may close early). */
function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null;
  return () => (p ??= fn());
}

/**
 * A well set up account whose calls and messages lie in the last three days before SIM_NOW
 * (the doctor counts the last 7 days), each call with its call.cost event.
 */
export function recentAccount(seed: string, calls: number, messages: number): SimulatorOptions {
  return { seed, calls, messages, startMs: SIM_NOW - 3 * 86_400_000, spanMs: 2 * 86_400_000, callCostEventRate: 1 };
}

export async function startTestSimulator(o: SimulatorOptions & { nowMs?: number } = {}): Promise<RunningSimulator> {
  const now = o.nowMs ?? SIM_NOW;
  const sim = await startSimulator({ now: () => now, ...o });
  const close = once(() => sim.close());
  closers.push(close);
  return { ...sim, close };
}

/**
 * The simulator the tests of a suite share: started by a `before` hook registered where this is
 * called (in a describe block: before its first test), closed when the file is done. The object
 * is filled in then: read it inside tests and hooks.
 */
export function simulatorForSuite(o: SimulatorOptions & { nowMs?: number }): RunningSimulator {
  const sim = {} as RunningSimulator;
  before(async () => {
    Object.assign(sim, await startTestSimulator(o));
  });
  return sim;
}

export function testClient(sim: { baseUrl: string; apiKey: string }, o: Partial<TelnyxClientOptions> = {}): TelnyxClient {
  const client = createTelnyxClient({
    baseUrl: sim.baseUrl,
    apiKey: sim.apiKey,
    retry: { baseMs: 5, maxMs: 40, random: () => 0.5 },
    ...o,
  });
  const close = once(() => client.close());
  closers.push(close);
  return { ...client, close };
}
