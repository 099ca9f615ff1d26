// `protocol`, per docs/api/protocol.md: registerSchemesAsPrivileged only before 'ready',
// handle() only after it, one handler per scheme ("already registered" otherwise). The
// handler is Electron's fetch-style one: a Request in, a Response (or a promise of one) out.
export type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export interface CustomSchemeLike {
  scheme: string;
  privileges?: Record<string, boolean | undefined>;
}

export class ProtocolStandIn {
  readonly privileged = new Map<string, CustomSchemeLike['privileges']>();
  private readonly handlers = new Map<string, ProtocolHandler>();

  constructor(private readonly isReady: () => boolean) {}

  registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void {
    if (this.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    for (const s of schemes) this.privileged.set(s.scheme, s.privileges ?? {});
  }

  handle(scheme: string, handler: ProtocolHandler): void {
    if (!this.isReady()) throw new Error('protocol.handle cannot be called before app is ready');
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }

  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }

  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }

  /** The handler for a URL's scheme, if main.cjs registered one (stand-in control). */
  handlerFor(url: string): ProtocolHandler | null {
    const scheme = new URL(url).protocol.slice(0, -1);
    // A custom scheme only becomes a standard, fetchable origin when it was made privileged.
    if (!this.privileged.has(scheme)) return null;
    return this.handlers.get(scheme) ?? null;
  }
}
