// What Electron does inside the renderer for a sandboxed, context-isolated window, as one init
// script: it runs the real preload.cjs with a sandboxed `require` that knows only 'electron'
// (contextBridge, ipcRenderer), and nothing of it is left on the page but what
// contextBridge.exposeInMainWorld put there — copied and frozen (docs/api/context-bridge.md).
// Chromium alone has no isolated world for us, so the preload runs in the page's world inside
// a closure; the two bindings it talks through are taken off `window` before any page script
// runs. The preload runs in the top frame only (nodeIntegrationInSubFrames is off).
export interface RendererSideNames {
  invoke: string;
  contextMenu: string;
  deliver: string;
}

export function rendererInitScript(preloadSource: string | null, names: RendererSideNames): string {
  return `(() => {
  const invokeBinding = globalThis[${JSON.stringify(names.invoke)}];
  const contextMenuBinding = globalThis[${JSON.stringify(names.contextMenu)}];
  delete globalThis[${JSON.stringify(names.invoke)}];
  delete globalThis[${JSON.stringify(names.contextMenu)}];
  if (window !== window.top) return;
  const listeners = new Map();
  const ipcRenderer = {
    invoke(channel, ...args) {
      let copy;
      try { copy = structuredClone(args); } catch { return Promise.reject(new Error('An object could not be cloned.')); }
      return invokeBinding(String(channel), copy).then((r) => (r.ok ? r.value : Promise.reject(new Error(r.message))));
    },
    on(channel, listener) { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(listener); return ipcRenderer; },
    removeListener(channel, listener) { listeners.get(channel)?.delete(listener); return ipcRenderer; },
    off(channel, listener) { return ipcRenderer.removeListener(channel, listener); },
  };
  Object.defineProperty(globalThis, ${JSON.stringify(names.deliver)}, {
    value: (channel, args) => { for (const l of [...(listeners.get(channel) ?? [])]) l({ sender: ipcRenderer, senderId: 0, ports: [] }, ...args); },
  });
  const copy = (v, depth) => {
    if (depth > 1000) throw new Error('contextBridge: object too deep');
    if (typeof v === 'function') return (...a) => v(...a);
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Promise) return v;
    const out = Array.isArray(v) ? [] : {};
    for (const k of Object.keys(v)) out[k] = copy(v[k], depth + 1);
    return Object.freeze(out);
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (key in window) throw new Error('Cannot bind an API on top of an existing property on the window object');
      Object.defineProperty(window, key, { value: copy(api, 0), enumerable: true, writable: false, configurable: false });
    },
  };
  window.addEventListener('contextmenu', (e) => {
    const t = e.target;
    const editable = !!t && (t.isContentEditable || (t.tagName === 'TEXTAREA') || (t.tagName === 'INPUT' && !['button','checkbox','radio','submit','reset','file','image','range','color','hidden'].includes(t.type)));
    const selectionText = String(window.getSelection() ?? '');
    contextMenuBinding({ x: e.clientX, y: e.clientY, isEditable: editable, selectionText, pageURL: location.href,
      editFlags: { canUndo: editable, canRedo: editable, canCut: editable && selectionText !== '', canCopy: selectionText !== '', canPaste: editable, canDelete: editable && selectionText !== '', canSelectAll: true, canEditRichly: false } });
  }, true);
  ${
    preloadSource === null
      ? ''
      : `
  const sandboxedRequire = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error("module not found: " + name + " (a sandboxed preload can only require 'electron')");
  };
  const module = { exports: {} };
  try {
    (function (require, module, exports) {
${preloadSource}
    }).call(module.exports, sandboxedRequire, module, module.exports);
  } catch (err) {
    console.error('Unable to load preload script: ' + (err && err.stack || err));
  }`
  }
})();`;
}
