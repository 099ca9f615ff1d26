// A child process that runs the CLI's `main(argv)` once per request line on stdin and
// answers one JSON line per request on stdout: { code, stdout, stderr }. Capturing
// process.stdout inside a test file would swallow the test reporter's own output, so the
// CLI runs here, in a process that has no reporter.
//   request:  {"argv": [...], "env": {"NAME": "value" | null}}
import { createInterface } from 'node:readline';
import { main } from '../../electron/cli/main.ts';

const write = process.stdout.write.bind(process.stdout);

async function run(argv: string[], env: Record<string, string | null>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === null) delete process.env[k];
    else process.env[k] = v;
  }
  let stdout = '';
  let stderr = '';
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  // main() reports some failures through process.exitCode: each run starts clean.
  process.exitCode = undefined;
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    process.stdout.write = write;
    process.stderr.write = err;
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const req = JSON.parse(line) as { argv: string[]; env: Record<string, string | null> };
  let res: unknown;
  try {
    res = await run(req.argv, req.env);
  } catch (e) {
    res = { code: -1, stdout: '', stderr: `main threw: ${(e as Error)?.stack ?? String(e)}` };
  }
  write(`${JSON.stringify(res)}\n`);
}
