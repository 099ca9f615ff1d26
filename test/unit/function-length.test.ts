// "Functions a reader can hold": no function in electron/core over 120 lines (from its first
// token to its closing brace, comments above it not counted). Read with the TypeScript
// compiler, so arrow functions, methods and nested functions count alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT, walkSourceFiles } from '../helpers/source-files.ts';

const root = REPO_ROOT;
const MAX_LINES = 120;

/** Functions allowed over the limit for now, each with its reason. */
const EXEMPT: Record<string, string> = {};

const files = (dir: string): string[] => walkSourceFiles(dir);

function nameOf(n: ts.Node, sf: ts.SourceFile): string {
  const named = (n as { name?: ts.Node }).name;
  if (named) return named.getText(sf);
  const p = n.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))) return p.name.getText(sf);
  return '(anonymous)';
}

/** Every function in `file` longer than `max` lines, as "file name (N lines)". */
export function longFunctions(file: string, max = MAX_LINES, text = readFileSync(join(root, file), 'utf8')): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && (n as { body?: ts.Node }).body) {
      const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
      const lines = last - first + 1;
      if (lines > max) found.push(`${file} ${nameOf(n, sf)} (${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

test(`no function in electron/core is over ${MAX_LINES} lines (but the stated exemptions)`, () => {
  const long = files('electron/core')
    .flatMap((f) => longFunctions(f))
    .filter((l) => !Object.keys(EXEMPT).some((e) => l.startsWith(`${e} (`)));
  assert.deepEqual(long, []);
});

test('the length check measures functions (it is not vacuous)', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
  assert.deepEqual(longFunctions('x.ts', 5, `export function big() {\n${body(4)}\n}\nconst small = () => 1;`), ['x.ts big (6 lines)']);
  assert.deepEqual(longFunctions('x.ts', 5, `const o = { m: () => {\n${body(5)}\n} };`), ['x.ts m (7 lines)']);
  // Every exemption is still over the limit (a function split since is no longer exempt).
  for (const e of Object.keys(EXEMPT)) {
    const [file] = e.split(' ');
    assert.ok(
      longFunctions(file!).some((l) => l.startsWith(`${e} (`)),
      `${e} is exempt but no longer long: drop the exemption`,
    );
  }
});
