// The number of fired alerts not acknowledged yet, beside "Alerts" in the nav. One cached query
// (alerts.list, open ones only): TanStack Query refreshes it when the core announces that a
// topic it reads was written (shared/access.ts: 'alerts', and 'calls', since costs landing
// fire alerts), and acknowledging one on the Alerts screen writes 'alerts' too.
import { useQuery } from '../hooks/useQuery.ts';

const OPEN = { unacknowledgedOnly: true, limit: 1 } as const;

export function AlertBadge() {
  const open = useQuery('alerts.list', OPEN);
  const n = open.data?.unacknowledged ?? 0;
  if (n === 0) return null;
  return (
    <span className="nav-badge" data-testid="nav-alerts-badge">
      {n > 99 ? '99+' : n}
      <span className="sr-only"> not acknowledged</span>
    </span>
  );
}
