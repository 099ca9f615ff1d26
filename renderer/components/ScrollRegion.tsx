import type { ReactNode } from 'react';

/** A horizontally scrollable wrapper for wide tables, reachable by keyboard (so it can be scrolled). */
export function ScrollRegion({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={`table-scroll${className ? ` ${className}` : ''}`} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
