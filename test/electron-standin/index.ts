// A stand-in for the `electron` module, so the built main process (dist/electron/main.cjs) and
// preload (dist/electron/preload.cjs) run under plain Node while the real renderer runs in real
// Chromium: only the Electron executable itself is replaced. Each module behaves as Electron's
// docs/api/*.md say, for exactly the surface the app uses; touching anything else throws, so
// the app cannot quietly depend on something this stand-in does not model. Test code only:
// product code never imports it.
import type { Browser } from 'playwright';
import { AppStandIn, type AppPaths } from './app.ts';
import { BrowserWindowStandIn, setWindowWorld, type WindowWorld } from './browser-window.ts';
import { IpcMainStandIn } from './ipc-main.ts';
import { MenuStandIn } from './menu.ts';
import {
  dialogStandIn,
  netStandIn,
  notificationStandIn,
  safeStorageStandIn,
  screenStandIn,
  shellStandIn,
  type DialogAnswers,
  type KeyringOptions,
} from './os-services.ts';
import { ProtocolStandIn } from './protocol.ts';
import { SessionStandIn } from './session.ts';

export interface StandInOptions {
  browser: Browser;
  appPath: string;
  paths: AppPaths;
  isPackaged?: boolean;
  keyring?: KeyringOptions;
  dialog?: DialogAnswers;
}

/** The same object, each method call first noted in `records` (to check the order of things). */
function recorded<T extends Record<string, unknown>>(name: string, target: T, records: Array<{ kind: string; args: unknown }>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(target)) {
    out[k] = typeof v === 'function' ? (...a: unknown[]) => (records.push({ kind: `${name}.${k}`, args: null }), (v as (...x: unknown[]) => unknown)(...a)) : v;
  }
  return out as T;
}

export type ElectronStandIn = Awaited<ReturnType<typeof createElectronStandIn>>;

export async function createElectronStandIn(o: StandInOptions) {
  const windows = new Set<BrowserWindowStandIn>();
  const records: Array<{ kind: string; args: unknown }> = [];
  const pageProblems: string[] = [];
  const closeAll = () => {
    for (const w of [...windows]) w.close();
  };
  const app = new AppStandIn({ appPath: o.appPath, paths: o.paths, ...(o.isPackaged !== undefined ? { isPackaged: o.isPackaged } : {}) }, closeAll);
  const isReady = () => app.isReady();
  const protocol = new ProtocolStandIn(isReady);
  const ipcMain = new IpcMainStandIn();
  const context = await o.browser.newContext({ viewport: null, timezoneId: 'UTC', locale: 'en-US' });
  const session = new SessionStandIn(context, protocol, {
    contentsFor: (page) => [...windows].find((w) => w.webContents.ownsPage(page))?.webContents ?? null,
    newWindowRequest: (url) => {
      // The opener is one of our windows (the app has one); its handler decides.
      const decision = [...windows][0]?.webContents.windowOpen(url) ?? 'allow';
      records.push({ kind: 'window-open', args: { url, decision } });
      // Under Electron a denied window is never created; Chromium made its page already, so
      // it is closed before it shows anything.
      if (decision === 'deny') setImmediate(closeStrayPages);
      return decision;
    },
  });
  await session.install();
  const closeStrayPages = () => {
    for (const p of context.pages()) {
      if (![...windows].some((w) => w.webContents.ownsPage(p)) && !world.creatingPage()) void p.close().catch(() => undefined);
    }
  };
  let nextId = 1;
  let creating = 0;
  const world: WindowWorld = {
    isReady,
    context,
    session,
    ipcMain,
    windows,
    nextId: () => nextId++,
    pageProblems,
    creatingPage: () => creating > 0,
    newPage: async () => {
      creating++;
      try {
        return await context.newPage();
      } finally {
        creating--;
      }
    },
  };
  setWindowWorld(world);

  class BrowserWindow extends BrowserWindowStandIn {
    constructor(options?: ConstructorParameters<typeof BrowserWindowStandIn>[0]) {
      super(options);
      records.push({ kind: 'new BrowserWindow', args: null });
      // Electron emits this for every new WebContents, before the creator can use it.
      app.emit('web-contents-created', { preventDefault() {} }, this.webContents);
      this.on('closed', () => {
        if (windows.size === 0 && !app.ended) app.emit('window-all-closed');
      });
    }
  }

  const electron: Record<string, unknown> = {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session: { defaultSession: session },
    safeStorage: recorded(
      'safeStorage',
      safeStorageStandIn(o.keyring ?? { backend: 'gnome_libsecret', available: true, asyncAvailable: true }, isReady),
      records,
    ),
    dialog: dialogStandIn(o.dialog ?? {}, records),
    shell: shellStandIn(records),
    Notification: notificationStandIn(records),
    Menu: MenuStandIn,
    screen: screenStandIn(isReady),
    net: netStandIn(records),
  };
  const module = new Proxy(electron, {
    get(target, key) {
      if (typeof key === 'symbol' || key === '__esModule' || key === 'default' || key === 'then') return target[key as string];
      if (!(key in target)) throw new Error(`the electron stand-in has no '${key}': model it in test/electron-standin/ as Electron's docs describe`);
      return target[key];
    },
  });
  MenuStandIn.applicationMenu = undefined;
  MenuStandIn.popups = [];

  return {
    module,
    app,
    session,
    ipcMain,
    protocol,
    records,
    pageProblems,
    windows: () => [...windows],
    menu: MenuStandIn,
    /** Electron's browser process is up: 'ready' fires. */
    ready: () => app.emitReady(),
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}
