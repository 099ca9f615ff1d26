// End-to-end harness: the real core (createCore, ledger in a temp dir, key in memory), the
// real browser host (startWebHost serving the built renderer) and, for live mode, the
// Telnyx simulator over real HTTP. Everything is started by the test that needs it and
// closed when its file is done.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'node:test';
import { after } from 'node:test';
import type { Input, Method, Output, Result } from '../../../shared/contract.ts';
import { createCore, type Core } from '../../../electron/core/index.ts';
import { memorySecretStore } from '../../../electron/core/runtime/secret-store.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../electron/core/simulator/index.ts';
import { createLogger, silentLogger } from '../../../electron/core/util/logger.ts';
import { startWebHost, type WebHost } from '../../../electron/web/server.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Closed when the test file is done, last started first.
const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
});
export function onClose(fn: () => Promise<void> | void): void {
  closers.push(async () => {
    await fn();
  });
}

/** `npm test` builds the renderer first; a lone `node --test` of an e2e file builds it here. */
export function ensureRendererBuilt(): void {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return;
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`vite build did not produce ${RENDERER_DIR}/index.html`);
}

/**
 * True when Chromium is there. Otherwise the test is skipped with a clear message — except on
 * CI (process.env.CI), where a missing browser is a failure: CI installs it.
 */
export function haveChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  const why = `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium fonts-dejavu-core) or set CHROMIUM=/path/to/chromium`;
  if (process.env.CI) throw new Error(`${why} (CI must run the browser tests)`);
  t.skip(why);
  return false;
}

export function tempDir(prefix = 'cost-desk-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onClose(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface App {
  core: Core;
  host: WebHost;
  dataDir: string;
  /** A contract call over the browser host's HTTP API (validated by dispatch, like the page's). */
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** The same, returning the Result (for calls expected to fail). */
  result<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Start the polling and fetching loops (default false: tests drive passes by hand). */
  autoStart?: boolean;
  demoCalls?: number;
}

export async function startApp(o: AppOptions = {}): Promise<App> {
  ensureRendererBuilt();
  const dataDir = tempDir();
  const logger = process.env.COST_DESK_LOG_LEVEL && process.env.COST_DESK_LOG_LEVEL !== 'silent' ? createLogger() : silentLogger();
  const core = await createCore({
    dataDir,
    secrets: memorySecretStore(),
    host: 'web',
    logger,
    autoStart: o.autoStart ?? false,
    ...(o.demoCalls ? { demoCalls: o.demoCalls } : {}),
  });
  const host = await startWebHost({
    core,
    rendererDir: RENDERER_DIR,
    onInternalError: (err, where) => console.error(`[web host] ${where}:`, err),
  });
  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      await host.close();
      await core.close();
    })());
  onClose(close);
  const result = async <M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>> => {
    const res = await fetch(`${host.origin}/api/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cost-desk-token': host.token },
      body: JSON.stringify(input),
    });
    if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Result<Output<M>>;
  };
  return {
    core,
    host,
    dataDir,
    result,
    async call(method, input) {
      const r = await result(method, input);
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    close,
  };
}

/** A simulator, and the app switched to live mode against it through the contract. */
export async function connectSimulator(app: App, o: SimulatorOptions): Promise<RunningSimulator> {
  const sim = await startSimulator(o);
  onClose(() => sim.close());
  await app.call('settings.update', { apiBaseUrl: sim.baseUrl });
  await app.call('settings.setApiKey', { apiKey: sim.apiKey });
  const info = await app.call('app.info', {});
  if (info.mode !== 'live') throw new Error(`expected live mode after setting the key, got ${info.mode}`);
  return sim;
}

/** Polls `fn` until it returns a truthy value (or throws after `ms`). */
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, ms = 15_000, every = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** UTC midnight `days` days before today. */
export function utcMidnightDaysAgo(days: number, now = Date.now()): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - days);
}

/** "2026-01-05" (UTC) for <input type="date">; the browser contexts run in UTC. */
export function dayInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A started app in live mode against a simulator of `account` (both closed with the file). */
export async function startLiveApp(account: SimulatorOptions, o: AppOptions = {}): Promise<{ app: App; sim: RunningSimulator }> {
  const app = await startApp(o);
  const sim = await connectSimulator(app, account);
  return { app, sim };
}

/** Imports every record type over `range` through the contract and waits for it to complete. */
export async function importRange(app: App, range: { from: number; to: number }, timeoutMs?: number): Promise<void> {
  const p = await app.call('import.start', { range, recordTypes: ['call-control', 'sip-trunking', 'webrtc', 'messaging'] });
  await waitFor(
    async () => (await app.call('import.list', {})).imports.find((i) => i.importId === p.importId)?.status === 'completed',
    'the import',
    timeoutMs,
  );
}

const HOUR = 3_600_000;

/**
 * A simulated account of the last day: calls and messages in the 12 hours that ended 8 hours
 * before `now`, each detail record listed 2 to 8 s after its hangup.
 */
export function lastDayAccount(seed: string, calls: number, messages: number, now = Date.now()) {
  return { seed, calls, messages, startMs: now - 20 * HOUR, spanMs: 12 * HOUR, recordDelayMs: { min: 2_000, max: 8_000 } };
}

/** January 5th 2026 (UTC): where the e2e accounts of a past month begin. */
export const JANUARY_START = Date.UTC(2026, 0, 5);

/** A simulated account of `days` days from JANUARY_START: a past month, for the statements and alerts that read one. */
export function januaryAccount(seed: string, calls: number, messages: number, days: number) {
  return { seed, calls, messages, startMs: JANUARY_START, spanMs: days * 24 * HOUR, recordDelayMs: { min: 2_000, max: 8_000 } };
}
