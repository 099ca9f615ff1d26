// Builds the renderer (renderer/ -> dist/renderer/). `base: './'` because Electron loads the
// page from a custom protocol / file path, where absolute asset URLs would not resolve.
//
// Modes: `production` (npm run build:renderer) never contains the dev mock transport;
// `mock` (`vite build --mode mock --outDir ../dist-mock/renderer`) bakes the mock in so the
// production-like bundle can be screenshot/axe-scanned without a core. `vite` (serve) also
// accepts `?mock` in the URL.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The dev server injects an inline preamble for fast refresh, which the page's own CSP
 * (meta tag) would block. Drop the meta tag only while serving; built files keep it.
 */
function stripCspWhileServing(): Plugin {
  return {
    name: 'cost-desk:strip-csp-in-dev',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: 'renderer',
  base: './',
  plugins: [react(), stripCspWhileServing()],
  define: {
    __COST_DESK_MOCK__: JSON.stringify(mode === 'mock'),
  },
  build: {
    outDir: mode === 'mock' ? '../dist-mock/renderer' : '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: { host: '127.0.0.1', strictPort: false },
}));
