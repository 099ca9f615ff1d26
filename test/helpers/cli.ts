// The CLI's `main(argv)`, run in a helper child process (see cli-runner.ts) so its stdout and
// stderr can be captured without touching the test reporter's streams.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  /** env: a value sets the variable, undefined removes it, for this run only. */
  run(argv: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
}

const RUNNER = fileURLToPath(new URL('./cli-runner.ts', import.meta.url));

// Registered at import time (on the file's root test), so a runner started in a `before`
// hook lives until the whole file is done.
const children: Array<{ stdin: { end(): void } }> = [];
after(() => {
  for (const c of children.splice(0)) c.stdin.end();
});

export function startCliRunner(): CliRunner {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER], { stdio: ['pipe', 'pipe', 'pipe'] });
  let childStderr = '';
  child.stderr.on('data', (d: Buffer) => (childStderr += d.toString()));
  const waiting: Array<(r: CliResult) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(JSON.parse(line) as CliResult));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w({ code: -1, stdout: '', stderr: `cli runner exited (${code}): ${childStderr}` });
  });
  children.push(child);
  // One at a time: main() uses process-wide state (env, exit code).
  let queue = Promise.resolve();
  return {
    run(argv, env = {}) {
      // The core logs warnings (a rejected key...) straight to fd 2; keep them out of the way.
      const vars = { COST_DESK_LOG_LEVEL: 'silent', ...env };
      const request = JSON.stringify({ argv, env: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v ?? null])) });
      const result = queue.then(
        () =>
          new Promise<CliResult>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) {
              return resolve({ code: -1, stdout: '', stderr: `cli runner is gone: ${childStderr}` });
            }
            waiting.push(resolve);
            child.stdin.write(`${request}\n`);
          }),
      );
      queue = result.then(() => undefined);
      return result;
    },
  };
}
