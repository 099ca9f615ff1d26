// Preload for test/bench/index-plans.ts: appends the text of every distinct statement this
// process prepares to $CAPTURE_SQL_DIR/<pid>.txt (one JSON string a line). Load it into every
// Node process a run starts through NODE_OPTIONS, e.g.
//   CAPTURE_SQL_DIR=/tmp/sql NODE_OPTIONS=--import=./test/bench/capture-sql.mjs \
//     node scripts/test.mjs --no-static --no-build --suites unit,integration
import { appendFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dir = process.env.CAPTURE_SQL_DIR;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const prepare = Database.prototype.prepare;
  const seen = new Set();
  Database.prototype.prepare = function capturedPrepare(sql, ...rest) {
    if (!seen.has(sql)) {
      seen.add(sql);
      appendFileSync(join(dir, `${process.pid}.txt`), JSON.stringify(sql) + '\n');
    }
    return prepare.call(this, sql, ...rest);
  };
}
