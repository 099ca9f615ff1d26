// A window's webContents over a Playwright Page, per docs/api/web-contents.md: loadURL()
// resolves on load and rejects (after 'did-fail-load') when the load fails; a page's own
// navigation emits 'will-navigate' (cancellable; loadURL's does not); setWindowOpenHandler is a
// setter — the last handler set is the only one (with none, a window.open is allowed);
// send() structured-clones its arguments to the page's ipcRenderer listeners.
import { EventEmitter } from 'node:events';
import type { Frame, Page } from 'playwright';
import type { IpcMainStandIn } from './ipc-main.ts';
import type { SessionStandIn } from './session.ts';
import { fromPage, toPage } from './urls.ts';

export type WindowOpenHandler = (details: { url: string; frameName: string; features: string; disposition: string; referrer: object }) => {
  action: 'allow' | 'deny';
};

/** Chromium's net error names -> the numbers 'did-fail-load' carries (net_error_list.h). */
const NET_ERRORS: Record<string, number> = {
  ERR_FAILED: -2,
  ERR_ABORTED: -3,
  ERR_BLOCKED_BY_CLIENT: -20,
  ERR_CONNECTION_REFUSED: -102,
  ERR_NAME_NOT_RESOLVED: -105,
  ERR_INTERNET_DISCONNECTED: -106,
};

export interface FrameStandIn {
  readonly url: string;
  readonly origin: string;
  readonly parent: FrameStandIn | null;
  readonly name: string;
  isDestroyed(): boolean;
}

export function frameStandIn(frame: Frame): FrameStandIn {
  return {
    get url() {
      return fromPage(frame.url());
    },
    get origin() {
      try {
        return new URL(fromPage(frame.url())).origin;
      } catch {
        return 'null';
      }
    },
    get parent() {
      const p = frame.parentFrame();
      return p ? frameStandIn(p) : null;
    },
    get name() {
      return frame.name();
    },
    isDestroyed: () => frame.isDetached(),
  };
}

export class WebContentsStandIn extends EventEmitter {
  private page: Page | null = null;
  private destroyed = false;
  private expectedLoad: string | null = null;
  private openHandler: WindowOpenHandler | null = null;
  /** Stand-in record: how often setWindowOpenHandler was called (it replaces, never adds). */
  windowOpenHandlerSets = 0;
  devToolsOpened = false;

  constructor(
    readonly id: number,
    readonly session: SessionStandIn,
    private readonly ipcMain: IpcMainStandIn,
    private readonly deliverName: string,
    readonly ready: Promise<Page>,
  ) {
    super();
    void ready.then((p) => (this.page = p));
  }

  // ---- Electron API ----
  async loadURL(url: string): Promise<void> {
    const page = await this.ready;
    this.expectedLoad = url;
    try {
      await page.goto(toPage(url), { waitUntil: 'load' });
      this.emit('did-finish-load', event());
    } catch (err) {
      const name = /net::(ERR_[A-Z_]+)/.exec(err instanceof Error ? err.message : '')?.[1] ?? 'ERR_FAILED';
      const code = NET_ERRORS[name] ?? -2;
      this.emit('did-fail-load', event(), code, name, url, true);
      throw Object.assign(new Error(`${name} (${code}) loading '${url}'`), { errno: code, code: name, url });
    } finally {
      this.expectedLoad = null;
    }
  }

  getURL(): string {
    return this.page ? fromPage(this.page.url()) : '';
  }

  get mainFrame(): FrameStandIn | null {
    return this.page ? frameStandIn(this.page.mainFrame()) : null;
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.openHandler = handler;
    this.windowOpenHandlerSets++;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed || !this.page) return;
    const copy = structuredClone(args);
    this.page
      .evaluate(([name, ch, a]) => (globalThis as Record<string, unknown> as Record<string, (c: string, x: unknown[]) => void>)[name]?.(ch, a), [
        this.deliverName,
        channel,
        copy,
      ] as const)
      .catch(() => {
        // A page that is navigating or closing drops the message, as in Electron.
      });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  openDevTools(): void {
    this.devToolsOpened = true;
  }

  isDevToolsOpened(): boolean {
    return this.devToolsOpened;
  }

  // ---- stand-in controls ----
  /** Whether a top-level navigation to `url` goes ahead (loadURL's own, or 'will-navigate' not prevented). */
  navigationAllowed(url: string): boolean {
    if (this.expectedLoad !== null && toPage(this.expectedLoad) === toPage(url)) return true;
    const e = Object.assign(event(), { url, isMainFrame: true, isSameDocument: false });
    this.emit('will-navigate', e, url);
    return !e.defaultPrevented;
  }

  ownsPage(page: Page): boolean {
    return this.page === page;
  }

  pageUrlFor(url: string): string {
    return toPage(url);
  }

  windowOpen(url: string): 'allow' | 'deny' {
    if (!this.openHandler) return 'allow';
    const r = this.openHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'new-window',
      referrer: { url: this.getURL(), policy: 'strict-origin-when-cross-origin' },
    });
    return r && r.action === 'allow' ? 'allow' : 'deny';
  }

  /** A call from the page's ipcRenderer.invoke, with the event Electron would pass. */
  invokeFromPage(frame: Frame, channel: string, args: unknown[]): ReturnType<IpcMainStandIn['invoke']> {
    const senderFrame = frameStandIn(frame);
    return this.ipcMain.invoke({ sender: this, senderFrame, processId: 1, frameId: 1, type: 'frame' }, channel, args);
  }

  markDestroyed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function event(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}
