// BrowserWindow over a Playwright page, per docs/api/browser-window.md: cannot be created
// before 'ready'; hidden until show() when `show: false`; 'ready-to-show' once the first page
// has rendered; close() emits 'close' (cancellable) then 'closed'. The stand-in runs only the
// configuration the app ships — sandboxed, context-isolated, no Node in the page — and throws
// on any other, since it could not reproduce what Electron would then expose to the page.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { BrowserContext, Page } from 'playwright';
import type { IpcMainStandIn } from './ipc-main.ts';
import { rendererInitScript } from './renderer-side.ts';
import type { SessionStandIn } from './session.ts';
import { WebContentsStandIn } from './web-contents.ts';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface WindowOptions {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  show?: boolean;
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface WindowWorld {
  isReady(): boolean;
  context: BrowserContext;
  session: SessionStandIn;
  ipcMain: IpcMainStandIn;
  windows: Set<BrowserWindowStandIn>;
  nextId(): number;
  /** Errors a page reported (console errors, uncaught exceptions): stand-in record. */
  pageProblems: string[];
  /** Opens a page for a window (pages opened by anything else are new windows the page asked for). */
  newPage(): Promise<Page>;
  creatingPage(): boolean;
}

let world: WindowWorld | null = null;
export function setWindowWorld(w: WindowWorld): void {
  world = w;
}

function checkPreferences(wp: Record<string, unknown>): void {
  const bad: string[] = [];
  if (wp.contextIsolation === false) bad.push('contextIsolation: false');
  if (wp.sandbox !== true) bad.push('sandbox is not true');
  if (wp.nodeIntegration === true) bad.push('nodeIntegration: true');
  if (wp.nodeIntegrationInSubFrames === true) bad.push('nodeIntegrationInSubFrames: true');
  if (wp.webviewTag === true) bad.push('webviewTag: true');
  if (bad.length) throw new Error(`the electron stand-in runs only sandboxed, context-isolated windows without Node (${bad.join(', ')})`);
  if (wp.preload !== undefined && (typeof wp.preload !== 'string' || !isAbsolute(wp.preload)))
    throw new Error('webPreferences.preload must be an absolute path');
}

export class BrowserWindowStandIn extends EventEmitter {
  readonly id: number;
  readonly webContents: WebContentsStandIn;
  readonly options: WindowOptions;
  /** Stand-in record: a missing preload leaves the page without a bridge, as in Electron. */
  readonly preloadProblem: string | null;
  private visible: boolean;
  private destroyed = false;
  private bounds: Rectangle;
  private minimized = false;
  private maximized = false;
  private shownReady = false;

  static getAllWindows(): BrowserWindowStandIn[] {
    return world ? [...world.windows] : [];
  }

  static fromWebContents(contents: unknown): BrowserWindowStandIn | null {
    return BrowserWindowStandIn.getAllWindows().find((w) => w.webContents === contents) ?? null;
  }

  static getFocusedWindow(): BrowserWindowStandIn | null {
    return BrowserWindowStandIn.getAllWindows()[0] ?? null;
  }

  constructor(options: WindowOptions = {}) {
    super();
    const w = world;
    if (!w || !w.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    const wp = options.webPreferences ?? {};
    checkPreferences(wp);
    this.options = options;
    this.id = w.nextId();
    this.visible = options.show !== false;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    const preloadPath = typeof wp.preload === 'string' ? wp.preload : null;
    this.preloadProblem = preloadPath && !existsSync(preloadPath) ? `Unable to load preload script: ${preloadPath}` : null;
    const preload = preloadPath && !this.preloadProblem ? readFileSync(preloadPath, 'utf8') : null;
    const names = {
      invoke: `__standInInvoke${this.id}`,
      contextMenu: `__standInContextMenu${this.id}`,
      deliver: `__standInDeliver${Math.random().toString(36).slice(2)}`,
    };
    const pagePromise = this.openPage(w, names, preload);
    this.webContents = new WebContentsStandIn(this.id, w.session, w.ipcMain, names.deliver, pagePromise);
    w.windows.add(this);
  }

  private async openPage(w: WindowWorld, names: { invoke: string; contextMenu: string; deliver: string }, preload: string | null): Promise<Page> {
    const page = await w.newPage();
    await page.setViewportSize({ width: this.bounds.width, height: this.bounds.height });
    await page.exposeBinding(names.invoke, (source, channel: string, args: unknown[]) => this.webContents.invokeFromPage(source.frame, channel, args));
    await page.exposeBinding(names.contextMenu, (_source, params: object) => {
      this.webContents.emit('context-menu', { preventDefault() {} }, params);
    });
    await page.addInitScript(rendererInitScript(preload, names));
    page.on('console', (m) => {
      if (m.type() === 'error') w.pageProblems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => w.pageProblems.push(`page error: ${e.message}`));
    page.on('domcontentloaded', () => {
      if (this.shownReady || this.destroyed) return;
      this.shownReady = true;
      this.emit('ready-to-show');
    });
    page.on('close', () => this.finishClose());
    return page;
  }

  // ---- Electron API ----
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {}
  isFocused(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  unmaximize(): void {
    this.maximized = false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return false;
  }
  getBounds(): Rectangle {
    return { ...this.bounds };
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  setBounds(b: Partial<Rectangle>): void {
    this.bounds = { ...this.bounds, ...b };
  }
  setMenuBarVisibility(): void {}
  removeMenu(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }

  close(): void {
    if (this.destroyed) return;
    const e = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit('close', e);
    if (e.defaultPrevented) return;
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    void this.webContents.ready.then((p) => p.close()).catch(() => undefined);
    this.finishClose();
  }

  private finishClose(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    world?.windows.delete(this);
    this.webContents.markDestroyed();
    this.emit('closed');
  }

  /** Stand-in control: the Playwright page behind this window. */
  page(): Promise<Page> {
    return this.webContents.ready;
  }
}
