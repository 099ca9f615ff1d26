// Which statements each index of a table serves: every captured statement naming the table is
// run through EXPLAIN QUERY PLAN on the queries bench's ledger (test/bench/queries.ts), then
// again with each of the table's indexes dropped in turn (inside a savepoint, rolled back).
// An index no plan changes without is written by every insert for no reader. Prints, per
// index, the statements whose plan changes and the plan they had. No assertions.
//   1. capture the statements a run prepares (test/bench/capture-sql.mjs says how)
//   2. node --import tsx test/bench/index-plans.ts --sql DIR [--table calls] [--calls 200000] [--list]
// --list prints every statement's plan instead. Bound parameters are NULL: the plans are the
// ones SQLite makes before seeing values (it does not re-plan on them without STAT4).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openLedgerFile } from '../../electron/core/ledger/index.ts';
import { registerBigSum } from '../../electron/core/views/big-sum.ts';
import { buildCalls } from './queries.ts';

const { values } = parseArgs({
  options: {
    sql: { type: 'string' },
    table: { type: 'string', default: 'calls' },
    calls: { type: 'string', default: '200000' },
    list: { type: 'boolean', default: false },
  },
  strict: false,
});

function captured(dir: string, table: string): string[] {
  const all = new Set<string>();
  for (const f of readdirSync(dir)) for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) all.add(JSON.parse(line) as string);
  const names = new RegExp(`\\b${table}\\b`, 'i');
  return [...all].filter((s) => names.test(s) && !/^\s*(CREATE|DROP|ALTER|PRAGMA|EXPLAIN)\b/i.test(s) && !/sqlite_(master|schema)/i.test(s)).sort();
}

function main(dir: string, table: string): void {
  const tmp = mkdtempSync(join(tmpdir(), 'index-plans-'));
  const ledger = openLedgerFile(join(tmp, 'ledger.db'));
  try {
    const db = ledger.db;
    registerBigSum(db);
    buildCalls(ledger, Number(values.calls), Date.UTC(2026, 5, 1));
    const statements = captured(dir, table);
    const plan = (sql: string): string => {
      const text = sql.replace(/'(?:[^']|'')*'/g, "''");
      const named = [...new Set([...text.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!))];
      const args: unknown[] = Array((text.match(/\?/g) ?? []).length).fill(null);
      if (named.length) args.push(Object.fromEntries(named.map((n) => [n, null])));
      try {
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
      } catch (err) {
        return `not planned: ${(err as Error).message}`;
      }
    };
    const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 240);
    const before = new Map(statements.map((s) => [s, plan(s)]));
    console.log(`${statements.length} captured statements name ${table}; ledger of ${Number(values.calls).toLocaleString('en-US')} calls`);
    if (values.list) {
      for (const [s, p] of before) console.log(`- ${oneLine(s)}\n    ${p}`);
      return;
    }
    const indexes = db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`)
      .pluck()
      .all(table) as string[];
    for (const index of indexes) {
      db.exec(`SAVEPOINT without_index; DROP INDEX ${index}`);
      const changed = statements.filter((s) => plan(s) !== before.get(s));
      db.exec('ROLLBACK TO without_index; RELEASE without_index');
      console.log(`\n${index}: ${changed.length} plans change without it`);
      for (const s of changed) console.log(`- ${oneLine(s)}\n    with it: ${before.get(s)}`);
    }
  } finally {
    ledger.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (typeof values.sql === 'string') main(values.sql, String(values.table));
else console.log('index-plans: no --sql DIR of captured statements given (see test/bench/capture-sql.mjs); nothing to plan.');
