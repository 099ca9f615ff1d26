// The real core as the integration tests open it: host 'test', the loops off (each test drives
// its passes by hand), no logging, the key in memory; and contract calls through dispatch, the
// one gate every host's calls go through.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DoctorReport, Input, Method, Output } from '../../shared/contract.ts';
import { dispatch } from '../../electron/core/api/dispatch.ts';
import { createCore, type Core } from '../../electron/core/index.ts';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { memorySecretStore, type SecretStore } from '../../electron/core/runtime/secret-store.ts';
import { LIVE_LEDGER } from '../../electron/core/runtime/session.ts';
import { updateSettings } from '../../electron/core/settings/settings.ts';
import { ManualClock, type Clock } from '../../electron/core/util/clock.ts';
import { silentLogger } from '../../electron/core/util/logger.ts';
import { SIM_NOW } from './simulator.ts';
import { tempDir } from './temp.ts';

export interface TestCoreOptions {
  /** Default: a fresh temp dir. */
  dataDir?: string;
  /** The API key in the secret store (default: none). */
  key?: string | null;
  /** A secret store of the test's own (instead of `key`). */
  secrets?: SecretStore;
  /** Default: the system clock. */
  clock?: Clock;
  /** The base URL a host takes from TELNYX_API_BASE_URL (default: none, the stored setting). */
  apiBaseUrl?: string;
}

/** A fresh core as a test host opens it; close it when done. */
export function openTestCore(o: TestCoreOptions = {}): Promise<Core> {
  return createCore({
    dataDir: o.dataDir ?? tempDir(),
    secrets: o.secrets ?? memorySecretStore(o.key ?? null),
    host: 'test',
    autoStart: false,
    logger: silentLogger(),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.apiBaseUrl !== undefined ? { apiBaseUrl: o.apiBaseUrl } : {}),
  });
}

/** A core sent to the simulator as a host sends it (its key, TELNYX_API_BASE_URL), at SIM_NOW. */
export function coreOnSimulator(sim: { baseUrl: string; apiKey: string }, o: { dataDir?: string; key?: string | null } = {}): Promise<Core> {
  return openTestCore({ dataDir: o.dataDir, key: o.key === undefined ? sim.apiKey : o.key, clock: new ManualClock(SIM_NOW), apiBaseUrl: sim.baseUrl });
}

/**
 * A core whose ledger points at the simulator through the stored setting (as a user sets it in
 * Settings), an hour after the simulator's account ends: a live account, not an override.
 */
export function liveCore(sim: { baseUrl: string; apiKey: string }, dataDir = tempDir()): Promise<Core> {
  const ledger = openLedgerFile(join(dataDir, LIVE_LEDGER));
  updateSettings(ledger, { apiBaseUrl: sim.baseUrl }, SIM_NOW);
  ledger.close();
  return openTestCore({ dataDir, key: sim.apiKey, clock: new ManualClock(SIM_NOW + 3_600_000) });
}

/** A contract call that must succeed: its output, or an error naming the method and the failure. */
export async function call<M extends Method>(core: Core, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await dispatch(core.api, method, input);
  if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.code}: ${r.error.message}`), { appError: r.error });
  return r.value as Output<M>;
}

/** The account doctor's report for the simulator's account, from a core opened for it alone. */
export async function doctorOf(sim: { baseUrl: string; apiKey: string }): Promise<DoctorReport> {
  const core = await coreOnSimulator(sim);
  try {
    const r = await dispatch(core.api, 'doctor.run', {});
    assert.ok(r.ok, JSON.stringify(r));
    return r.value as DoctorReport;
  } finally {
    await core.close();
  }
}
