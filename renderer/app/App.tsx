// The app shell: header (brand, mode badge, sync status), left nav, and the current screen.
import { Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AppError, SyncStatus } from '../../shared/contract.ts';
import type { ApiClient, ConnectionState } from '../api/types.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ModeBadge } from '../components/ModeBadge.tsx';
import { SyncStatusLine } from '../components/SyncStatusLine.tsx';
import { ROUTES, useRoute } from '../hooks/useRoute.ts';
import { TITLES } from '../lib/routes.ts';
import { ApiContext, AppStateContext, type AppInfo, type AppState } from './context.ts';
import { Screen, warmScreens } from './screens.tsx';

export function App({ api }: { api: ApiClient }) {
  const [route, navigate] = useRoute();
  // What the boot module prefetched and has already arrived: the first render shows it.
  const [first] = useState(() => ({ info: api.peek('app.info', {}), sync: api.peek('sync.status', {}) }));
  const [info, setInfo] = useState<AppInfo | null>(first.info?.ok ? first.info.value : null);
  const [infoError, setInfoError] = useState<AppError | null>(first.info && !first.info.ok ? first.info.error : null);
  const [sync, setSync] = useState<SyncStatus | null>(first.sync?.ok ? first.sync.value : null);
  const [connection, setConnection] = useState<ConnectionState>('connected');
  const mainRef = useRef<HTMLElement>(null);
  // Focus follows navigation, not the page opening (see Screen).
  const landedOn = useRef(route);
  const navigated = useRef(false);
  if (route !== landedOn.current) navigated.current = true;

  const reloadInfo = useCallback(async () => {
    const res = await api.call('app.info', {});
    if (res.ok) {
      setInfo(res.value);
      setInfoError(null);
    } else setInfoError(res.error);
  }, [api]);

  const reloadSync = useCallback(async () => {
    const res = await api.call('sync.status', {});
    if (res.ok) setSync(res.value);
  }, [api]);

  useEffect(() => {
    if (!first.info) void reloadInfo();
    if (!first.sync) void reloadSync();
  }, [first, reloadInfo, reloadSync]);

  useEffect(() => warmScreens(), []);
  // The first commit, for the first-paint benchmark's breakdown (next to boot.ts's marks).
  useLayoutEffect(() => void performance.mark('cost-desk:app-rendered'), []);

  useEffect(() => {
    const offSync = api.on('sync.status', (s) => setSync(s));
    // Jobs change between syncs (Process now, an import, a refetch): keep the status line's
    // "N costs pending" in step instead of waiting for the next sync.status push.
    const offJobs = api.on('jobs.changed', (j) => setSync((s) => (s ? { ...s, pendingJobs: j.pending, failedJobs: j.failed } : s)));
    let lost = false;
    const offConn = api.onConnection((s) => {
      setConnection(s);
      if (s === 'disconnected') lost = true;
      // Back after an outage: pushes were missed, so re-read what the shell shows. (Not on
      // the first connect: the stream opened before the first answers were asked for.)
      if (s === 'connected' && lost) {
        lost = false;
        void reloadInfo();
        void reloadSync();
      }
    });
    return () => {
      offSync();
      offJobs();
      offConn();
    };
  }, [api, reloadInfo, reloadSync]);

  // The mode can change underneath (key saved, demo started elsewhere): follow sync.status.
  useEffect(() => {
    if (sync && info && sync.mode !== info.mode) void reloadInfo();
  }, [sync, info, reloadInfo]);

  useEffect(() => {
    document.title = `${TITLES[route]} — Telnyx Cost Desk${info?.mode === 'demo' ? ' (demo data)' : ''}`;
  }, [route, info?.mode]);

  const state = useMemo<AppState>(
    () => ({ info, sync, connection, route, setInfo, reloadInfo, reloadSync, navigate }),
    [info, sync, connection, route, reloadInfo, reloadSync, navigate],
  );

  const skipToMain = () => mainRef.current?.focus();
  const mode = info?.mode ?? sync?.mode ?? null;

  return (
    <ApiContext.Provider value={api}>
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
    </ApiContext.Provider>
  );
}

function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}
