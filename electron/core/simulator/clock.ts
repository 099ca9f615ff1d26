// The simulator's notion of "now": records with created_at > now and deliveries with
// started_at > now do not exist yet. Tests pin it (setNow) or shift it (setOffset); a
// simulator in another process is moved over HTTP (POST /_sim/clock).

export class SimClock {
  readonly #base: () => number;
  #fixed: number | null = null;
  #offset = 0;

  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  now(): number {
    return this.#fixed ?? this.#base() + this.#offset;
  }

  /** Pin now to `ms`; null goes back to the base clock (plus any offset). */
  setNow(ms: number | null): void {
    if (ms !== null && !Number.isFinite(ms)) throw new RangeError('nowMs must be a finite number');
    this.#fixed = ms;
  }

  setOffset(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('offsetMs must be a finite number');
    this.#offset = ms;
  }

  reset(): void {
    this.#fixed = null;
    this.#offset = 0;
  }

  describe(): { nowMs: number; fixedMs: number | null; offsetMs: number } {
    return { nowMs: this.now(), fixedMs: this.#fixed, offsetMs: this.#offset };
  }
}
