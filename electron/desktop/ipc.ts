// The one IPC entry point. Before a call reaches dispatch() (which validates the method and
// input against the contract) the handler checks WHO is calling: the top frame of our own
// window, showing a page from app://cost-desk. A call from another window, an iframe, or a
// page that somehow navigated elsewhere is refused without touching the core.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { EventName, Result } from '../../shared/contract.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { CoreApi, EventBus } from '../core/api/types.ts';
import { isAppUrl } from './app-origin.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels.ts';

export type WindowRef = () => Pick<BrowserWindow, 'isDestroyed' | 'webContents'> | null;

/** Why a sender is refused, or null when it is our window's top frame on the app origin. */
export function senderRefusal(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, getWindow: WindowRef): string | null {
  const win = getWindow();
  if (!win || win.isDestroyed()) return 'no Cost Desk window is open';
  if (event.sender !== win.webContents) return 'the call did not come from the Cost Desk window';
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent !== null) return 'the call came from a sub-frame';
  if (!isAppUrl(frame.url)) return 'the calling page is not part of Cost Desk';
  return null;
}

export function createIpcCallHandler(options: {
  api: CoreApi;
  getWindow: WindowRef;
  onInternalError?: (err: unknown, method: string) => void;
  onRefused?: (reason: string) => void;
}): (event: IpcMainInvokeEvent, method: unknown, input: unknown) => Promise<Result<unknown>> {
  return async (event, method, input) => {
    const refusal = senderRefusal(event, options.getWindow);
    if (refusal) {
      options.onRefused?.(refusal);
      return { ok: false, error: { code: 'invalid_input', message: `call refused: ${refusal}` } };
    }
    return dispatch(options.api, method, input, options.onInternalError);
  };
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handler: ReturnType<typeof createIpcCallHandler>): () => void {
  ipcMain.handle(CALL_CHANNEL, handler);
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Core events go to our window only (never broadcast), and only while it is alive. */
export function forwardEvents(events: Pick<EventBus, 'on'>, getWindow: WindowRef): () => void {
  return events.on((name: EventName, payload: unknown) => {
    const win = getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    win.webContents.send(EVENT_CHANNEL, name, payload);
  });
}
