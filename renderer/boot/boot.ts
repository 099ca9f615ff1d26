// Runs first, before React and the app are loaded: picks the transport, opens its event
// stream and asks the host for what the first screen shows, so the host's queries overlap
// with the browser painting the static shell and compiling the app. Imports only small
// plain modules (no React, no screens).
import type { Method } from '../../shared/contract.ts';
import { withEarlyEvents } from '../api/early-events.ts';
import { prefetch, type PrefetchCall } from '../api/prefetch.ts';
import { selectTransport, type Booted } from '../api/select.ts';
import { parseRoute, type Route } from '../lib/routes.ts';
import { previousRange } from '../screens/overview/glance.ts';
import { DEFAULT_NUMBER, dailyInput, defaultRange, destinationsInput, summaryInput } from '../screens/overview/queries.ts';

/**
 * The calls the app makes on its first render for `route`, in the order the host should run
 * them: the shell's app.info (fast, and it decides which screen shows), then the screen's
 * main query, then the rest. The host answers one call at a time.
 */
export function firstCalls(route: Route): PrefetchCall[] {
  const shell: PrefetchCall[] = [['app.info', {}]];
  const rest: PrefetchCall[] = [['sync.status', {}]];
  if (route !== 'overview') return [...shell, ...rest];
  const range = defaultRange();
  return [
    ...shell,
    ['overview.summary', summaryInput(range, DEFAULT_NUMBER)],
    ...rest,
    ['numbers.list', {}], // the number filter's list (NumberSelect)
    ['overview.daily', dailyInput(range, DEFAULT_NUMBER)],
    ['overview.summary', summaryInput(previousRange(range), DEFAULT_NUMBER)], // the first glance's period before
    // The first glance's top destinations, last: the only ones read from the rows, not the caches.
    ['overview.groups', destinationsInput(range, DEFAULT_NUMBER)],
    ['overview.groups', destinationsInput(previousRange(range), DEFAULT_NUMBER)],
  ];
}

/** What the first render is worth waiting for (briefly): the shell's mode and the main table. */
function firstRenderNeeds(route: Route): Method[] {
  return route === 'overview' ? ['app.info', 'overview.summary'] : ['app.info'];
}

/**
 * The static shell in index.html marks the Overview as the current screen, as the app does
 * when the address names no screen; for any other, move the mark (before the app is up).
 */
function markCurrentLink(route: Route): void {
  if (route === 'overview') return;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#root .nav-link')) {
    const current = a.getAttribute('href') === `#/${route}`;
    a.classList.toggle('nav-link-active', current);
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

export function boot(): Booted {
  const route = parseRoute(window.location.hash);
  // The entry script is async: it may run before the parser has reached the shell.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => markCurrentLink(route), { once: true });
  else markCurrentLink(route);
  const selected = selectTransport();
  if (!selected.transport) return { transport: null, prefetched: null, firstCalls: [], firstNeeds: [], later: selected.later };
  const transport = withEarlyEvents(selected.transport); // the stream opens before the first request goes out
  const calls = firstCalls(route);
  return { transport, prefetched: prefetch(transport, calls), firstCalls: calls, firstNeeds: firstRenderNeeds(route), later: selected.later };
}
