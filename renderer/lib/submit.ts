// Forms here never load a page: their submit (the button, or Enter in a field) runs an action.
import type { FormEvent } from 'react';

/** A form's onSubmit that runs `action` instead of the browser's submit. */
export function submitWith(action: () => unknown): (e: FormEvent) => void {
  return (e) => {
    e.preventDefault();
    void action();
  };
}
