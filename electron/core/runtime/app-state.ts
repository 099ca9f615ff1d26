// The one fact that must outlive a session and is not a setting of a ledger: whether the
// user chose the demo. Kept in a tiny JSON file beside the ledgers, written atomically.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface AppState {
  demo: boolean;
}

export function readAppState(dataDir: string): AppState {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, 'app-state.json'), 'utf8')) as Partial<AppState>;
    return { demo: parsed.demo === true };
  } catch {
    return { demo: false };
  }
}

export function writeAppState(dataDir: string, state: AppState): void {
  // Unchanged: nothing to write (a read-only data folder can still be read from).
  if (readAppState(dataDir).demo === state.demo && existsSync(join(dataDir, 'app-state.json'))) return;
  const file = join(dataDir, 'app-state.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}
