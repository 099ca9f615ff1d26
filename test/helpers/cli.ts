// The CLI as cron and a terminal run it: a real child process (`node --import tsx
// electron/cli/main.ts ...` on this test's Node), real stdio and the real exit code. Nothing
// in the CLI is replaced: a bug that only shows on a real pipe, a file redirect or a closed
// reader shows here.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp.ts';

export interface CliResult {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** 'pipe' (default): read through a pipe; 'file': standard output redirected to a file. */
  stdout?: 'pipe' | 'file';
  /** With stdout 'pipe': run as `cli ... | head -c N` (the reader leaves after N bytes). */
  closeStdoutAfter?: number;
}

export const CLI_MAIN = fileURLToPath(new URL('../../electron/cli/main.ts', import.meta.url));

/** env: a value sets the variable, undefined removes it, for this run only. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // The core logs warnings (a rejected key...) straight to fd 2; keep them out of the way.
  const merged: NodeJS.ProcessEnv = { ...process.env, COST_DESK_LOG_LEVEL: 'silent' };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return merged;
}

export async function runCli(argv: string[], env: Record<string, string | undefined> = {}, options: CliOptions = {}): Promise<CliResult> {
  const toFile = options.stdout === 'file' ? join(tempDir('cost-desk-cli-out-'), 'stdout') : null;
  const fd = toFile ? openSync(toFile, 'w') : null;
  const node = [process.execPath, '--import', 'tsx', CLI_MAIN, ...argv];
  // `| head -c N` itself, through bash, which exits with the CLI's own code (PIPESTATUS):
  // head reads one block and leaves, so the CLI meets the closed pipe whatever the machine's
  // load (a reader in this process could drain more of the report first).
  const limit = options.closeStdoutAfter;
  const [cmd, args] =
    limit === undefined
      ? [process.execPath, node.slice(1)]
      : ['bash', ['-c', `"$@" | head -c ${Math.floor(limit)}; exit "\${PIPESTATUS[0]}"`, 'bash', ...node]];
  const child = spawn(cmd, args, {
    stdio: ['ignore', fd ?? 'pipe', 'pipe'],
    env: childEnv(env),
  });
  if (fd !== null) closeSync(fd);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  if (toFile) stdout = readFileSync(toFile, 'utf8');
  return { code, signal, stdout, stderr };
}
