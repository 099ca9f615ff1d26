// SQL lives in electron/core/ledger/ (writes, storage) and electron/core/views/ (reads for
// screens and reports) only. Every other source file under electron/ is read with the
// TypeScript compiler: none of its string literals or template texts may read as SQL, and
// none may call .prepare( / .pragma( (better-sqlite3's ways in). The simulator keeps its
// records in memory (sorted arrays, core/simulator/sorted-index.ts), not SQL: nothing to exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT, walkSourceFiles } from '../helpers/source-files.ts';

const root = REPO_ROOT;
const SQL_HOME = /^electron\/core\/(ledger|views)\//;

/** Files that may still hold SQL, each with its reason. */
const EXEMPT: Record<string, string> = {};

// Upper-case SQL as this code base writes it: statements, clauses, and `column = @param`.
const SQL =
  /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)(\s|$)|\b(SELECT\s|INSERT\s+(OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|(CREATE|DROP|ALTER)\s+(TABLE|INDEX|TRIGGER|VIEW)\b|PRAGMA\s|FROM\s+\w+\s+\w*\s*(WHERE|JOIN|LEFT|ORDER|GROUP)\b|LEFT\s+JOIN\b|GROUP\s+BY\b|ORDER\s+BY\b)|\w\s*(=|<>|<=|>=|<|>)\s*@\w+/;

const files = (dir: string): string[] => walkSourceFiles(dir);

/** Each SQL-looking literal or database call in `file`, as "file:line text". */
export function sqlIn(file: string, text = readFileSync(join(root, file), 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (n: ts.Node, what: string) =>
    found.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1} ${what.replace(/\s+/g, ' ').slice(0, 80)}`);
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      if (SQL.test(n.text)) at(n, n.text);
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ['prepare', 'pragma'].includes(n.expression.name.text)) {
      at(n, `.${n.expression.name.text}(`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

test('no SQL outside electron/core/ledger/ and electron/core/views/ (but the stated exemptions)', () => {
  const bad = files('electron')
    .filter((f) => !SQL_HOME.test(f) && !Object.keys(EXEMPT).some((e) => f.startsWith(e)))
    .flatMap((f) => sqlIn(f));
  assert.deepEqual(bad, []);
});

test('the SQL check sees SQL (it is not vacuous)', () => {
  const home = files('electron/core')
    .filter((f) => SQL_HOME.test(f))
    .flatMap((f) => sqlIn(f));
  assert.ok(home.length > 50, `only ${home.length} SQL sites found in ledger/ and views/`);
  assert.equal(sqlIn('x.ts', "db.prepare('SELECT id FROM calls')").length, 2);
  assert.equal(sqlIn('x.ts', "const w = 'c.our_number = @number';").length, 1);
  assert.equal(sqlIn('x.ts', "src.exec('BEGIN');").length, 1);
  assert.equal(sqlIn('x.ts', 'const f = `FROM calls c LEFT JOIN jobs j ON j.call_id = c.id`;').length, 1);
  assert.deepEqual(sqlIn('x.ts', "log.info('Select a number from the list'); /^a$/.exec(s);"), []);
  // Every exemption still holds SQL (a stale one is removed, not kept).
  for (const e of Object.keys(EXEMPT)) {
    const hits = (e.endsWith('/') ? files(e.slice(0, -1)) : [e]).flatMap((f) => sqlIn(f));
    assert.ok(hits.length > 0, `${e} is exempt but holds no SQL: drop the exemption`);
  }
});
