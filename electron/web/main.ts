// `npm run web`: the browser host. Starts the core on this user's data dir, serves the
// renderer and the API on 127.0.0.1 with a fresh access token, and prints the address.
//   --port N        listen on N (default: a free port)
//   --data-dir DIR  ledger and key files (default: per-OS data dir; env COST_DESK_DATA_DIR)
//   --demo          start in demo mode (the built-in simulator, no API key needed)
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dispatch } from '../core/api/dispatch.ts';
import { createCore, envApiBaseUrl } from '../core/index.ts';
import { createLogger } from '../core/util/logger.ts';
import { createNodeSecretStore } from '../secrets/index.ts';
import { resolveDataDir } from '../hosts/data-dir.ts';
import type { CoreFactory } from '../hosts/host-core.ts';
import { buildRenderer, rendererBuilt } from './renderer-build.ts';
import { startWebHost } from './server.ts';

const coreFactory: CoreFactory = createCore;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = 'usage: npm run web -- [--port N] [--data-dir DIR] [--demo]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${values.port}\n${USAGE}`);

  const log = createLogger().child({ host: 'web' });
  const rendererDir = join(ROOT, 'dist', 'renderer');
  if (!rendererBuilt(rendererDir)) {
    console.log('The renderer is not built yet; building it now (npm run build:renderer)...');
    const failed = buildRenderer(ROOT);
    if (failed) console.error(`Could not build the renderer (${failed}); the page will say how to build it.`);
  }

  const dataDir = resolveDataDir(values['data-dir']);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const core = await coreFactory({ dataDir, secrets: createNodeSecretStore(dataDir), host: 'web', apiBaseUrl: envApiBaseUrl(process.env) });
  const host = await startWebHost({
    core,
    rendererDir,
    port,
    onInternalError: (err, where) => log.error({ err, where }, 'request failed'),
  });

  if (values.demo) {
    const r = await dispatch(core.api, 'demo.start', {});
    if (!r.ok) console.error(`Could not start demo mode: ${r.error.message}`);
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  console.log(`Cost Desk is running at ${host.url}`);
  console.log(`Data folder: ${dataDir}`);
  console.log('Press Ctrl+C to stop.');
}

main().catch((err: unknown) => {
  console.error(`Cost Desk could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
