// The data layer as React context (the QueryClientProvider holds its QueryClient).
import { createContext, useContext } from 'react';
import type { DataLayer } from './client.ts';

export const DataContext = createContext<DataLayer | null>(null);

export function useData(): DataLayer {
  const d = useContext(DataContext);
  if (!d) throw new Error('useData outside <DataContext.Provider>');
  return d;
}
