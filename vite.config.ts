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

/**
 * The entry (main.ts) is small and loads the app chunk (app/start.tsx) with a dynamic import
 * once it has started the first requests. Two changes to the built index.html:
 *  - the entry script gets `async`, so it runs as soon as it arrives instead of after the
 *    stylesheet and the first layout (it sends the first requests; see renderer/main.ts);
 *  - a <link rel="modulepreload"> for the app chunk and its imports, so the browser fetches
 *    and compiles them alongside the entry instead of only when the entry asks.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'cost-desk:preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle || !ctx.chunk) return html;
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        const app = chunks.find((c) => c.facadeModuleId?.endsWith('/renderer/app/start.tsx'));
        if (!app) throw new Error('preload-app-chunk: no chunk for renderer/app/start.tsx');
        const files = new Set<string>();
        const add = (file: string) => {
          if (file === ctx.chunk!.fileName || files.has(file)) return;
          files.add(file);
          for (const dep of chunks.find((c) => c.fileName === file)?.imports ?? []) add(dep);
        };
        add(app.fileName);
        const entryTag = `<script type="module" crossorigin src="./${ctx.chunk.fileName}">`;
        if (!html.includes(entryTag)) throw new Error(`preload-app-chunk: no ${entryTag} in index.html`);
        return {
          html: html.replace(entryTag, `<script type="module" async crossorigin src="./${ctx.chunk.fileName}">`),
          tags: [...files].map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
            injectTo: 'head' as const,
          })),
        };
      },
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: 'renderer',
  base: './',
  plugins: [react(), stripCspWhileServing(), preloadAppChunk()],
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
