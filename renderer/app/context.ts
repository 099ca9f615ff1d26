// React contexts: the API client, and app-wide state (mode/info, sync status, navigation).
import { createContext, useContext } from 'react';
import type { SyncStatus } from '../../shared/contract.ts';
import type { Output } from '../../shared/contract.ts';
import type { ApiClient, ConnectionState } from '../api/types.ts';
import type { Route } from '../hooks/useRoute.ts';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}

export type AppInfo = Output<'app.info'>;

export interface AppState {
  info: AppInfo | null;
  sync: SyncStatus | null;
  connection: ConnectionState;
  route: Route;
  setInfo(info: AppInfo): void;
  reloadInfo(): Promise<void>;
  reloadSync(): Promise<void>;
  navigate(route: Route): void;
}

export const AppStateContext = createContext<AppState | null>(null);

export function useAppState(): AppState {
  const s = useContext(AppStateContext);
  if (!s) throw new Error('useAppState outside <AppStateContext.Provider>');
  return s;
}
