// Request counting: what a test or benchmark asserts on ("the importer asked for page 3
// twice after the 503", "1 000 000 records served").

export interface SimStats {
  requests: number;
  recordsServed: number;
  byPath: Record<string, number>;
  /** Status code as text, or "dropped" for a destroyed socket. */
  byStatus: Record<string, number>;
  byPathStatus: Record<string, Record<string, number>>;
  recordsByPath: Record<string, number>;
  faults: Record<string, number>;
}

export class StatsCounter {
  #s: SimStats = StatsCounter.empty();

  static empty(): SimStats {
    return { requests: 0, recordsServed: 0, byPath: {}, byStatus: {}, byPathStatus: {}, recordsByPath: {}, faults: {} };
  }

  request(path: string, status: number | 'dropped', records = 0): void {
    const s = this.#s;
    const code = String(status);
    s.requests++;
    s.byPath[path] = (s.byPath[path] ?? 0) + 1;
    s.byStatus[code] = (s.byStatus[code] ?? 0) + 1;
    const per = (s.byPathStatus[path] ??= {});
    per[code] = (per[code] ?? 0) + 1;
    if (records > 0) {
      s.recordsServed += records;
      s.recordsByPath[path] = (s.recordsByPath[path] ?? 0) + records;
    }
  }

  fault(kind: string): void {
    this.#s.faults[kind] = (this.#s.faults[kind] ?? 0) + 1;
  }

  snapshot(): SimStats {
    return structuredClone(this.#s);
  }

  reset(): void {
    this.#s = StatsCounter.empty();
  }
}
