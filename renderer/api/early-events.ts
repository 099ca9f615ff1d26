// Opens the transport's event stream at boot, before the first requests are sent, and keeps
// what arrives until the app listens. Without it, a change the host announced between the
// boot's requests and the app's first subscription (which comes only after React's first
// render) would never reach the screens, and they would go on showing the earlier answer.
import type { RawTransport } from './types.ts';

type Listener = (event: string, payload: unknown) => void;

export function withEarlyEvents(transport: RawTransport): RawTransport {
  const listeners = new Set<Listener>();
  let held: Array<[string, unknown]> | null = [];
  transport.subscribe((event, payload) => {
    if (held) held.push([event, payload]);
    else for (const l of listeners) l(event, payload);
  });
  // Handed over one microtask after the first subscription: React registers every effect
  // of a commit in one go, so all of the first screen's listeners are there by then.
  const handOver = () => {
    const events = held ?? [];
    held = null;
    for (const [event, payload] of events) for (const l of listeners) l(event, payload);
  };

  // The stream stays open for the page's life (the app listens for its whole life anyway).
  return {
    ...transport,
    subscribe(listener) {
      listeners.add(listener);
      if (held && listeners.size === 1) queueMicrotask(handOver);
      return () => listeners.delete(listener);
    },
  };
}
