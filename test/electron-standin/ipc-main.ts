// `ipcMain`, per docs/api/ipc-main.md: one invoke handler per channel (a second handle()
// throws), a handler's return value (or promise) is the reply, and a thrown error reaches the
// renderer as "Error invoking remote method '<channel>': <error>" — its message only.
import { EventEmitter } from 'node:events';

export type InvokeHandler = (event: object, ...args: unknown[]) => unknown;

export class IpcMainStandIn extends EventEmitter {
  private readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  handleOnce(channel: string, handler: InvokeHandler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return handler(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What ipcRenderer.invoke() gets back: the value, or the message it rejects with. */
  async invoke(event: object, channel: string, args: unknown[]): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    const handler = this.handlers.get(channel);
    if (!handler) return { ok: false, message: `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'` };
    try {
      const value = await handler(event, ...args);
      return { ok: true, value: structuredClone(value) };
    } catch (err) {
      return { ok: false, message: `Error invoking remote method '${channel}': ${String(err)}` };
    }
  }
}
