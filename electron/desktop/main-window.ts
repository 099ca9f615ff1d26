// The desktop window's behaviour beyond its options: it opens where it was left, shows its
// static frame as soon as it has painted, offers an edit menu on right-click, and never stays
// blank — a failed load of the app page shows the error page with the way out.
import type { BrowserWindow, ContextMenuParams, Menu, WebContents } from 'electron';
import { isAppUrl } from './app-origin.ts';
import { contextMenuTemplate } from './desktop-menu.ts';
import { errorPageUrl, type ErrorPage } from './error-page.ts';
import { saveWindowState } from './window-state.ts';

/** Shows `page` in the window (and the window itself, if it was still hidden). */
export function showErrorPage(win: Pick<BrowserWindow, 'isDestroyed' | 'loadURL' | 'show'>, page: ErrorPage): void {
  if (win.isDestroyed()) return;
  win.show();
  win.loadURL(errorPageUrl(page)).catch(() => undefined);
}

export interface WindowBehaviour {
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  dataDir: string;
  logsDir: () => string;
  onWarning: (err: unknown, what: string) => void;
}

export function installWindowBehaviour(win: BrowserWindow, b: WindowBehaviour): void {
  const contents: WebContents = win.webContents;
  contents.on('context-menu', (_event, params: ContextMenuParams) => {
    const template = contextMenuTemplate(params);
    if (template.length) b.Menu.buildFromTemplate(template).popup({ window: win });
  });
  contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    // -3 (ERR_ABORTED) is a navigation replaced by another one, not a failure.
    if (!isMainFrame || code === -3 || !isAppUrl(url)) return;
    showErrorPage(win, {
      title: 'The Cost Desk page could not be loaded',
      message: `${description} (${code}) loading ${url}`,
      fixes: ['Choose View → Reload to try again.', 'If it keeps failing, reinstall the app (its files may be damaged).'],
      logsDir: b.logsDir(),
    });
  });
  win.on('close', () => {
    try {
      saveWindowState(b.dataDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      b.onWarning(err, 'saving the window position failed');
    }
  });
}
