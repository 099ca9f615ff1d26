// One data folder per user, shared by the desktop app, the browser host and the CLI, so a
// cron job and the app see the same ledger. COST_DESK_DATA_DIR overrides (tests, portable use).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'telnyx-cost-desk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.COST_DESK_DATA_DIR) return resolve(env.COST_DESK_DATA_DIR);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  // XDG: an empty or relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'), APP_DIR_NAME);
}

/** The --data-dir flag wins over the environment, which wins over the per-OS default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ? resolve(flag) : defaultDataDir(env);
}
