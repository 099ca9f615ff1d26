// Hash routing (#/calls): works unchanged from a file path, a custom protocol or HTTP.
import { useCallback, useEffect, useState } from 'react';
import { parseRoute, type Route } from '../lib/routes.ts';

export { ROUTES, type Route } from '../lib/routes.ts';

export function useRoute(): [Route, (r: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = useCallback((r: Route) => {
    if (parseRoute(window.location.hash) !== r) window.location.hash = `#/${r}`;
    setRoute(r);
  }, []);
  return [route, navigate];
}
