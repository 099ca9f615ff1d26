// The CLI as a host of the core: it creates one through the factory and makes every call
// through the same dispatch as the renderer's (validated input and output, typed failures).
// What it adds is only what a terminal has: standard output as where a report goes.
import type { AppError, EventName, EventPayload, Input, Method, Output } from '../../shared/contract.ts';
import { NO_KEY_ACTION_APP } from '../../shared/errors.ts';
import { AppFailure, createCore, dispatch, envApiBaseUrl, type Core, type CoreApi } from '../core/index.ts';
import { resolveDataDir } from '../hosts/data-dir.ts';
import { withHostMethods } from '../hosts/host-core.ts';
import { createNodeSecretStore } from '../secrets/index.ts';
import { StdoutClosedError, stdoutSink } from './stdout.ts';

export interface GlobalOptions {
  dataDir?: string;
  demo?: boolean;
  json?: boolean;
}

/** What to do about a missing key, in the command line's terms. */
export const NO_KEY_ACTION_CLI = "Set TELNYX_API_KEY, save a key in the app's Settings, or pass --demo.";

/** A contract call that failed: the core's AppError, thrown to the command's caller. */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(readonly error: AppError) {
    super(error.message);
  }
}

/** A failure as the CLI reports it; the app's advice for a missing key becomes the CLI's. */
export function cliFailure(error: AppError): CliFailure {
  return new CliFailure(error.code === 'no_key' && error.action === NO_KEY_ACTION_APP ? { ...error, action: NO_KEY_ACTION_CLI } : error);
}

export interface CliHost {
  /** One contract call through dispatch: its value, or a CliFailure. */
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** The core's event stream (import progress), as the renderer subscribes to it. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** export.run without `out`: the report streams to standard output. */
function stdoutExport(core: Core): Partial<CoreApi> {
  return {
    'export.run': async (request) => {
      if (request.out) return core.api['export.run'](request);
      try {
        const { rows } = await core.exportReport(request, stdoutSink());
        return { savedTo: null, downloadUrl: null, rows, cancelled: false };
      } catch (err) {
        // A reader that went away is said as such (exit 1), not as an internal failure.
        if (err instanceof StdoutClosedError) throw new AppFailure('cancelled', err.message);
        throw err;
      }
    },
  };
}

export async function withCore<T>(g: GlobalOptions, fn: (host: CliHost) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(g.dataDir);
  const core = await createCore({
    dataDir,
    secrets: createNodeSecretStore(dataDir),
    host: 'cli',
    autoStart: false,
    logLevel: process.env.COST_DESK_LOG_LEVEL ?? 'warn',
    apiBaseUrl: envApiBaseUrl(process.env),
    demo: g.demo === true,
  });
  const api = withHostMethods(core.api, stdoutExport(core));
  const host: CliHost = {
    async call(method, input) {
      const r = await dispatch(api, method, input);
      if (!r.ok) throw cliFailure(r.error);
      return r.value as Output<typeof method>;
    },
    on(event, listener) {
      return core.events.on((name, payload) => {
        if (name === event) listener(payload as EventPayload<typeof event>);
      });
    },
  };
  try {
    return await fn(host);
  } finally {
    await core.close();
  }
}
