// The panel that lies over a list for one selected row (a call, a message): its heading takes
// focus when the row changes, Escape closes it (unless a dialog is open over it), and its
// sections are definition lists of labelled values.
import { useEffect, useRef, type ReactNode } from 'react';

export function DetailPanel(p: { kind: 'call' | 'message'; title: string; focusKey: unknown; onClose(): void; children: ReactNode }) {
  const { kind, focusKey, onClose } = p;
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, [focusKey]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="detail-panel" aria-labelledby={`${kind}-detail-title`} data-testid={`${kind}-detail`}>
      <div className="detail-head">
        <h2 id={`${kind}-detail-title`} ref={headingRef} tabIndex={-1} data-testid={`${kind}-detail-title`}>
          {p.title}
        </h2>
        <button type="button" className="btn btn-icon" onClick={onClose} aria-label={`Close ${kind} details`} data-testid={`${kind}-detail-close`}>
          ✕
        </button>
      </div>
      {p.children}
    </aside>
  );
}

/** One section of a panel, named by its h3. */
export function DetailSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

/** A labelled value in a definition list (`dl.kv`). */
export function Field(p: { label: string; labelTitle?: string; testId?: string; className?: string; title?: string; children: ReactNode }) {
  return (
    <>
      <dt title={p.labelTitle}>{p.label}</dt>
      <dd className={p.className} title={p.title} data-testid={p.testId}>
        {p.children}
      </dd>
    </>
  );
}
