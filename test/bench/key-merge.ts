// The calls' key merge (ledger/call-keys.ts) as the poller runs it on the app's main thread:
// a ledger of --n calls (random UUID ids, their keys merged every 100k calls as an import
// merges them), then --due calls more whose ~3 keys each wait in the recent level. The same
// file, copied, is merged once whole (mergeCallKeysIfDue) and once in slices of --slice keys
// (mergeCallKeysSlice, as mergeCallKeysInSlices does): prints how long the thread is held,
// whole against the longest slice, and what the slices take together. No assertions.
//   node --import tsx test/bench/key-merge.ts [--n 1000000] [--due 100000] [--slice 50000]
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLedgerFile, type Ledger } from '../../electron/core/ledger/index.ts';
import { MERGE_SLICE_KEYS } from '../../electron/core/ledger/merge-in-slices.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    due: { type: 'string', default: '100000' },
    slice: { type: 'string', default: String(MERGE_SLICE_KEYS) },
  },
});
const N = Number(values.n);
const DUE = Number(values.due);
const SLICE = Number(values.slice);
const BATCH = 100_000;

const uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))`;
/** `count` calls with a leg, a control and a session id each, through the calls' own triggers. */
function addCalls(ledger: Ledger, count: number): void {
  ledger.tx(() =>
    ledger.db
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO calls (call_leg_id, call_session_id, call_control_id, our_number, other_number, direction, created_at, updated_at)
         SELECT ${uuid}, ${uuid}, 'v3:' || ${uuid}, '+15550000001', '+12025550100', 'outbound', 0, 0 FROM n`,
      )
      .run(count),
  );
}

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const dir = mkdtempSync(join(tmpdir(), 'key-merge-'));
try {
  const base = join(dir, 'base.db');
  const t0 = performance.now();
  const ledger = openLedgerFile(base);
  for (let done = 0; done < N; done += BATCH) {
    addCalls(ledger, Math.min(BATCH, N - done));
    ledger.mergeCallKeysIfDue(1);
  }
  addCalls(ledger, DUE);
  const recent = ledger.callKeys.recentCount();
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  ledger.close();
  console.log(`key merge: ${N.toLocaleString('en-US')} calls merged, ${recent.toLocaleString('en-US')} keys due (built in ${(ms(t0) / 1000).toFixed(1)} s)`);

  const whole = join(dir, 'whole.db');
  copyFileSync(base, whole);
  const a = openLedgerFile(whole);
  let t = performance.now();
  const movedWhole = a.mergeCallKeysIfDue(recent);
  const wholeMs = ms(t);
  a.close();

  const sliced = join(dir, 'sliced.db');
  copyFileSync(base, sliced);
  const b = openLedgerFile(sliced);
  const slices: number[] = [];
  let movedSliced = 0;
  for (;;) {
    t = performance.now();
    const n = b.mergeCallKeysSlice(SLICE);
    slices.push(ms(t));
    movedSliced += n;
    if (n < SLICE) break;
  }
  b.close();
  if (movedWhole !== recent || movedSliced !== recent) throw new Error(`moved ${movedWhole} whole, ${movedSliced} in slices, of ${recent}`);
  const sum = slices.reduce((s, x) => s + x, 0);
  console.log(`  whole merge: the thread held ${wholeMs.toFixed(0)} ms`);
  console.log(`  slices, in order: ${slices.map((x) => x.toFixed(0)).join(', ')} ms`);
  console.log(
    `  in ${slices.length} slices of ${SLICE.toLocaleString('en-US')} keys: longest ${Math.max(...slices).toFixed(0)} ms (median ${median(slices).toFixed(0)}), together ${sum.toFixed(0)} ms; longest hold ${(wholeMs / Math.max(...slices)).toFixed(1)}x shorter, total ${(sum / wholeMs).toFixed(2)}x the whole merge's`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
