// A modal question before something that cannot be undone in one click (leaving demo mode).
// A native <dialog>: focus moves into it, Escape cancels, focus returns to the opener.
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  confirm: string;
  cancel: string;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}

export function ConfirmDialog({ title, children, confirm, cancel, onConfirm, onCancel, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onClose={onCancel} data-testid={testId}>
      <div className="dialog-body">
        <h2 id={`${id}-title`}>{title}</h2>
        <div id={`${id}-body`}>{children}</div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => ref.current?.close()} data-testid={testId ? `${testId}-cancel` : undefined}>
            {cancel}
          </button>
          <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid={testId ? `${testId}-confirm` : undefined}>
            {confirm}
          </button>
        </div>
      </div>
    </dialog>
  );
}
