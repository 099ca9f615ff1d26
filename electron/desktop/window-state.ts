// The main window opens where the user left it: size, position and maximized state are kept in
// window-state.json in the data folder. Saved bounds that no longer fit any screen (a monitor
// was unplugged, the resolution changed) are dropped, so the window never opens off-screen.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
const MIN_VISIBLE = 100; // px of the window that must lie on a screen's work area

function isBounds(v: unknown): v is Bounds {
  const b = v as Record<string, unknown> | null;
  return !!b && ['x', 'y', 'width', 'height'].every((k) => Number.isInteger(b[k])) && (b.width as number) > 0 && (b.height as number) > 0;
}

/** True when at least MIN_VISIBLE px of `b`, both ways, lie on one of the work areas. */
export function visibleOn(b: Bounds, workAreas: readonly Bounds[]): boolean {
  return workAreas.some((a) => {
    const w = Math.min(b.x + b.width, a.x + a.width) - Math.max(b.x, a.x);
    const h = Math.min(b.y + b.height, a.y + a.height) - Math.max(b.y, a.y);
    return w >= Math.min(MIN_VISIBLE, b.width) && h >= Math.min(MIN_VISIBLE, b.height);
  });
}

/** The saved state, or null when there is none, it is unreadable, or it would be off-screen. */
export function loadWindowState(dataDir: string, workAreas: readonly Bounds[]): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
  const s = raw as Record<string, unknown> | null;
  if (!s || !isBounds(s.bounds) || !visibleOn(s.bounds, workAreas)) return null;
  return { bounds: { x: s.bounds.x, y: s.bounds.y, width: s.bounds.width, height: s.bounds.height }, maximized: s.maximized === true };
}

/** Writes the state atomically (a crash mid-write leaves the previous file). */
export function saveWindowState(dataDir: string, state: WindowState): void {
  const file = join(dataDir, WINDOW_STATE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
