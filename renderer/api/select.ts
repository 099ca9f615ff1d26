// Picks the transport at startup:
//   1. window.costDesk (Electron preload)  -> IPC
//   2. dev/mock builds with ?mock           -> in-memory mock (never in production bundles)
//   3. otherwise                            -> browser host over HTTP + SSE, same origin
// The boot module picks it (selectTransport) before React loads, to start the first
// requests; the app then builds its client over that same transport (selectClient).
import { createClient } from './client.ts';
import { createElectronTransport, electronBridge } from './electron.ts';
import { createHttpTransport } from './http.ts';
import type { Method } from '../../shared/contract.ts';
import type { Prefetched, PrefetchCall } from './prefetch.ts';
import { takeTokenFromUrl } from './token.ts';
import type { ApiClient, RawTransport } from './types.ts';

export interface Booted {
  /** Null when the mock transport is wanted (dev and mock builds only): loaded on demand. */
  transport: RawTransport | null;
  prefetched: Prefetched | null;
  /** The calls asked for at boot (they become the first data of their queries). */
  firstCalls: readonly PrefetchCall[];
  /** The methods among them the first render is worth waiting for (briefly). */
  firstNeeds: readonly Method[];
  /** Work that can wait until the app is up (keeping the access token for reloads). */
  later(): void;
}

export interface Selected {
  transport: RawTransport | null;
  later(): void;
}

function wantsMock(): boolean {
  if (import.meta.env.DEV || __COST_DESK_MOCK__) {
    return __COST_DESK_MOCK__ || new URLSearchParams(window.location.search).has('mock');
  }
  return false;
}

/** The transport that needs no code beyond this module; null for the (lazily loaded) mock. */
export function selectTransport(): Selected {
  const nothing = () => {};
  const bridge = electronBridge();
  if (bridge) return { transport: createElectronTransport(bridge), later: nothing };
  if (wantsMock()) return { transport: null, later: nothing };
  const { token, keep } = takeTokenFromUrl();
  return { transport: createHttpTransport(token), later: keep };
}

export async function selectClient(booted: Pick<Booted, 'transport' | 'prefetched'>): Promise<ApiClient> {
  if (booted.transport) return createClient(booted.transport, booted.prefetched);
  if (import.meta.env.DEV || __COST_DESK_MOCK__) {
    const { createMockTransport } = await import('../dev/mock.ts');
    return createClient(createMockTransport());
  }
  throw new Error('no transport to the Cost Desk core');
}
