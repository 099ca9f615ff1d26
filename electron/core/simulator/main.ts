// `npm run simulator`: a Telnyx simulator on 127.0.0.1 until SIGINT/SIGTERM.
// The first stdout line is machine-readable JSON ({"event":"simulator-ready",...}); the
// parent in process.ts waits for it. A human-readable line goes to stderr.
//   --port N  --calls N  --messages N  --numbers N  --seed S  --key K  --live
//   --honor-id-filters  --warm  --config '<json SimulatorOptions>' (flags win over it)
import { parseArgs } from 'node:util';
import { accountSummary, startSimulator, type SimulatorOptions } from './server.ts';

export const READY_EVENT = 'simulator-ready';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      calls: { type: 'string' },
      messages: { type: 'string' },
      numbers: { type: 'string' },
      seed: { type: 'string' },
      key: { type: 'string' },
      live: { type: 'boolean' },
      'honor-id-filters': { type: 'boolean' },
      warm: { type: 'boolean' },
      config: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
    return n;
  };
  const options: SimulatorOptions = values.config ? (JSON.parse(values.config) as SimulatorOptions) : {};
  const set = <K extends keyof SimulatorOptions>(k: K, v: SimulatorOptions[K] | undefined) => {
    if (v !== undefined) options[k] = v;
  };
  set('port', int('port', values.port));
  set('calls', int('calls', values.calls));
  set('messages', int('messages', values.messages));
  set('numbers', int('numbers', values.numbers));
  if (values.seed !== undefined) options.seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  set('apiKey', values.key);
  if (values.live) options.live = true;
  if (values['honor-id-filters']) options.honorIdFilters = true;
  if (values.warm) options.warm = true;

  const sim = await startSimulator(options);
  process.stdout.write(
    `${JSON.stringify({ event: READY_EVENT, url: sim.url, baseUrl: sim.baseUrl, apiKey: sim.apiKey, pid: process.pid, account: accountSummary(sim.account) })}\n`,
  );
  process.stderr.write(
    `Telnyx simulator: ${sim.account.callCount} calls, ${sim.account.messageCount} messages${sim.account.options.live ? ' (live)' : ''}\n` +
      `  base URL ${sim.baseUrl}\n  API key  ${sim.apiKey}\n`,
  );
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator failed to start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
