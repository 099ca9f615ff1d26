// Imported first by every npm script entry (start, test, bench): on a Node older than
// package.json's `engines` allows, stop at once with the reason instead of crashing later in the
// SQLite addon (better-sqlite3 13 needs Node 22; on 20 it ends in a segmentation fault).
// The core checks the same floor (electron/core/util/node-version.ts; a unit test keeps them equal).
import { readFileSync } from 'node:fs';

const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const [needMajor, needMinor] = engines
  .replace(/^>=\s*/, '')
  .split('.')
  .map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    `Cost Desk needs Node.js ${needMajor}.${needMinor} or later (22 or 24 LTS); this is Node ${process.versions.node}.\n` +
      'npm scripts use the Node 24 that `npm install` puts in node_modules/.bin: run `npm install` first,\n' +
      'or install Node 24 from nodejs.org.\n',
  );
  process.exit(1);
}
