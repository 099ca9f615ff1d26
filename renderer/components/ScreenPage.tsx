import type { ReactNode } from 'react';
import { TITLES, type Route } from '../lib/routes.ts';

/**
 * A screen's frame: the section named by its heading, and the head row with the h1 (the
 * route's title, as the nav says it) and what stands beside it (a count, a button). The h1 takes focus after a navigation (app/screens.tsx
 * focuses the first h1 in main), hence tabIndex -1.
 */
export function ScreenPage(p: { route: Route; fill?: boolean; head?: ReactNode; children?: ReactNode }) {
  return (
    <section className={p.fill ? 'screen screen-fill' : 'screen'} aria-labelledby={`${p.route}-title`} data-testid={`screen-${p.route}`}>
      <div className="screen-head">
        <h1 id={`${p.route}-title`} tabIndex={-1}>
          {TITLES[p.route]}
        </h1>
        {p.head}
      </div>
      {p.children}
    </section>
  );
}
