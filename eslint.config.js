// Lint: typescript-eslint's recommended rules plus the house's process boundaries
// (architecture rule 3: renderer -> shared <- core <- hosts; nothing product-side imports test/).
// test/unit/boundaries.test.ts checks the same arrows over the real import graph.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const noRenderer = { group: ['**/renderer/**'], message: 'hosts serve the built renderer, they do not import it' };
const noTest = { group: ['**/test/**', '../test/*', '../../test/*'], message: 'product code never imports from test/' };

/** What the files of one folder may not import: test/ (never), and the patterns given. */
const importRule = (files, ...patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns: [noTest, ...patterns] }] } });

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'release/**', 'native/**', 'node_modules/**', 'test-results/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='parseFloat']", message: 'money is never a float: use shared/money.ts' }],
    },
  },
  // The rules of hooks and complete effect dependencies, for the renderer. (The plugin's React
  // Compiler checks are not on yet: they flag the hand-written data hooks that TanStack Query
  // is to replace.)
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  importRule(
    ['renderer/**'],
    { group: ['**/electron/**', '../electron/*', '../../electron/*'], message: 'the renderer talks to the core only through the contract (shared/)' },
    { group: ['node:*', 'electron', 'better-sqlite3', 'undici', 'pino'], message: 'the renderer runs in a sandboxed browser context' },
  ),
  importRule(['shared/**'], {
    group: ['node:*', 'electron', 'react', '**/electron/**', '**/renderer/**'],
    message: 'shared/ is browser-safe and depends on nothing but zod',
  }),
  importRule(
    ['electron/core/**'],
    { group: ['electron', 'react', 'react-dom'], message: 'the core is host-agnostic: no electron, no react' },
    {
      group: ['**/renderer/**', '**/web/**', '**/cli/**', '**/desktop/**', '**/hosts/**', '**/secrets/**', '**/main.ts', '**/preload.ts'],
      message: 'the core never imports a host',
    },
  ),
  // Folders by process: desktop/ runs in Electron's main process (and its preload bridge),
  // web/ in the browser host, cli/ in the command line, hosts/ and secrets/ in any of them.
  importRule(['electron/desktop/**', 'electron/main.ts', 'electron/preload.ts'], noRenderer, {
    group: ['**/web/**', '**/cli/**'],
    message: 'the desktop app does not run the other hosts',
  }),
  importRule(
    ['electron/web/**', 'electron/cli/**'],
    noRenderer,
    { group: ['electron', '**/desktop/**'], message: 'Electron exists only in the desktop app' },
    { group: ['../web/*', '../cli/*'], message: 'one host does not import another' },
  ),
  importRule(['electron/hosts/**', 'electron/secrets/**'], noRenderer, {
    group: ['**/desktop/**', '**/web/**', '**/cli/**', '**/main.ts', '**/preload.ts'],
    message: 'what hosts share depends on no one host',
  }),
  {
    files: ['test/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-restricted-syntax': 'off' },
  },
);
