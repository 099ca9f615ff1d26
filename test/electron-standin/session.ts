// `session.defaultSession` over one Playwright BrowserContext: every request any window makes
// passes through here. Requests on a scheme main.cjs handles go to its protocol.handle
// handler; a page's own navigation first asks its webContents ('will-navigate', which a guard
// may cancel) and a new window's first load asks the opener's window-open handler. Anything
// else is refused (the machine running the tests has no network, and a stand-in never goes
// out). Permission handlers are applied to Chromium's permission state for each origin a window
// loads, so the page sees exactly what the handlers decide (docs/api/session.md: with no
// handler, Electron grants every permission). Not modelled: redirects ('will-redirect'; the
// app's protocol handler never redirects) and service workers (the scheme does not allow them).
import type { BrowserContext, CDPSession, Page, Request as PwRequest, Route } from 'playwright';
import type { ProtocolStandIn } from './protocol.ts';
import { fromPage } from './urls.ts';
import type { WebContentsStandIn } from './web-contents.ts';

type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: object) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string, details: object) => boolean;

/** Electron permission names and the Chromium permission each one governs. */
export const PERMISSIONS: ReadonlyArray<[electron: string, chromium: string[]]> = [
  ['notifications', ['notifications']],
  ['geolocation', ['geolocation']],
  ['media', ['camera', 'microphone']],
  ['clipboard-read', ['clipboard-read']],
  ['midi', ['midi']],
  ['idle-detection', ['idle-detection']],
  ['window-management', ['window-management']],
  ['storage-access', ['storage-access']],
];

export interface SessionHooks {
  contentsFor(page: Page): WebContentsStandIn | null;
  /** The first navigation of a page no window owns: a new window a page tried to open. */
  newWindowRequest(url: string): 'allow' | 'deny';
}

export class SessionStandIn {
  private requestHandler: RequestHandler | null = null;
  private checkHandler: CheckHandler | null = null;
  private deviceHandler: ((details: object) => boolean) | null = null;
  /** Every request main.cjs's handlers served or refused (stand-in control, for the tests). */
  readonly log: Array<{ url: string; outcome: string }> = [];

  constructor(
    readonly context: BrowserContext,
    private readonly protocol: ProtocolStandIn,
    private readonly hooks: SessionHooks,
  ) {}

  async install(): Promise<void> {
    await this.context.route('**/*', (route, request) => this.onRequest(route, request));
  }

  setPermissionRequestHandler(handler: RequestHandler | null): void {
    this.requestHandler = handler;
  }

  setPermissionCheckHandler(handler: CheckHandler | null): void {
    this.checkHandler = handler;
  }

  setDevicePermissionHandler(handler: ((details: object) => boolean) | null): void {
    this.deviceHandler = handler;
  }

  hasDeviceHandler(): boolean {
    return this.deviceHandler !== null;
  }

  private async onRequest(route: Route, request: PwRequest): Promise<void> {
    const url = fromPage(request.url());
    // A new window's first request comes before its frame exists (Playwright then throws).
    let frame: ReturnType<PwRequest['frame']> | null = null;
    try {
      frame = request.frame();
    } catch {
      frame = null;
    }
    const page = frame?.page() ?? null;
    const contents = page ? this.hooks.contentsFor(page) : null;
    if (request.isNavigationRequest() && (!frame || frame === page?.mainFrame())) {
      if (!contents) {
        const decision = this.hooks.newWindowRequest(url);
        this.log.push({ url, outcome: `new window ${decision}` });
        if (decision === 'deny') return route.abort('blockedbyclient');
      } else if (!contents.navigationAllowed(url)) {
        this.log.push({ url, outcome: 'navigation prevented' });
        return route.abort('aborted');
      }
      if (contents && page) {
        try {
          await this.applyPermissions(contents, page, url);
        } catch (err) {
          // A stand-in that cannot do its job must say so, not load the page as if it had.
          this.log.push({ url, outcome: `stand-in error applying permissions: ${err instanceof Error ? err.message : String(err)}` });
          return route.abort('failed');
        }
      }
    }
    const handler = this.protocol.handlerFor(url);
    if (!handler) {
      this.log.push({ url, outcome: 'no handler: refused' });
      return route.abort('internetdisconnected');
    }
    let response: Response;
    try {
      const body = request.postDataBuffer();
      response = await handler(new Request(url, { method: request.method(), headers: request.headers(), ...(body ? { body: new Uint8Array(body) } : {}) }));
    } catch (err) {
      this.log.push({ url, outcome: `handler threw: ${err instanceof Error ? err.message : String(err)}` });
      return route.abort('failed');
    }
    this.log.push({ url, outcome: String(response.status) });
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k] = v));
    await route.fulfill({ status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) });
  }

  private async applyPermissions(contents: WebContentsStandIn, page: Page, url: string): Promise<void> {
    let origin: string;
    try {
      const u = new URL(url);
      // WHATWG gives custom schemes an opaque origin; Electron reports app://host for a standard one.
      origin = `${u.protocol}//${u.host}`;
    } catch {
      return;
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\/./.test(origin)) return;
    const pageOrigin = new URL(contents.pageUrlFor(url)).origin;
    const cdp = await this.cdpFor(page);
    const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { browserContextId: string } };
    for (const [name, chromiumNames] of PERMISSIONS) {
      const checked = this.checkHandler ? this.checkHandler(contents, name, origin, { requestingUrl: url }) === true : true;
      const granted = checked && (await this.decide(contents, name, url));
      for (const chromium of chromiumNames) {
        await cdp.send('Browser.setPermission', {
          permission: { name: chromium },
          setting: granted ? 'granted' : 'denied',
          origin: pageOrigin,
          browserContextId: targetInfo.browserContextId,
        });
      }
    }
  }

  // One CDP session per page, kept: detaching while a navigation waits on our route stalls it.
  private readonly cdp = new WeakMap<Page, Promise<CDPSession>>();
  private cdpFor(page: Page): Promise<CDPSession> {
    let s = this.cdp.get(page);
    if (!s) this.cdp.set(page, (s = this.context.newCDPSession(page)));
    return s;
  }

  private decide(contents: WebContentsStandIn, permission: string, url: string): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(contents, permission, (granted) => resolve(granted === true), { requestingUrl: url, isMainFrame: true }));
  }
}
