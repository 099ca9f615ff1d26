// Hash routing (#/calls): works unchanged from a file path, a custom protocol or HTTP.
import { useCallback, useEffect, useState } from 'react';

export const ROUTES = ['overview', 'calls', 'messages', 'import', 'jobs', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'overview';
}

export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parse(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = useCallback((r: Route) => {
    if (parse(window.location.hash) !== r) window.location.hash = `#/${r}`;
    setRoute(r);
  }, []);
  return [route, navigate];
}
