// Entry, small on purpose, and loaded `async` (see vite.config.ts): it runs as soon as it
// arrives, without waiting for the stylesheet or the parser. It starts the first screen's
// requests (boot.ts), then loads React and the app, a separate chunk index.html has had the
// browser preload meanwhile. The static shell in index.html is painted whenever the browser
// gets to it (measured: the app waiting for that paint made the table later, not the paint
// sooner).
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/screens.css';
import { boot } from './boot/boot.ts';

performance.mark('cost-desk:boot');
const booted = boot();

import('./app/start.tsx').then(
  ({ start }) => start(booted),
  (err: unknown) => {
    // Without the app's code there is no React to show this: say it in plain DOM.
    console.error('[cost-desk] could not load the app', err);
    const show = () => {
      const p = document.createElement('p');
      p.setAttribute('role', 'alert');
      p.textContent = `Cost Desk could not start: ${err instanceof Error ? err.message : String(err)}. Reload the page.`;
      (document.querySelector('#root main') ?? document.body).replaceChildren(p);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show, { once: true });
    else show();
  },
);
