// The one BrowserWindow. Every Electron hardening switch is spelled out (even where it is
// the default) so a reader — and electronegativity, which inspects the object literal at the
// `new BrowserWindow(...)` site — sees the decision here.
import type { BrowserWindowConstructorOptions } from 'electron';

export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

export interface MainWindowOptions {
  /** Where the window was last time (window-state.ts), already checked to be on a screen. */
  bounds?: { x: number; y: number; width: number; height: number } | null;
  /** DevTools only in development (`!app.isPackaged`). */
  devTools?: boolean;
}

/** Creates the main window; `BrowserWindow` is Electron's class (a stand-in in tests). */
export function createMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string, o: MainWindowOptions = {}): W {
  return new BrowserWindow({
    width: o.bounds?.width ?? 1280,
    height: o.bounds?.height ?? 820,
    ...(o.bounds ? { x: o.bounds.x, y: o.bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'Telnyx Cost Desk',
    // Shown on 'ready-to-show' (see showWhenReady) so there is no white flash.
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      // Kept on one line: electronegativity reads its eng-disable comment on the flagged line only.
      // prettier-ignore
      preload: preloadPath /* eng-disable PRELOAD_JS_CHECK: the preload only exposes invoke/subscribe/platform (desktop/bridge.ts), names checked against the contract */,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: o.devTools ?? false,
      // Middle-click must not open links in new windows (the window-open handler denies too).
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/** The exact options createMainWindow passes (captured, so there is one source of truth). */
export function windowOptions(preloadPath: string, o: MainWindowOptions = {}): BrowserWindowConstructorOptions {
  let captured: BrowserWindowConstructorOptions | undefined;
  class Recorder {
    constructor(options: BrowserWindowConstructorOptions) {
      captured = options;
    }
  }
  createMainWindow(Recorder, preloadPath, o);
  return captured!;
}

/** The part of BrowserWindow that showWhenReady needs. */
export interface ShowableWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
}

export function showWhenReady(win: ShowableWindow): void {
  win.once('ready-to-show', () => win.show());
}
