// A compact time-sorted index: two typed arrays (time ms, ref) ordered by (time, ref).
// A million entries take 12 MB and a window is two binary searches; rows are generated only
// for the page being served. Built once, lazily, the first time a listing needs it.

export class SortedIndex {
  readonly times: Float64Array;
  readonly refs: Uint32Array;
  readonly length: number;

  constructor(times: Float64Array, refs: Uint32Array) {
    this.times = times;
    this.refs = refs;
    this.length = times.length;
  }

  /** First position whose time is >= t. */
  lowerBound(t: number): number {
    return this.firstPast(t, false);
  }

  /** First position whose time is > t. */
  upperBound(t: number): number {
    return this.firstPast(t, true);
  }

  /** Binary search: the first position whose time is past t (equal to it counts unless `strictly`). */
  private firstPast(t: number, strictly: boolean): number {
    let lo = 0;
    let hi = this.length;
    const times = this.times;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const before = strictly ? times[mid]! <= t : times[mid]! < t;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Collects (time, ref) pairs, then sorts them once into a SortedIndex. */
export class IndexBuilder {
  #times: Float64Array;
  #refs: Uint32Array;
  #n = 0;

  constructor(capacity = 1024) {
    this.#times = new Float64Array(Math.max(16, capacity));
    this.#refs = new Uint32Array(Math.max(16, capacity));
  }

  push(time: number, ref: number): void {
    if (this.#n === this.#times.length) {
      const t = new Float64Array(this.#n * 2);
      t.set(this.#times);
      const r = new Uint32Array(this.#n * 2);
      r.set(this.#refs);
      this.#times = t;
      this.#refs = r;
    }
    this.#times[this.#n] = time;
    this.#refs[this.#n] = ref;
    this.#n++;
  }

  build(): SortedIndex {
    const n = this.#n;
    const times = this.#times;
    const refs = this.#refs;
    // Entries are pushed roughly in time order already (items are generated in start order),
    // so check first: often there is nothing to sort.
    let sorted = true;
    for (let k = 1; k < n; k++) {
      const dt = times[k]! - times[k - 1]!;
      if (dt < 0 || (dt === 0 && refs[k]! < refs[k - 1]!)) {
        sorted = false;
        break;
      }
    }
    if (sorted) return new SortedIndex(times.slice(0, n), refs.slice(0, n));
    return packedSort(times, refs, n) ?? comparatorSort(times, refs, n);
  }
}

/**
 * Fast path: when (time - minTime) * (maxRef + 1) + ref stays below 2^53, pack each pair
 * into one exact double and let the native numeric sort (no JS comparator) order them.
 * Times must be integers (they are ms or whole seconds here).
 */
function packedSort(times: Float64Array, refs: Uint32Array, n: number): SortedIndex | null {
  let minT = Infinity;
  let maxT = -Infinity;
  let maxRef = 0;
  for (let k = 0; k < n; k++) {
    const t = times[k]!;
    if (!Number.isInteger(t)) return null;
    if (t < minT) minT = t;
    if (t > maxT) maxT = t;
    if (refs[k]! > maxRef) maxRef = refs[k]!;
  }
  const radix = maxRef + 1;
  if ((maxT - minT) * radix + maxRef >= Number.MAX_SAFE_INTEGER) return null;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (times[k]! - minT) * radix + refs[k]!;
  keys.sort();
  const outT = new Float64Array(n);
  const outR = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    let q = Math.floor(key / radix);
    let r = key - q * radix;
    // The division is rounded; correct the quotient by one if it landed on the wrong side.
    if (r < 0) {
      q--;
      r += radix;
    } else if (r >= radix) {
      q++;
      r -= radix;
    }
    outT[k] = minT + q;
    outR[k] = r;
  }
  return new SortedIndex(outT, outR);
}

function comparatorSort(times: Float64Array, refs: Uint32Array, n: number): SortedIndex {
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((x, y) => times[x]! - times[y]! || refs[x]! - refs[y]!);
  const outT = new Float64Array(n);
  const outR = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const p = order[k]!;
    outT[k] = times[p]!;
    outR[k] = refs[p]!;
  }
  return new SortedIndex(outT, outR);
}
