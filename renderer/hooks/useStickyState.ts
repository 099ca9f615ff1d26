// useState that survives switching screens (module memory, per key): filters stay put when
// the user goes to Calls and back. Not persisted across reloads on purpose. Another part of
// the app can set a screen's state before taking the user there (setSticky): the status
// line's "pending · failed" link sets the Jobs filter, a job's link the selected call.
import { useCallback, useEffect, useState } from 'react';

const memory = new Map<string, unknown>();
const listeners = new Map<string, Set<(v: unknown) => void>>();

export function setSticky<T>(key: string, value: T): void {
  memory.set(key, value);
  for (const l of listeners.get(key) ?? []) l(value);
}

export function useStickyState<T>(key: string, initial: () => T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => (memory.has(key) ? (memory.get(key) as T) : initial()));
  useEffect(() => {
    const l = (v: unknown) => setValue(v as T);
    let set = listeners.get(key);
    if (!set) listeners.set(key, (set = new Set()));
    set.add(l);
    return () => void set.delete(l);
  }, [key]);
  const set = useCallback((v: T) => setSticky(key, v), [key]);
  return [value, set];
}
