// Ledger comparison with a short message: the first table and row that differ, not two
// megabytes of dump in the assertion output.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Dump } from './ledger.ts';

export function firstDifference(a: Dump, b: Dump): string | null {
  const tables = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const t of tables) {
    const ra = a[t];
    const rb = b[t];
    if (!ra || !rb) return `table ${t} only in ${ra ? 'the first' : 'the second'} dump`;
    const n = Math.max(ra.length, rb.length);
    for (let i = 0; i < n; i++) {
      try {
        assert.deepStrictEqual(ra[i], rb[i]);
      } catch {
        return `table ${t} (${ra.length} vs ${rb.length} rows) differs at row ${i}:\n  ${inspect(ra[i], { breakLength: Infinity })}\n  ${inspect(rb[i], { breakLength: Infinity })}`;
      }
    }
  }
  return null;
}

export function assertSameLedger(actual: Dump, expected: Dump, what: string): void {
  const diff = firstDifference(actual, expected);
  assert.equal(diff, null, `${what}: ${diff}`);
}
