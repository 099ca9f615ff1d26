// `app`, as docs/api/app.md describes it: 'ready' once (whenReady), methods that are only
// legal before it (enableSandbox) throw after it, quit() runs before-quit / will-quit (which a
// listener may cancel with preventDefault) / quit, exit() ends at once with no events.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

export interface AppPaths {
  home: string;
  appData: string;
  userData: string;
  temp: string;
  downloads: string;
  logs: string;
  [name: string]: string;
}

export class AppStandIn extends EventEmitter {
  readonly isPackaged: boolean;
  /** How the process ended: exit(code), or quit() run to its end. */
  ended: { how: 'exit' | 'quit'; code: number } | null = null;
  sandboxEnabled = false;
  private ready = false;
  private readonly readyWaiters: Array<() => void> = [];
  private readonly paths: AppPaths;
  private quitting = false;

  constructor(
    private readonly options: { appPath: string; paths: AppPaths; isPackaged?: boolean; name?: string; version?: string },
    private readonly closeAllWindows: () => void,
  ) {
    super();
    this.isPackaged = options.isPackaged ?? false;
    this.paths = { ...options.paths };
  }

  /** The stand-in's own control: Electron emits 'ready' once its browser process is up. */
  emitReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.emit('ready', { preventDefault() {} }, {});
    for (const w of this.readyWaiters.splice(0)) w();
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.sandboxEnabled = true;
  }

  requestSingleInstanceLock(): boolean {
    return true;
  }

  getAppPath(): string {
    return this.options.appPath;
  }

  getName(): string {
    return this.options.name ?? 'telnyx-cost-desk';
  }

  getVersion(): string {
    return this.options.version ?? '0.0.0';
  }

  getPath(name: string): string {
    const p = this.paths[name];
    if (p === undefined) throw new Error(`Failed to get '${name}' path`);
    return p;
  }

  setPath(name: string, path: string): void {
    this.paths[name] = path;
  }

  /** docs: without a path, logs go to a `logs` folder (per OS); here, beside userData. */
  setAppLogsPath(path?: string): void {
    this.paths.logs = path ?? join(this.paths.userData, 'logs');
  }

  focus(): void {}

  quit(): void {
    if (this.ended || this.quitting) return;
    this.quitting = true;
    try {
      const before = cancellable();
      this.emit('before-quit', before);
      if (before.prevented) return;
      this.closeAllWindows();
      const will = cancellable();
      this.emit('will-quit', will);
      if (will.prevented) return;
      this.ended = { how: 'quit', code: 0 };
      this.emit('quit', cancellable(), 0);
    } finally {
      this.quitting = false;
    }
  }

  exit(code = 0): void {
    if (!this.ended) this.ended = { how: 'exit', code };
    this.emit('stand-in:exit', code);
  }
}

function cancellable(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}
