// What each contract method reads and what it changes, declared once. The core derives its
// change events from it (a write method that succeeds announces the topics it wrote), and the
// renderer drops or refreshes cached answers by it (an answer is stale when a topic it read
// was written). zod-free on purpose: the renderer's production bundle imports it.
import type { Method } from './contract.ts';

/** The parts of the core's state a method can read or write. */
export const TOPICS = ['mode', 'settings', 'sync', 'calls', 'messages', 'jobs', 'imports', 'backups', 'alerts'] as const;
export type Topic = (typeof TOPICS)[number];

export interface Access {
  readonly reads: readonly Topic[];
  readonly writes: readonly Topic[];
}

const read = (...reads: Topic[]): Access => ({ reads, writes: [] });
const write = (writes: Topic[], reads: Topic[] = writes): Access => ({ reads, writes });
/** Switching the session (key, demo) opens another ledger: everything changes. */
const everything = write([...TOPICS]);

export const ACCESS = {
  'app.info': read('mode'),
  'settings.get': read('settings'),
  // A new API host drops the stored key (it was given for the old host): the mode can change.
  'settings.update': everything,
  'doctor.run': read('settings', 'sync'),
  'verify.month': read('calls', 'messages'),
  'settings.setApiKey': everything,
  'settings.clearApiKey': everything,
  'demo.start': everything,
  'demo.stop': everything,
  'sync.status': read('sync', 'jobs'),
  'sync.now': write(['sync', 'calls', 'messages', 'jobs']),
  'overview.summary': read('calls', 'messages'),
  'overview.daily': read('calls', 'messages'),
  'overview.groups': read('calls', 'messages'),
  'numbers.list': read('calls', 'messages'),
  'calls.list': read('calls'),
  'calls.get': read('calls', 'jobs'),
  'calls.refetch': write(['calls', 'jobs']),
  'messages.list': read('messages'),
  'import.start': write(['imports']),
  'import.cancel': write(['imports']),
  'import.list': read('imports'),
  'import.problems': read('imports'),
  'jobs.list': read('jobs'),
  'jobs.retry': write(['jobs']),
  'jobs.processNow': write(['calls', 'messages', 'jobs']),
  'export.run': read('calls', 'messages'),
  'data.status': read('backups', 'mode'),
  'data.backup': write(['backups'], ['calls', 'messages']),
  /** A restore swaps the whole ledger under the session: everything changes. */
  'data.restore': everything,
  'data.setBackupSettings': write(['backups']),
  'data.openFolder': read(),
  /** The session is reopened on the new folder: everything changes. */
  'data.move': everything,
  'statements.get': read('calls', 'messages'),
  'statements.export': read('calls', 'messages'),
  /** Costs landing (a calls write) may fire alerts: a list is stale after either. */
  'alerts.list': read('alerts', 'calls'),
  'alerts.acknowledge': write(['alerts']),
  'alerts.rules': read('alerts'),
  'alerts.addRule': write(['alerts']),
  'alerts.removeRule': write(['alerts']),
  'status.summary': read('calls', 'messages', 'jobs', 'imports'),
  'calls.find': read('calls'),
  'import.wait': read('imports'),
} as const satisfies Record<Method, Access>;

/** True when an answer of `method` may be out of date once `written` changed. */
export function isStaleAfter(method: Method, written: readonly Topic[]): boolean {
  return ACCESS[method].reads.some((t) => written.includes(t));
}
