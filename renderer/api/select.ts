// Picks the transport at startup:
//   1. window.costDesk (Electron preload)  -> IPC
//   2. dev/mock builds with ?mock           -> in-memory mock (never in production bundles)
//   3. otherwise                            -> browser host over HTTP + SSE, same origin
import { createClient } from './client.ts';
import { createElectronTransport, electronBridge } from './electron.ts';
import { createHttpTransport } from './http.ts';
import { takeTokenFromUrl } from './token.ts';
import type { ApiClient } from './types.ts';

export async function selectClient(): Promise<ApiClient> {
  const bridge = electronBridge();
  if (bridge) return createClient(createElectronTransport(bridge));

  if (import.meta.env.DEV || __COST_DESK_MOCK__) {
    const wantsMock = __COST_DESK_MOCK__ || new URLSearchParams(window.location.search).has('mock');
    if (wantsMock) {
      const { createMockTransport } = await import('../dev/mock.ts');
      return createClient(createMockTransport());
    }
  }

  return createClient(createHttpTransport(takeTokenFromUrl()));
}
