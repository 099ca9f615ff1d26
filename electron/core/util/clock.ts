// Time is injected: the retry schedule, settle windows and "5 s after hangup" are tested in
// milliseconds with a manual clock, and run on the wall clock in the product.
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time (a manual clock resolves when advanced). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to. Sleepers wake in time order as it advances. */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: { at: number; resolve: () => void }[] = [];
  constructor(start = Date.UTC(2026, 0, 15, 12)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#sleepers.push({ at: this.#now + ms, resolve });
      this.#sleepers.sort((a, b) => a.at - b.at);
    });
  }
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    while (this.#sleepers.length > 0 && this.#sleepers[0]!.at <= target) {
      const s = this.#sleepers.shift()!;
      this.#now = s.at;
      s.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.#now = target;
  }
  set(ms: number): void {
    this.#now = ms;
  }
}
