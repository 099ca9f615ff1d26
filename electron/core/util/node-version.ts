// The oldest Node.js the core runs on. better-sqlite3 13 is a Node-API addon that needs
// Node 22; on Node 20 it loads and then crashes the process (a segmentation fault), so every
// entry point checks first and says what to do instead. Kept equal to package.json `engines`.
export const MIN_NODE = { major: 22, minor: 12 } as const;

/** Null when `version` (e.g. process.versions.node) is new enough, else the message to show. */
export function unsupportedNodeMessage(version: string): string | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return null;
  return (
    `Cost Desk needs Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or later (22 or 24 LTS); this is Node ${version}. ` +
    'Run it through npm (npm start, npm test, npm run cli), which uses the Node 24 that `npm install` puts in ' +
    'node_modules, or install Node 24 from nodejs.org.'
  );
}
