// Browsers cap an element's height (Chromium ~33.5M px, Firefox ~17.9M px). A list of a
// million rows can be taller than that, so the scroll body is capped and, past the cap,
// the scroll position maps proportionally onto the list ("virtual" pixels = DOM pixels x
// ratio). Below the cap the ratio is 1 and scrolling is exactly native.

let cached: number | null = null;

/** The tallest body we allow, measured once from the engine, with a margin. */
export function maxScrollBodyPx(): number {
  if (cached !== null) return cached;
  let measured = 15_000_000;
  try {
    const probe = document.createElement('div');
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    probe.style.height = '100000000px';
    probe.style.width = '1px';
    document.body.appendChild(probe);
    const h = probe.getBoundingClientRect().height;
    probe.remove();
    if (Number.isFinite(h) && h > 1_000_000 && h < 100_000_000) measured = h;
  } catch {
    // keep the conservative default
  }
  cached = Math.floor(measured - 100_000);
  return cached;
}

export interface ScrollScale {
  /** Height of the scroll body in DOM pixels. */
  bodyPx: number;
  /** Virtual pixels per DOM pixel of scroll (1 when the list fits). */
  ratio: number;
}

export function scrollScale(rows: number, rowHeight: number, viewportPx: number): ScrollScale {
  const virtualPx = rows * rowHeight;
  const max = maxScrollBodyPx();
  if (virtualPx <= max) return { bodyPx: virtualPx, ratio: 1 };
  const vp = Math.max(viewportPx, rowHeight);
  return { bodyPx: max, ratio: (virtualPx - vp) / Math.max(max - vp, 1) };
}
