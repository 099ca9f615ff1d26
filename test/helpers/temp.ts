// Temporary directories for tests: one per test file (or per test), removed when the
// process's test run ends. Ledger files live here, never in the repository.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const made: string[] = [];
// Registered at import time, so on the file's root test: a directory made in a `before`
// hook lives until the whole file is done.
after(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory under the OS temp dir; removed after the current test file. */
export function tempDir(prefix = 'cost-desk-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A path for a ledger file in a fresh temp dir. */
export function tempLedgerPath(name = 'ledger.db'): string {
  return join(tempDir(), name);
}
