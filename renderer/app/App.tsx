// The app shell: header (brand, mode badge, sync status), left nav, and the current screen.
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient, ConnectionState } from '../api/types.ts';
import { keyOf, type DataLayer } from '../data/client.ts';
import { DataContext } from '../data/context.ts';
import { useQuery } from '../hooks/useQuery.ts';
import { AlertBadge } from '../components/AlertBadge.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ModeBadge } from '../components/ModeBadge.tsx';
import { SyncStatusLine } from '../components/SyncStatusLine.tsx';
import { ROUTES, useRoute } from '../hooks/useRoute.ts';
import { TITLES } from '../lib/routes.ts';
import { ApiContext, AppStateContext, type AppInfo, type AppState } from './context.ts';
import { Screen, warmScreens } from './screens.tsx';

export function App({ api, data }: { api: ApiClient; data: DataLayer }) {
  return (
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={data.queries}>
        <DataContext.Provider value={data}>
          <Shell api={api} data={data} />
        </DataContext.Provider>
      </QueryClientProvider>
    </ApiContext.Provider>
  );
}

function Shell({ api, data }: { api: ApiClient; data: DataLayer }) {
  const [route, navigate] = useRoute();
  // Both are cached queries: the boot module's answers are their first data, and the core's
  // events (sync.status pushes, writes of the mode) keep them current (data/client.ts).
  const infoQuery = useQuery('app.info', {});
  const syncQuery = useQuery('sync.status', {});
  const info = infoQuery.data;
  const infoError = infoQuery.error;
  const sync = syncQuery.data;
  const [connection, setConnection] = useState<ConnectionState>('connected');
  const mainRef = useRef<HTMLElement>(null);
  // Focus follows navigation, not the page opening (see Screen).
  const landedOn = useRef(route);
  const navigated = useRef(false);
  if (route !== landedOn.current) navigated.current = true;

  const reloadInfo = infoQuery.reload;
  const reloadSync = syncQuery.reload;
  const setInfo = useCallback((i: AppInfo) => data.queries.setQueryData(keyOf('app.info', {}), i), [data]);

  useEffect(() => warmScreens(), []);
  // The first commit, for the first-paint benchmark's breakdown (next to boot.ts's marks).
  useLayoutEffect(() => void performance.mark('cost-desk:app-rendered'), []);

  // (Back after an outage, the data layer re-reads everything shown.)
  useEffect(() => api.onConnection(setConnection), [api]);

  // The mode can change underneath (key saved, demo started elsewhere): follow sync.status.
  useEffect(() => {
    if (sync && info && sync.mode !== info.mode) void reloadInfo();
  }, [sync, info, reloadInfo]);

  useEffect(() => {
    document.title = `${TITLES[route]} — Telnyx Cost Desk${info?.mode === 'demo' ? ' (demo data)' : ''}`;
  }, [route, info?.mode]);

  const state = useMemo<AppState>(
    () => ({ info, sync, connection, route, setInfo, reloadInfo, reloadSync, navigate }),
    [info, sync, connection, route, setInfo, reloadInfo, reloadSync, navigate],
  );

  const skipToMain = () => mainRef.current?.focus();
  const mode = info?.mode ?? sync?.mode ?? null;

  return (
    <AppStateContext.Provider value={state}>
      <div className={`shell${mode === 'demo' ? ' shell-demo' : ''}`}>
        <button type="button" className="skip-link" onClick={skipToMain}>
          Skip to content
        </button>
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ¢
            </span>
            <span className="brand-name">Telnyx Cost Desk</span>
            {mode && <ModeBadge mode={mode} />}
          </div>
          <SyncStatusLine />
        </header>
        {connection === 'disconnected' && (
          <div className="conn-banner" role="alert" data-testid="connection-lost">
            Lost the connection to the Cost Desk host; live updates are paused and will resume when it is back.
          </div>
        )}
        <nav className="sidebar" aria-label="Main">
          <ul>
            {ROUTES.map((r) => (
              <li key={r}>
                <a
                  href={`#/${r}`}
                  className={`nav-link${route === r ? ' nav-link-active' : ''}`}
                  aria-current={route === r ? 'page' : undefined}
                  data-testid={`nav-${r}`}
                >
                  {TITLES[r]}
                  {r === 'alerts' && <AlertBadge />}
                </a>
              </li>
            ))}
          </ul>
          {info && (
            <p className="sidebar-foot">
              v{info.version} · {api.platform === 'electron' ? 'desktop' : api.platform === 'mock' ? 'mock host' : 'browser'}
            </p>
          )}
        </nav>
        <main id="main" className="main" ref={mainRef} tabIndex={-1} data-route={route}>
          {infoError && !info ? (
            <section className="screen" aria-labelledby="start-error">
              <h1 id="start-error" tabIndex={-1}>
                Cost Desk could not start
              </h1>
              <ErrorNotice error={infoError} testId="startup-error" />
              <button type="button" className="btn" onClick={() => void reloadInfo()}>
                Try again
              </button>
            </section>
          ) : !info ? (
            <Loading />
          ) : (
            <Suspense fallback={<Loading />}>
              <Screen key={route} route={route} info={info} focusHeading={navigated.current} />
            </Suspense>
          )}
        </main>
      </div>
    </AppStateContext.Provider>
  );
}

function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}
