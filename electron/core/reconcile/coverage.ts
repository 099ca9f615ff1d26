// What one pass has already read. A pass works its due jobs in claim batches; windows of
// consecutive batches overlap (each call's lookup reaches hours past its hangup), and reading
// the overlap again seconds later cannot find anything new. So each batch only queries the
// parts of its windows no earlier batch of the same pass answered for every record type.
export class Coverage {
  /** Sorted, disjoint [from, to) spans read successfully for every record type. */
  #spans: { from: number; to: number }[] = [];

  add(from: number, to: number): void {
    if (!(to > from)) return;
    const out: { from: number; to: number }[] = [];
    let cur = { from, to };
    let placed = false;
    for (const s of this.#spans) {
      if (s.to < cur.from) out.push(s);
      else if (s.from > cur.to) {
        if (!placed) {
          out.push(cur);
          placed = true;
        }
        out.push(s);
      } else cur = { from: Math.min(s.from, cur.from), to: Math.max(s.to, cur.to) };
    }
    if (!placed) out.push(cur);
    this.#spans = out;
  }

  /** The parts of [from, to) not read yet. */
  missing(from: number, to: number): { from: number; to: number }[] {
    const out: { from: number; to: number }[] = [];
    let at = from;
    for (const s of this.#spans) {
      if (s.to <= at) continue;
      if (s.from >= to) break;
      if (s.from > at) out.push({ from: at, to: s.from });
      at = Math.max(at, s.to);
      if (at >= to) break;
    }
    if (at < to) out.push({ from: at, to });
    return out;
  }

  get spans(): readonly { from: number; to: number }[] {
    return this.#spans;
  }
}
