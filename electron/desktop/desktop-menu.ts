// The desktop conventions a user expects: an application menu per platform (macOS: the app
// menu first; everywhere: Edit with undo/cut/copy/paste — which is also what makes the
// clipboard shortcuts work on macOS — and View with zoom), "Open Logs Folder" under Help, and
// a right-click menu in text fields (pasting the API key). Reload and DevTools items exist only
// in development; a packaged build offers "Reload" as reloading the app page (the way out of
// the error page), never the developer tools.
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  platform: NodeJS.Platform;
  appName: string;
  isPackaged: boolean;
  /** Loads the app page again (also from the error page). */
  reloadApp(): void;
  openLogsFolder(): void;
}

const sep: MenuItemConstructorOptions = { type: 'separator' };

export function appMenuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  const mac = a.platform === 'darwin';
  const macApp: MenuItemConstructorOptions = {
    label: a.appName,
    submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
  };
  const file: MenuItemConstructorOptions = { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'delete' }, sep, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { label: 'Reload', accelerator: 'CmdOrCtrl+R', click: () => a.reloadApp() },
      ...(a.isPackaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
      sep,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = { role: 'help', submenu: [{ label: 'Open Logs Folder', click: () => a.openLogsFolder() }] };
  return [...(mac ? [macApp] : []), file, edit, view, windowMenu, help];
}

/** The right-click menu: edit actions in text fields, Copy on a selection, nothing elsewhere. */
export function contextMenuTemplate(params: Pick<ContextMenuParams, 'isEditable' | 'selectionText' | 'editFlags'>): MenuItemConstructorOptions[] {
  const f = params.editFlags;
  if (params.isEditable) {
    return [
      { role: 'undo', enabled: f.canUndo },
      { role: 'redo', enabled: f.canRedo },
      sep,
      { role: 'cut', enabled: f.canCut },
      { role: 'copy', enabled: f.canCopy },
      { role: 'paste', enabled: f.canPaste },
      sep,
      { role: 'selectAll', enabled: f.canSelectAll },
    ];
  }
  if (params.selectionText.trim() !== '') return [{ role: 'copy', enabled: f.canCopy }];
  return [];
}
