// The desktop app with only the Electron executable stood in: the built dist/electron/main.cjs
// runs in this process with `require('electron')` answered by test/electron-standin/, its
// window is a real Chromium page showing the real renderer over app://, through the real
// preload.cjs bridge and main.cjs's real IPC handler and core.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { createElectronStandIn, type ElectronStandIn, type StandInOptions } from '../../electron-standin/index.ts';
import { requireWithStandIn } from '../../electron-standin/load.ts';
import type { BrowserWindowStandIn } from '../../electron-standin/browser-window.ts';
import { ROOT, ensureRendererBuilt, onClose, tempDir, waitFor } from './app.ts';
import { browser } from './browser.ts';

export const MAIN_BUNDLE = join(ROOT, 'dist', 'electron', 'main.cjs');

export interface Desktop {
  electron: ElectronStandIn;
  window: BrowserWindowStandIn;
  page: Page;
  dataDir: string;
  root: string;
}

export type DesktopOptions = Partial<Pick<StandInOptions, 'keyring' | 'dialog' | 'isPackaged' | 'appPath'>> & {
  /** Runs on the (created) data folder before main.cjs starts. */
  prepare?: (dataDir: string) => void;
  /** Another copy of main.cjs (default: the project's dist/electron/main.cjs). */
  bundle?: string;
};

/** Loads main.cjs once per test file (it is a process's main module) and fires 'ready'. */
export async function launchDesktop(o: DesktopOptions = {}): Promise<Omit<Desktop, 'window' | 'page'>> {
  ensureRendererBuilt();
  if (!existsSync(MAIN_BUNDLE)) {
    const { buildElectron } = await import('../../../scripts/build-electron.mjs');
    await buildElectron({ quiet: true });
  }
  const root = tempDir('cost-desk-desktop-');
  const dataDir = join(root, 'data');
  const paths = {
    home: root,
    appData: join(root, 'config'),
    userData: join(root, 'config', 'Telnyx Cost Desk'),
    temp: join(root, 'tmp'),
    downloads: join(root, 'Downloads'),
    logs: join(root, 'logs'),
  };
  for (const p of Object.values(paths)) mkdirSync(p, { recursive: true });
  process.env.COST_DESK_DATA_DIR = dataDir;
  const { prepare, bundle, ...standIn } = o;
  if (prepare) {
    mkdirSync(dataDir, { recursive: true });
    prepare(dataDir);
  }
  const electron = await createElectronStandIn({ browser: await browser(), paths, ...standIn, appPath: standIn.appPath ?? ROOT });
  onClose(async () => {
    electron.app.quit();
    await waitFor(() => electron.app.ended, 'the app to quit', 20_000);
    await electron.close();
  });
  requireWithStandIn(bundle ?? MAIN_BUNDLE, electron.module);
  electron.ready();
  return { electron, dataDir, root };
}

/** launchDesktop, then waits for main.cjs's window (failing at once if it showed an error box instead). */
export async function startDesktop(o: DesktopOptions = {}): Promise<Desktop> {
  const launched = await launchDesktop(o);
  const { electron } = launched;
  const errorBox = () => electron.records.find((r) => r.kind === 'showErrorBox');
  await waitFor(() => electron.windows()[0] ?? errorBox(), 'main.cjs to open its window');
  const box = errorBox();
  if (box) throw new Error(`main.cjs showed an error box: ${JSON.stringify(box.args)}`);
  const window = electron.windows()[0]!;
  return { ...launched, window, page: await window.page() };
}
