// The preload: exposes window.costDesk = { invoke, subscribe, platform } and nothing else.
// Sandboxed preloads cannot load ESM or our modules at run time, so scripts/build-electron.mjs
// bundles this file (with the contract's method list) into dist/electron/preload.cjs.
import { contextBridge, ipcRenderer } from 'electron';
import { createCostDeskBridge } from './desktop/bridge.ts';

contextBridge.exposeInMainWorld('costDesk', createCostDeskBridge(ipcRenderer));
