// useState that survives switching screens (module memory, per key): filters stay put when
// the user goes to Calls and back. Not persisted across reloads on purpose.
import { useCallback, useState } from 'react';

const memory = new Map<string, unknown>();

export function useStickyState<T>(key: string, initial: () => T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => (memory.has(key) ? (memory.get(key) as T) : initial()));
  const set = useCallback(
    (v: T) => {
      memory.set(key, v);
      setValue(v);
    },
    [key],
  );
  return [value, set];
}
