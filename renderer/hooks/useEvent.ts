// Subscribe to one core event; `throttleMs` coalesces bursts (a sync can emit many
// ledger.changed events) into at most one handler call per window, trailing edge included.
import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../shared/contract.ts';
import { useApi } from '../app/context.ts';

const always = () => true;

export function useEvent<E extends EventName>(
  event: E,
  handler: (payload: EventPayload<E>) => void,
  throttleMs = 0,
  when: (payload: EventPayload<E>) => boolean = always,
): void {
  const api = useApi();
  const ref = useRef(handler);
  ref.current = handler;
  const accept = useRef(when);
  accept.current = when;

  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pending: EventPayload<E> | null = null;
    const fire = (p: EventPayload<E>) => {
      last = Date.now();
      ref.current(p);
    };
    const off = api.on(event, (payload) => {
      if (!accept.current(payload)) return; // filtered before throttling, so a burst keeps the one that counts
      if (throttleMs <= 0) return fire(payload);
      const wait = last + throttleMs - Date.now();
      if (wait <= 0 && !timer) return fire(payload);
      pending = payload;
      if (!timer) {
        timer = setTimeout(
          () => {
            timer = null;
            if (pending) fire(pending);
            pending = null;
          },
          Math.max(wait, 0),
        );
      }
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, event, throttleMs]);
}
