// The Electron host: one hardened window showing the renderer from app://cost-desk, one IPC
// channel into the core (through dispatch), core events out to that window, the API key in
// the OS keychain. Everything testable lives in ./shell/ and ./secrets/; this file only wires
// Electron's objects into them. Bundled to dist/electron/main.cjs by scripts/build-electron.mjs.
import { BrowserWindow, Notification, app, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from './core/index.ts';
import { createLogger } from './core/util/logger.ts';
import { createElectronSecretStore } from './secrets/safe-storage.ts';
import { APP_SCHEME, APP_URL } from './shell/app-origin.ts';
import { defaultDataDir } from './shell/data-dir.ts';
import { createElectronExport } from './shell/export.ts';
import { createOpenFolder } from './shell/open-folder.ts';
import { notifyNewAlerts } from './shell/alert-notifications.ts';
import { installAppGuards, installNavigationGuards, installSessionGuards } from './shell/guards.ts';
import { withHostMethods, type CoreFactory, type HostCore } from './shell/host-core.ts';
import { createIpcCallHandler, forwardEvents, registerIpc } from './shell/ipc.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './shell/protocol.ts';
import { createMainWindow, showWhenReady } from './shell/window.ts';

// Compile-time check that the core keeps the shape this host codes against.
const coreFactory: CoreFactory = createCore;
const log = createLogger().child({ host: 'electron' });

// Must happen before 'ready': app:// becomes a standard, secure origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let core: HostCore | null = null;
const getWindow = () => mainWindow;

if (!app.requestSingleInstanceLock()) {
  // A second instance would open the same ledger and key; focus the first one instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.whenReady().then(start, (err: unknown) => fail(err));
}

async function start(): Promise<void> {
  try {
    const openExternal = (url: string) => shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK: only called by guards.ts after its https exact-host allowlist */
    installAppGuards(app, openExternal);
    installSessionGuards(session.defaultSession);

    const appPath = app.getAppPath();
    const rendererDir = join(appPath, 'dist', 'renderer');
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir }));

    const dataDir = defaultDataDir();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const secrets = await createElectronSecretStore({ safeStorage, dataDir });
    // better-sqlite3 13 is a Node-API addon: the prebuild in node_modules loads in Electron as in Node.
    core = await coreFactory({ dataDir, secrets, host: 'electron' });

    const api = withHostMethods(core.api, {
      'export.run': createElectronExport({
        dialog,
        getWindow,
        exportReport: core.exportReport,
        defaultDir: app.getPath('downloads'),
      }),
      'data.openFolder': createOpenFolder((p) => shell.openPath(p), dataDir),
    });
    registerIpc(
      ipcMain,
      createIpcCallHandler({
        api,
        getWindow,
        onInternalError: (err, method) => log.error({ err, method }, 'call failed'),
        onRefused: (reason) => log.warn({ reason }, 'ipc call refused'),
      }),
    );
    forwardEvents(core.events, getWindow);
    if (Notification.isSupported()) notifyNewAlerts({ events: core.events, api, show: (title, body) => new Notification({ title, body }).show() });
    openWindow(appPath);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow(appPath);
    });
  } catch (err) {
    fail(err);
  }
}

function openWindow(appPath: string): void {
  const win = createMainWindow(BrowserWindow, join(appPath, 'dist', 'electron', 'preload.cjs'));
  mainWindow = win;
  // The app-wide guards cover this window too; installing them here as well keeps the
  // main window safe even if web-contents-created ran before they were registered.
  installNavigationGuards(win.webContents);
  showWhenReady(win);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_URL);
}

function fail(err: unknown): void {
  log.error({ err }, 'startup failed');
  dialog.showErrorBox('Telnyx Cost Desk could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Close the core (stop the poller, checkpoint the ledger) before the process exits.
let closing = false;
app.on('will-quit', (event) => {
  if (!core || closing) return;
  event.preventDefault();
  closing = true;
  core
    .close()
    .catch((err: unknown) => log.error({ err }, 'closing the core failed'))
    .finally(() => app.quit());
  core = null;
});
