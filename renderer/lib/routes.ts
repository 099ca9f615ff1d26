// The screens and how a location hash names one. No React here: the boot module (which runs
// before React is loaded) needs the route too, to ask for the right first screen's data.
export const ROUTES = ['overview', 'calls', 'messages', 'import', 'jobs', 'alerts', 'statements', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const TITLES: Record<Route, string> = {
  overview: 'Overview',
  calls: 'Calls',
  messages: 'Messages',
  import: 'Import',
  jobs: 'Jobs',
  alerts: 'Alerts',
  statements: 'Statements',
  settings: 'Settings',
};

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'overview';
}
