// `npm run simulator`: a Telnyx simulator on 127.0.0.1 until SIGINT/SIGTERM.
// The first stdout line is machine-readable JSON ({"event":"simulator-ready",...}); the
// parent in process.ts waits for it. A human-readable line goes to stderr.
//   --port N  --calls N  --messages N  --numbers N  --seed S  --key K  --live
//   --honor-id-filters  --warm  --config '<json SimulatorOptions>' (flags win over it)
import { parseArgs } from 'node:util';
import { accountSummary, startSimulator, type SimulatorOptions } from './server.ts';

export const READY_EVENT = 'simulator-ready';

const USAGE = `Usage: npm run simulator -- [options]
A Telnyx simulator on 127.0.0.1 (detail records and stored webhook deliveries) until Ctrl-C.
The first line on stdout is JSON ({"event":"simulator-ready", url, baseUrl, apiKey, ...}).

  --port N             listen on this port (default: any free port)
  --calls N            calls in the account (default 2000)
  --messages N         messages in the account (default 1000)
  --numbers N          our phone numbers (default 6; every third bills in EUR)
  --seed S             the same seed gives the same account (default 1)
  --key K              the API key it accepts (default: a generated one, printed)
  --live               the account runs around now and keeps going (demo mode)
  --honor-id-filters   filter[call_leg_id] and friends filter (default: ignored, as UNCONFIRMED for Telnyx)
  --warm               build the indexes before the ready line
  --config JSON        any SimulatorOptions as JSON (the flags above win over it)
  --help               this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
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
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
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
  const message = (err as Error)?.message ?? String(err);
  // A mistyped option is a usage error (exit 2), with the usage to fix it.
  if ((err as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`simulator failed to start: ${message}\n`);
  process.exit(1);
});
