// Entry, small on purpose, and loaded `async` (see vite.config.ts): it runs as soon as it
// arrives, without waiting for the stylesheet or the parser. It starts the first screen's
// requests (boot.ts), lets the browser paint the static shell index.html carries, and only
// then runs React and the app, a separate chunk index.html has the browser preload meanwhile.
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/screens.css';
import { boot } from './boot/boot.ts';

performance.mark('cost-desk:boot');
const booted = boot();

/** Runs `fn` once the document is parsed and a frame (the static shell) has been painted. */
function afterFirstPaint(fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  const whenParsed = () => {
    requestAnimationFrame(() => setTimeout(once, 0)); // a task after the frame's paint
    setTimeout(once, 250); // hidden pages get no animation frames: do not wait for one
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenParsed, { once: true });
  else whenParsed();
}

afterFirstPaint(() => {
  import('./app/start.tsx').then(
    ({ start }) => start(booted),
    (err: unknown) => {
      // Without the app's code there is no React to show this: say it in plain DOM.
      console.error('[cost-desk] could not load the app', err);
      const main = document.querySelector('#root main') ?? document.body;
      const p = document.createElement('p');
      p.setAttribute('role', 'alert');
      p.textContent = `Cost Desk could not start: ${err instanceof Error ? err.message : String(err)}. Reload the page.`;
      main.replaceChildren(p);
    },
  );
});
