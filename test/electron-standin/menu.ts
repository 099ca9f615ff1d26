// `Menu` / `MenuItem`, per docs/api/menu.md and menu-item.md: a template item needs a role, a
// label or a separator type; a role must be one Electron knows (an unknown one would silently
// do nothing under Electron, so the stand-in refuses it); when a role is set, `click` is ignored.
export const MENU_ROLES: ReadonlySet<string> = new Set(
  (
    'undo redo cut copy paste pasteAndMatchStyle delete selectAll reload forceReload toggleDevTools resetZoom zoomIn zoomOut ' +
    'toggleSpellChecker togglefullscreen window minimize close help about services hide hideOthers unhide quit showSubstitutions ' +
    'toggleSmartQuotes toggleSmartDashes toggleTextReplacement startSpeaking stopSpeaking zoom front appMenu fileMenu editMenu ' +
    'viewMenu shareMenu recentDocuments toggleTabBar selectNextTab selectPreviousTab showAllTabs mergeAllWindows ' +
    'clearRecentDocuments moveTabToNewWindow windowMenu'
  ).split(' '),
);

export interface MenuItemStandIn {
  role?: string;
  label?: string;
  type?: string;
  accelerator?: string;
  enabled: boolean;
  visible: boolean;
  submenu?: MenuStandIn;
  click?: (item: unknown, win: unknown, event: unknown) => void;
}

type Template = Record<string, unknown>;

export class MenuStandIn {
  static applicationMenu: MenuStandIn | null | undefined = undefined;
  static popups: Array<{ menu: MenuStandIn; options: unknown }> = [];
  readonly items: MenuItemStandIn[] = [];

  static buildFromTemplate(template: Template[]): MenuStandIn {
    const menu = new MenuStandIn();
    for (const t of template) menu.items.push(item(t));
    return menu;
  }

  static setApplicationMenu(menu: MenuStandIn | null): void {
    MenuStandIn.applicationMenu = menu;
  }

  static getApplicationMenu(): MenuStandIn | null {
    return MenuStandIn.applicationMenu ?? null;
  }

  popup(options: unknown = {}): void {
    MenuStandIn.popups.push({ menu: this, options });
  }

  closePopup(): void {}

  /** Stand-in control: the item reached by following labels or roles (e.g. ['Help', 'Open Logs Folder']). */
  find(path: string[]): MenuItemStandIn | null {
    let items = this.items;
    let found: MenuItemStandIn | null = null;
    for (const step of path) {
      found = items.find((i) => i.label === step || i.role === step) ?? null;
      if (!found) return null;
      items = found.submenu?.items ?? [];
    }
    return found;
  }
}

function item(t: Template): MenuItemStandIn {
  const role = t.role as string | undefined;
  const type = (t.type as string | undefined) ?? (t.submenu ? 'submenu' : 'normal');
  if (role !== undefined && !MENU_ROLES.has(role)) throw new Error(`menu item role '${role}' is not one Electron knows`);
  if (role === undefined && type !== 'separator' && typeof t.label !== 'string')
    throw new Error(`a menu item needs a role, a label or type 'separator' (${JSON.stringify(t)})`);
  const sub = t.submenu;
  return {
    ...(role !== undefined ? { role } : {}),
    ...(typeof t.label === 'string' ? { label: t.label } : {}),
    type,
    ...(typeof t.accelerator === 'string' ? { accelerator: t.accelerator } : {}),
    enabled: t.enabled !== false,
    visible: t.visible !== false,
    ...(sub ? { submenu: sub instanceof MenuStandIn ? sub : MenuStandIn.buildFromTemplate(sub as Template[]) } : {}),
    ...(role === undefined && typeof t.click === 'function' ? { click: t.click as MenuItemStandIn['click'] } : {}),
  };
}
