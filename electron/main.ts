// The Electron host: one hardened window showing the renderer from app://cost-desk, one IPC
// channel into the core (through dispatch), core events out to that window, the API key in
// the OS keychain, the log in a rotating file. Everything testable lives in ./desktop/ and
// ./secrets/; this file only wires Electron's objects into them. Bundled to
// dist/electron/main.cjs by scripts/build-electron.mjs.
import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, net, protocol, safeStorage, screen, session, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from './core/index.ts';
import { fetchTransport } from './core/telnyx/transport.ts';
import { createLogger, silentLogger, type Logger } from './core/util/logger.ts';
import { createElectronSecretStore } from './secrets/safe-storage.ts';
import { APP_SCHEME, APP_URL } from './desktop/app-origin.ts';
import { defaultDataDir } from './hosts/data-dir.ts';
import { appMenuTemplate } from './desktop/desktop-menu.ts';
import { startupFixes } from './desktop/error-page.ts';
import { createElectronExport } from './desktop/export.ts';
import { installAppGuards, installNavigationGuards, installSessionGuards } from './desktop/guards.ts';
import { deferredApi, withHostMethods, type CoreFactory, type HostCore } from './hosts/host-core.ts';
import { createIpcCallHandler, forwardEvents, registerIpc } from './desktop/ipc.ts';
import { openRotatingLog } from './desktop/log-file.ts';
import { installWindowBehaviour, showErrorPage } from './desktop/main-window.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './desktop/protocol.ts';
import { createMainWindow, showWhenReady } from './desktop/window.ts';
import { loadWindowState } from './desktop/window-state.ts';
import { createOpenFolder } from './desktop/open-folder.ts';
import { notifyNewAlerts } from './desktop/alert-notifications.ts';

// Compile-time check that the core keeps the shape this host codes against.
const coreFactory: CoreFactory = createCore;
// Files are found beside this bundle (dist/electron/main.cjs), never from app.getAppPath(),
// so `electron .`, `electron dist/electron/main.cjs` and a packaged app.asar agree.
const BUNDLE_DIR = dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = join(BUNDLE_DIR, '..', 'renderer');
const PRELOAD = join(BUNDLE_DIR, 'preload.cjs');
const TITLE = 'Telnyx Cost Desk could not start';

// Must happen before 'ready': app:// becomes a standard, secure origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

const openExternal = (url: string) =>
  shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK: only called by guards.ts after its https exact-host allowlist */
// No stderr is assumed (a packaged Windows app has none): the file log replaces this at 'ready'.
let log: Logger = silentLogger();
let logsDir = '';
let dataDir = '';
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

function openLog(): void {
  app.setAppLogsPath(); // macOS ~/Library/Logs/<app>; elsewhere <userData>/logs
  logsDir = app.getPath('logs');
  try {
    const file = openRotatingLog(logsDir);
    const stream = app.isPackaged ? file : { write: (line: string) => (file.write(line), process.stderr.write(line)) };
    log = createLogger({ stream }).child({ host: 'electron' });
  } catch {
    // No writable log folder: run without a log rather than not at all.
  }
}

async function start(): Promise<void> {
  try {
    openLog();
    installAppGuards(app, openExternal);
    installSessionGuards(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: RENDERER_DIR }));
    const openLogsFolder = () => void shell.openPath(logsDir);
    const reloadApp = () => void mainWindow?.loadURL(APP_URL).catch(() => undefined);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, appName: app.getName(), isPackaged: app.isPackaged, reloadApp, openLogsFolder })),
    );
    dataDir = defaultDataDir();
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });

    // The window first: its static frame paints while the keychain and the ledger's migrations
    // run. The IPC handler is registered in this same turn, before the page can call.
    openWindow();
    const coreReady = startCore(dataDir);
    const api = withHostMethods(deferredApi(coreReady), {
      'export.run': createElectronExport({
        dialog,
        getWindow,
        exportReport: async (...a) => (await coreReady).exportReport(...a),
        defaultDir: app.getPath('downloads'),
      }),
      'data.openFolder': createOpenFolder(
        (p) => shell.openPath(p),
        async () => (await (await coreReady).api['data.status']({})).dataDir,
      ),
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
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
    core = await coreReady;
    forwardEvents(core.events, getWindow);
    if (Notification.isSupported()) notifyNewAlerts({ events: core.events, api, show: (title, body) => new Notification({ title, body }).show() });
  } catch (err) {
    fail(err);
  }
}

async function startCore(dir: string): Promise<HostCore> {
  const secrets = await createElectronSecretStore({ safeStorage, dataDir: dir });
  // better-sqlite3 13 is a Node-API addon: the prebuild in node_modules loads in Electron as in Node.
  // Telnyx requests go through Chromium's network stack (net.fetch): the OS proxy and PAC settings apply.
  const telnyxTransport = fetchTransport((url, init) => net.fetch(url, init));
  return coreFactory({ dataDir: dir, secrets, host: 'electron', logger: log, telnyxTransport });
}

function openWindow(): void {
  const state = loadWindowState(
    dataDir,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = createMainWindow(BrowserWindow, PRELOAD, { bounds: state?.bounds ?? null, devTools: !app.isPackaged });
  mainWindow = win;
  // Guarded already by 'web-contents-created'; the call is idempotent (a second
  // setWindowOpenHandler would replace the guarded one).
  installNavigationGuards(win.webContents, openExternal);
  installWindowBehaviour(win, { Menu, dataDir, logsDir: () => logsDir, onWarning: (err, what) => log.warn({ err }, what) });
  if (state?.maximized) win.maximize();
  showWhenReady(win);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(APP_URL).catch(() => undefined); // a failure shows the error page (did-fail-load)
}

function fail(err: unknown): void {
  log.error({ err }, 'startup failed');
  const message = err instanceof Error ? err.message : String(err);
  const fixes = startupFixes(message, process.platform);
  if (mainWindow && !mainWindow.isDestroyed()) {
    showErrorPage(mainWindow, { title: TITLE, message, fixes, logsDir });
    return;
  }
  dialog.showErrorBox(TITLE, `${message}\n\n${fixes.join('\n')}${logsDir ? `\n\nLogs: ${logsDir}` : ''}`);
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
