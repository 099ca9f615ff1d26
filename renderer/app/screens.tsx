// Which component shows each route. The Overview (the first screen) and the first-run
// Welcome are in the app chunk; every other screen is its own chunk, fetched on first visit
// or, once the first screen is up and the browser is idle, ahead of time (warmScreens).
import { lazy, useEffect, type LazyExoticComponent, type ReactNode } from 'react';
import type { Route } from '../lib/routes.ts';
import { Overview } from '../screens/overview/Overview.tsx';
import { Welcome } from '../screens/Welcome.tsx';
import type { AppInfo } from './context.ts';

/** Every route but the Overview, each a chunk of its own. */
const loaders = {
  calls: () => import('../screens/calls/Calls.tsx').then((m) => ({ default: m.Calls })),
  messages: () => import('../screens/Messages.tsx').then((m) => ({ default: m.Messages })),
  import: () => import('../screens/import/ImportScreen.tsx').then((m) => ({ default: m.ImportScreen })),
  jobs: () => import('../screens/Jobs.tsx').then((m) => ({ default: m.Jobs })),
  alerts: () => import('../screens/alerts/Alerts.tsx').then((m) => ({ default: m.Alerts })),
  statements: () => import('../screens/statements/Statements.tsx').then((m) => ({ default: m.Statements })),
  settings: () => import('../screens/settings/Settings.tsx').then((m) => ({ default: m.Settings })),
} satisfies Record<Exclude<Route, 'overview'>, unknown>;

const lazyScreens = Object.fromEntries(Object.entries(loaders).map(([route, load]) => [route, lazy(load)])) as Record<
  keyof typeof loaders,
  LazyExoticComponent<() => ReactNode>
>;

/**
 * Fetches the other screens' chunks ahead of a visit, so navigating is instant. Waits a
 * couple of seconds first: the first screen's data and chart come before this.
 */
export function warmScreens(delayMs = 2000): () => void {
  const run = () => {
    for (const load of Object.values(loaders)) load().catch(() => {}); // a failure shows when visited
  };
  const timer = setTimeout(() => ('requestIdleCallback' in window ? window.requestIdleCallback(run) : run()), delayMs);
  return () => clearTimeout(timer);
}

function screenFor(route: Route, info: AppInfo): ReactNode {
  if (route === 'overview') return info.mode === 'unconfigured' ? <Welcome /> : <Overview />;
  const Lazy = lazyScreens[route];
  return <Lazy />;
}

/**
 * One screen, keyed by route by the caller. After a navigation it moves focus to the new
 * screen's heading so keyboard and screen-reader users land there; being inside the Suspense
 * boundary, its effect runs only once a lazily loaded screen is actually on the page.
 */
export function Screen({ route, info, focusHeading }: { route: Route; info: AppInfo; focusHeading: boolean }) {
  useEffect(() => {
    if (focusHeading) document.getElementById('main')?.querySelector<HTMLElement>('h1')?.focus();
  }, [focusHeading]);
  return screenFor(route, info);
}
